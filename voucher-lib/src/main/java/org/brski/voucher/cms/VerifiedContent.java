package org.brski.voucher.cms;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a successful {@link CmsVerifier#verify(byte[])}: the encapsulated content whose signature verified,
 * and who signed it. Immutable; the content is copied in and out. Only this package creates instances, so holding one
 * means the checks of the verifier that produced it passed.
 */
public final class VerifiedContent {
    private final String contentType;
    private final byte[] content;
    private final X509Certificate signer;
    private final List<X509Certificate> certificates;
    private final Instant signingTime;
    private final List<X509Certificate> validatedPath;

    VerifiedContent(String contentType, byte[] content, X509Certificate signer, List<X509Certificate> certificates,
            Optional<Instant> signingTime, List<X509Certificate> validatedPath) {
        this.contentType = contentType;
        this.content = content.clone();
        this.signer = signer;
        this.certificates = List.copyOf(certificates);
        this.signingTime = signingTime.orElse(null);
        this.validatedPath = List.copyOf(validatedPath);
    }

    /** The eContentType OID: {@link CmsContentTypes#ANIMA_JSON_VOUCHER} or {@link CmsContentTypes#DATA}. */
    public String contentType() {
        return contentType;
    }

    /** The encapsulated content (the voucher JSON bytes), a fresh copy on each call. */
    public byte[] content() {
        return content.clone();
    }

    /** The certificate whose key verified the signature (embedded, or one of the verifier's additional certificates). */
    public X509Certificate signer() {
        return signer;
    }

    /** The certificates embedded in the SignedData, in encoded order. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /**
     * The signingTime signed attribute, if present. It is what the signer claims, reported and never judged: the
     * verifier validates certificates at its own validation time.
     */
    public Optional<Instant> signingTime() {
        return Optional.ofNullable(signingTime);
    }

    /**
     * The validated certification path, signer first and trust anchor last; empty when the verifier checked the
     * signature only.
     */
    public List<X509Certificate> validatedPath() {
        return validatedPath;
    }

    /** Whether the signer was validated to a trust anchor (false for {@link CmsVerifier#signatureOnly()}). */
    public boolean trusted() {
        return !validatedPath.isEmpty();
    }

    @Override
    public String toString() {
        return "VerifiedContent[contentType=" + contentType + ", " + content.length + " bytes, signer="
                + CmsStructure.name(signer) + ", trusted=" + trusted() + "]";
    }
}
