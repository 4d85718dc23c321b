package org.brski.voucher;

import java.util.Objects;

/**
 * The one checked exception of voucher-lib. Its {@link Reason} tells a transport which HTTP status and RFC 9457
 * problem to answer ({@link #problem()}); the message says what was wrong with the input, in terms a peer can act
 * on, and never carries secrets.
 */
public class VoucherException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why an artifact was refused. Each reason maps to one HTTP status (RFC 8995 section 5.6 and RFC 7030). */
    public enum Reason {
        /** The input exceeds the configured size bound. */
        TOO_LARGE(413, "too-large", "Input too large"),
        /** Not a DER CMS ContentInfo with SignedData, or truncated. */
        MALFORMED_CMS(400, "malformed-cms", "Malformed CMS"),
        /** The SignedData carries no encapsulated content (detached signature). */
        DETACHED_CONTENT(400, "detached-content", "Detached CMS content"),
        /** The eContentType is neither id-ct-animaJSONVoucher nor id-data. */
        UNSUPPORTED_CONTENT_TYPE(400, "unsupported-content-type", "Unsupported CMS content type"),
        /** The SignedData has no SignerInfo. */
        NO_SIGNER(400, "no-signer", "No CMS signer"),
        /** The SignedData has more than one SignerInfo. */
        MULTIPLE_SIGNERS(400, "multiple-signers", "Several CMS signers"),
        /** The signer's certificate is neither embedded nor supplied. */
        SIGNER_CERTIFICATE_MISSING(400, "signer-certificate-missing", "Signer certificate missing"),
        /** Signed attributes are absent where required or do not match the content (content-type, digest). */
        SIGNED_ATTRIBUTES_MISMATCH(400, "signed-attributes-mismatch", "Signed attributes do not match"),
        /** The signature does not verify with the signer's public key. */
        BAD_SIGNATURE(403, "bad-signature", "Signature does not verify"),
        /** The signer's certificate does not chain to a trust anchor at the validation time. */
        UNTRUSTED_SIGNER(403, "untrusted-signer", "Signer not trusted"),
        /** The payload is not well-formed JSON, or exceeds the nesting bound. */
        MALFORMED_JSON(400, "malformed-json", "Malformed JSON"),
        /** The JSON root is not the expected YANG container. */
        WRONG_ROOT(400, "wrong-root", "Unexpected JSON root"),
        /** A leaf not defined by the YANG module (strict mode). */
        UNKNOWN_LEAF(400, "unknown-leaf", "Unknown leaf"),
        /** A mandatory leaf is absent. */
        MISSING_LEAF(400, "missing-leaf", "Missing leaf"),
        /** A leaf has the wrong JSON type or an invalid value (date, base64, enumeration). */
        INVALID_LEAF(400, "invalid-leaf", "Invalid leaf value");

        private final int status;
        private final String slug;
        private final String title;

        Reason(int status, String slug, String title) {
            this.status = status;
            this.slug = slug;
            this.title = title;
        }

        /** The HTTP status a server answers for this reason. */
        public int status() {
            return status;
        }

        /** The last part of the problem type URI. */
        public String slug() {
            return slug;
        }

        /** The problem title. */
        public String title() {
            return title;
        }
    }

    private final Reason reason;

    public VoucherException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public VoucherException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the input was refused. */
    public Reason reason() {
        return reason;
    }

    /** The RFC 9457 problem to answer. */
    public Problem problem() {
        return Problem.of(reason.slug(), reason.title(), reason.status(), getMessage());
    }
}
