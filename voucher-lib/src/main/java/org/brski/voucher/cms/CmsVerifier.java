package org.brski.voucher.cms;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.brski.pkix.CertPaths;
import org.brski.pkix.Crypto;
import org.brski.pkix.PkixException;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherException.Reason;

/**
 * Verifies a CMS-signed voucher or voucher-request (RFC 8366 section 5.3, RFC 8995 sections 3 and 5) and returns its
 * content. Immutable and thread-safe; configure it once with the static factories and withers and share it.
 *
 * <p>Checks, in order, each failing with its own {@link Reason}:
 * <ol>
 *   <li>size at most {@link #withMaxSize(int)} bytes (default {@value #DEFAULT_MAX_SIZE}): TOO_LARGE;</li>
 *   <li>one BER/DER ContentInfo with no trailing bytes, holding SignedData, at most {@value #MAX_CERTIFICATES}
 *       certificates, eContent an OCTET STRING: MALFORMED_CMS;</li>
 *   <li>exactly one SignerInfo: NO_SIGNER, MULTIPLE_SIGNERS;</li>
 *   <li>encapsulated content present: DETACHED_CONTENT;</li>
 *   <li>eContentType id-ct-animaJSONVoucher or id-data (both are accepted on input, RFC 8995 Appendix C uses
 *       id-data): UNSUPPORTED_CONTENT_TYPE;</li>
 *   <li>signed attributes: when present, exactly one content-type attribute equal to the eContentType and exactly one
 *       message-digest attribute; when absent, the eContentType must be id-data (RFC 5652 section 5.3); a
 *       signingTime, if present, must be a Time: SIGNED_ATTRIBUTES_MISMATCH;</li>
 *   <li>digest algorithm SHA-256, SHA-384 or SHA-512, and the message-digest attribute equal to the digest of the
 *       content: BAD_SIGNATURE;</li>
 *   <li>the signer certificate, looked up among the embedded and the {@linkplain #withAdditionalCertificates
 *       additional} certificates by the SignerInfo's issuerAndSerialNumber or subjectKeyIdentifier, and, when no
 *       certificate matches the identifier, by key (a certificate whose public key verifies the signature: a device
 *       may sign with a key that a newer certificate of the same device also holds, as in RFC 8995 Appendix C.2.1):
 *       SIGNER_CERTIFICATE_MISSING;</li>
 *   <li>the signature with that certificate's key: BAD_SIGNATURE;</li>
 *   <li>with trust anchors only: the signer certificate validates to an anchor at the validation time, intermediates
 *       taken from the embedded and additional certificates ({@link CertPaths#validate}): UNTRUSTED_SIGNER. When
 *       several candidate certificates carry the signing key (identifier matches first, then other certificates of
 *       the same public key), the first that validates is the signer.</li>
 * </ol>
 *
 * <p>{@link #signatureOnly()} checks the signature against the signer certificate's key and nothing else: not the
 * certificate's validity period, issuer, key usage or revocation. It suits inspection and callers that establish trust
 * in the signer themselves (e.g. a registrar that compares the voucher-request signer with the pledge's TLS client
 * certificate). The signingTime attribute is reported, never judged, in both modes. Extended key usages are never
 * judged here; protocol layers check what they need (e.g. id-kp-cmcRA on the registrar).
 */
public final class CmsVerifier {
    /** Default bound on the CMS input: 64 KiB. */
    public static final int DEFAULT_MAX_SIZE = 64 * 1024;
    /** Most certificates accepted in one SignedData. */
    public static final int MAX_CERTIFICATES = CmsStructure.MAX_CERTIFICATES;

    private static final Map<ASN1ObjectIdentifier, String> ACCEPTED_DIGESTS = Map.of(
            NISTObjectIdentifiers.id_sha256, "SHA-256",
            NISTObjectIdentifiers.id_sha384, "SHA-384",
            NISTObjectIdentifiers.id_sha512, "SHA-512");

    private final List<X509Certificate> anchors;
    private final List<X509Certificate> additional;
    private final Instant at;
    private final Clock clock;
    private final int maxSize;

    private CmsVerifier(List<X509Certificate> anchors, List<X509Certificate> additional, Instant at, Clock clock,
            int maxSize) {
        this.anchors = anchors;
        this.additional = additional;
        this.at = at;
        this.clock = clock;
        this.maxSize = maxSize;
    }

    /** A verifier that checks the signature against the signer certificate's key only (see the class comment). */
    public static CmsVerifier signatureOnly() {
        return new CmsVerifier(List.of(), List.of(), null, Clock.systemUTC(), DEFAULT_MAX_SIZE);
    }

    /**
     * A verifier that also validates the signer certificate to one of {@code anchors}.
     *
     * @throws IllegalArgumentException when {@code anchors} is empty
     */
    public static CmsVerifier trusting(Collection<X509Certificate> anchors) {
        List<X509Certificate> copy = copyOf(anchors, "anchors");
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("at least one trust anchor is required; use signatureOnly() otherwise");
        }
        return new CmsVerifier(copy, List.of(), null, Clock.systemUTC(), DEFAULT_MAX_SIZE);
    }

    /** The same verifier validating certificates at {@code validationTime} instead of the current time. */
    public CmsVerifier at(Instant validationTime) {
        return new CmsVerifier(anchors, additional, Objects.requireNonNull(validationTime, "validationTime"), clock,
                maxSize);
    }

    /** The same verifier taking "now" from {@code clock} (ignored once {@link #at(Instant)} fixes a time). */
    public CmsVerifier withClock(Clock clock) {
        return new CmsVerifier(anchors, additional, at, Objects.requireNonNull(clock, "clock"), maxSize);
    }

    /**
     * The same verifier refusing inputs larger than {@code bytes} with TOO_LARGE.
     *
     * @throws IllegalArgumentException when {@code bytes} is not positive
     */
    public CmsVerifier withMaxSize(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maximum size must be positive: " + bytes);
        }
        return new CmsVerifier(anchors, additional, at, clock, bytes);
    }

    /**
     * The same verifier also considering {@code certificates} (replacing earlier ones) as candidate signer and
     * intermediate certificates, e.g. a pledge's IDevID known from its TLS connection. They are candidates, never
     * trust anchors.
     */
    public CmsVerifier withAdditionalCertificates(Collection<X509Certificate> certificates) {
        return new CmsVerifier(anchors, copyOf(certificates, "certificates"), at, clock, maxSize);
    }

    /** Whether this verifier validates the signer to trust anchors. */
    public boolean validatesTrust() {
        return !anchors.isEmpty();
    }

    /** The configured maximum input size in bytes. */
    public int maxSize() {
        return maxSize;
    }

    /**
     * Verifies a DER (or BER) CMS ContentInfo and returns its content. Use {@link CmsInput#decode(byte[])} first for
     * base64 or PEM input.
     *
     * @throws VoucherException with the reason of the first check that fails (see the class comment)
     */
    public VerifiedContent verify(byte[] der) throws VoucherException {
        Objects.requireNonNull(der, "der");
        try {
            return check(der);
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            // Bouncy Castle reports structure it cannot decode with these; the input, not the caller, is at fault
            throw new VoucherException(Reason.MALFORMED_CMS, "CMS structure is malformed: "
                    + CmsStructure.describe(e), e);
        }
    }

    private VerifiedContent check(byte[] der) throws VoucherException {
        if (der.length > maxSize) {
            throw new VoucherException(Reason.TOO_LARGE,
                    "CMS input of " + der.length + " bytes exceeds the limit of " + maxSize + " bytes");
        }
        CmsStructure structure = CmsStructure.parse(der);
        List<SignerInformation> signers = structure.signers;
        if (signers.isEmpty()) {
            throw new VoucherException(Reason.NO_SIGNER, structure.eContent == null
                    ? "CMS SignedData has no SignerInfo and no content (a certificates-only message, not a signed voucher)"
                    : "CMS SignedData has no SignerInfo");
        }
        if (signers.size() > 1) {
            throw new VoucherException(Reason.MULTIPLE_SIGNERS,
                    "CMS SignedData has " + signers.size() + " SignerInfos; a voucher has exactly one");
        }
        if (structure.eContent == null) {
            throw new VoucherException(Reason.DETACHED_CONTENT,
                    "CMS SignedData has no encapsulated content (detached signature); vouchers carry their content");
        }
        if (!CmsContentTypes.isAcceptedVoucherType(structure.eContentType)) {
            throw new VoucherException(Reason.UNSUPPORTED_CONTENT_TYPE, "CMS eContentType " + structure.eContentType
                    + " is neither id-ct-animaJSONVoucher (" + CmsContentTypes.ANIMA_JSON_VOUCHER + ") nor id-data ("
                    + CmsContentTypes.DATA + ")");
        }
        SignerInformation signer = signers.iterator().next();
        AttributeTable signedAttributes = signer.getSignedAttributes();
        checkSignedAttributes(signer, signedAttributes, structure.eContentType);
        Optional<Instant> signingTime = CmsStructure.signingTime(signedAttributes);
        ASN1ObjectIdentifier digestAlgorithm = signer.getDigestAlgorithmID().getAlgorithm();
        if (!ACCEPTED_DIGESTS.containsKey(digestAlgorithm)) {
            throw new VoucherException(Reason.BAD_SIGNATURE, "CMS digest algorithm " + digestAlgorithm.getId()
                    + " is not accepted (SHA-256, SHA-384 or SHA-512 required)");
        }
        if (signedAttributes != null) {
            checkMessageDigest(signedAttributes, ACCEPTED_DIGESTS.get(digestAlgorithm), structure.eContent);
        }

        List<X509Certificate> embedded = structure.certificates();
        List<X509Certificate> candidates = union(embedded, additional);
        List<X509Certificate> verified = verifiedSigners(signer, candidates);

        if (anchors.isEmpty()) {
            return new VerifiedContent(structure.eContentType, structure.eContent, verified.get(0), embedded,
                    signingTime, List.of());
        }
        Instant validationTime = at != null ? at : clock.instant();
        PkixException first = null;
        for (X509Certificate candidate : verified) {
            try {
                List<X509Certificate> path = CertPaths.validate(candidate, candidates, anchors, validationTime);
                return new VerifiedContent(structure.eContentType, structure.eContent, candidate, embedded,
                        signingTime, path);
            } catch (PkixException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw new VoucherException(Reason.UNTRUSTED_SIGNER, "CMS signer '"
                + CmsStructure.name(verified.get(0)) + "' is not trusted at " + validationTime + ": "
                + first.getMessage(), first);
    }

    @Override
    public String toString() {
        return "CmsVerifier[" + (anchors.isEmpty() ? "signature only" : anchors.size() + " anchor(s)") + ", at="
                + (at == null ? "now" : at) + ", maxSize=" + maxSize + ", additional=" + additional.size() + "]";
    }

    /** RFC 5652 sections 5.3 and 11: the attributes that bind the signature to this content. */
    private static void checkSignedAttributes(SignerInformation signer, AttributeTable signedAttributes,
            String eContentType) throws VoucherException {
        if (signedAttributes == null) {
            if (!CmsContentTypes.DATA.equals(eContentType)) {
                throw new VoucherException(Reason.SIGNED_ATTRIBUTES_MISMATCH, "SignerInfo has no signed attributes,"
                        + " which RFC 5652 allows only for id-data content, but the eContentType is " + eContentType);
            }
            return;
        }
        Optional<ASN1Primitive> contentType = CmsStructure.singleValue(signedAttributes, CMSAttributes.contentType,
                "content-type");
        if (contentType.isEmpty()) {
            throw new VoucherException(Reason.SIGNED_ATTRIBUTES_MISMATCH,
                    "signed attributes lack the content-type attribute (RFC 5652 section 11.1)");
        }
        if (!(contentType.get() instanceof ASN1ObjectIdentifier oid) || !oid.getId().equals(eContentType)) {
            throw new VoucherException(Reason.SIGNED_ATTRIBUTES_MISMATCH, "the content-type signed attribute ("
                    + (contentType.get() instanceof ASN1ObjectIdentifier other ? other.getId() : "not an OID")
                    + ") differs from the eContentType " + eContentType);
        }
        Optional<ASN1Primitive> digest = CmsStructure.singleValue(signedAttributes, CMSAttributes.messageDigest,
                "message-digest");
        if (digest.isEmpty()) {
            throw new VoucherException(Reason.SIGNED_ATTRIBUTES_MISMATCH,
                    "signed attributes lack the message-digest attribute (RFC 5652 section 11.2)");
        }
        if (!(digest.get() instanceof ASN1OctetString)) {
            throw new VoucherException(Reason.SIGNED_ATTRIBUTES_MISMATCH,
                    "the message-digest signed attribute is not an OCTET STRING");
        }
        if (signer.getUnsignedAttributes() != null
                && (signer.getUnsignedAttributes().get(CMSAttributes.contentType) != null
                        || signer.getUnsignedAttributes().get(CMSAttributes.messageDigest) != null)) {
            throw new VoucherException(Reason.SIGNED_ATTRIBUTES_MISMATCH,
                    "content-type or message-digest appears as an unsigned attribute");
        }
    }

    /** The content digest against the message-digest attribute, so that a changed content is named as such. */
    private static void checkMessageDigest(AttributeTable signedAttributes, String digestAlgorithm, byte[] content)
            throws VoucherException {
        byte[] expected = ((ASN1OctetString) CmsStructure.singleValue(signedAttributes, CMSAttributes.messageDigest,
                "message-digest").orElseThrow()).getOctets();
        byte[] actual;
        try {
            actual = MessageDigest.getInstance(digestAlgorithm, Crypto.provider()).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digestAlgorithm + " is missing from the Bouncy Castle provider", e);
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new VoucherException(Reason.BAD_SIGNATURE,
                    "the content does not match the signed message digest (content altered)");
        }
    }

    /**
     * The candidates that identify as the signer and whose key verifies the signature, identifier matches first. When
     * no candidate matches the identifier, candidates are tried by key.
     */
    private static List<X509Certificate> verifiedSigners(SignerInformation signer, List<X509Certificate> candidates)
            throws VoucherException {
        SignerId sid = signer.getSID();
        List<X509Certificate> byId = new ArrayList<>();
        for (X509Certificate candidate : candidates) {
            if (sid.match(holder(candidate))) {
                byId.add(candidate);
            }
        }
        List<X509Certificate> verified = new ArrayList<>();
        VoucherException firstFailure = null;
        for (X509Certificate candidate : byId.isEmpty() ? candidates : byId) {
            try {
                if (verifies(signer, candidate)) {
                    verified.add(candidate);
                } else if (firstFailure == null) {
                    firstFailure = new VoucherException(Reason.BAD_SIGNATURE, "CMS signature does not verify with the"
                            + " key of '" + CmsStructure.name(candidate) + "'");
                }
            } catch (VoucherException e) {
                if (firstFailure == null) {
                    firstFailure = e;
                }
            }
        }
        if (!verified.isEmpty()) {
            // other certificates of the same key are equally the signer's (an older and a newer IDevID of one device)
            for (X509Certificate candidate : candidates) {
                if (!verified.contains(candidate) && sameKeyAsAny(candidate, verified)) {
                    verified.add(candidate);
                }
            }
            return verified;
        }
        if (byId.isEmpty()) {
            throw new VoucherException(Reason.SIGNER_CERTIFICATE_MISSING, "no certificate for the CMS signer "
                    + describe(sid) + " among " + candidates.size()
                    + " embedded or supplied certificate(s), and none of their keys verifies the signature");
        }
        throw firstFailure;
    }

    private static boolean sameKeyAsAny(X509Certificate candidate, List<X509Certificate> certificates) {
        byte[] key = candidate.getPublicKey().getEncoded();
        for (X509Certificate certificate : certificates) {
            if (Arrays.equals(key, certificate.getPublicKey().getEncoded())) {
                return true;
            }
        }
        return false;
    }

    private static boolean verifies(SignerInformation signer, X509Certificate candidate) throws VoucherException {
        try {
            // Built from the public key, not the certificate: Bouncy Castle would otherwise judge the certificate's
            // validity at the signingTime, which this class leaves to path validation at the validation time.
            SignerInformationVerifier verifier = new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(Crypto.provider())
                    .build(candidate.getPublicKey());
            return signer.verify(verifier);
        } catch (CMSSignerDigestMismatchException e) {
            throw new VoucherException(Reason.BAD_SIGNATURE,
                    "the content does not match the signed message digest (content altered)", e);
        } catch (OperatorCreationException | CMSException | RuntimeException e) {
            return false;
        }
    }

    private static X509CertificateHolder holder(X509Certificate certificate) throws VoucherException {
        try {
            return new JcaX509CertificateHolder(certificate);
        } catch (CertificateEncodingException e) {
            throw new VoucherException(Reason.MALFORMED_CMS, "certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    static String describe(SignerId sid) {
        StringBuilder text = new StringBuilder();
        if (sid.getIssuer() != null) {
            text.append("issuer '").append(CmsStructure.name(sid.getIssuer())).append("' serial 0x")
                    .append(sid.getSerialNumber().toString(16));
        }
        if (sid.getSubjectKeyIdentifier() != null) {
            text.append(text.length() > 0 ? ", " : "").append("subjectKeyIdentifier ")
                    .append(HexFormat.of().formatHex(sid.getSubjectKeyIdentifier()));
        }
        return text.toString();
    }

    private static List<X509Certificate> union(List<X509Certificate> first, List<X509Certificate> second) {
        Set<X509Certificate> all = new LinkedHashSet<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    private static List<X509Certificate> copyOf(Collection<X509Certificate> certificates, String name) {
        Objects.requireNonNull(certificates, name);
        List<X509Certificate> copy = new ArrayList<>();
        for (X509Certificate c : certificates) {
            Objects.requireNonNull(c, name + " element");
            if (c.getPublicKey() == null) {
                throw new IllegalArgumentException(name + ": the public key of '" + CmsStructure.name(c)
                        + "' cannot be decoded");
            }
            copy.add(c);
        }
        return List.copyOf(copy);
    }
}
