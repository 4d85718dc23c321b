package org.brski.voucher.cms;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a CMS SignedData says about itself, unjudged ({@link CmsInspector#inspect(byte[])}): for diagnostics such as
 * {@code brski voucher inspect}, never for trust decisions.
 */
public final class CmsInspection {
    private final String contentType;
    private final byte[] content;
    private final List<Signer> signers;
    private final List<X509Certificate> certificates;

    CmsInspection(String contentType, byte[] content, List<Signer> signers, List<X509Certificate> certificates) {
        this.contentType = contentType;
        this.content = content == null ? null : content.clone();
        this.signers = List.copyOf(signers);
        this.certificates = List.copyOf(certificates);
    }

    /** The eContentType OID, whatever it is. */
    public String contentType() {
        return contentType;
    }

    /** The encapsulated content (a fresh copy), empty when the signature is detached. */
    public Optional<byte[]> content() {
        return content == null ? Optional.empty() : Optional.of(content.clone());
    }

    /** The SignerInfos, in encoded order (normally exactly one). */
    public List<Signer> signers() {
        return signers;
    }

    /** The embedded X.509 certificates, in encoded order. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** The signingTime of the first SignerInfo, if any. */
    public Optional<Instant> signingTime() {
        return signers.isEmpty() ? Optional.empty() : signers.get(0).signingTime();
    }

    /**
     * One SignerInfo as encoded.
     *
     * @param issuer               the issuer of the signer certificate (RFC 4514 string), when identified by
     *                             issuerAndSerialNumber
     * @param serialNumber         the serial number of the signer certificate, with {@code issuer}
     * @param subjectKeyIdentifier the subjectKeyIdentifier, when identified that way
     * @param digestAlgorithm      the digest algorithm OID
     * @param signatureAlgorithm   the signature algorithm OID
     * @param signingTime          the signingTime signed attribute, when present and well-formed
     * @param contentTypeAttribute the content-type signed attribute (OID), when present
     * @param signerCertificate    the embedded certificate matching the signer identifier, if any
     */
    public record Signer(Optional<String> issuer, Optional<BigInteger> serialNumber,
            Optional<byte[]> subjectKeyIdentifier, String digestAlgorithm, String signatureAlgorithm,
            Optional<Instant> signingTime, Optional<String> contentTypeAttribute,
            Optional<X509Certificate> signerCertificate) {
        public Signer {
            subjectKeyIdentifier = subjectKeyIdentifier.map(byte[]::clone);
        }

        @Override
        public Optional<byte[]> subjectKeyIdentifier() {
            return subjectKeyIdentifier.map(byte[]::clone);
        }
    }
}
