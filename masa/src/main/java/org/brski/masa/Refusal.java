package org.brski.masa;

/**
 * Why the MASA refused a request, each with its HTTP status (RFC 8995 section 5.6) and the slug of its RFC 9457
 * problem type {@code urn:brski:problem:<slug>}. The slug is also the {@code reason} tag of the refusal metric.
 */
public enum Refusal {
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    TOO_LARGE(413, "too-large", "Request body too large"),
    MALFORMED_REQUEST(400, "malformed-request", "Malformed voucher-request"),
    BAD_SIGNATURE(403, "bad-signature", "Signature does not verify"),
    UNTRUSTED_REGISTRAR(403, "untrusted-registrar", "Registrar not trusted"),
    NOT_A_REGISTRAR(403, "not-a-registrar", "Signer is not a registrar"),
    FOREIGN_PLEDGE(403, "foreign-pledge", "Pledge not made by this manufacturer"),
    SERIAL_MISMATCH(400, "serial-mismatch", "Serial-number mismatch"),
    NONCE_MISMATCH(400, "nonce-mismatch", "Nonce mismatch"),
    PROXIMITY_MISMATCH(403, "proximity-mismatch", "Proximity registrar mismatch"),
    STALE_REQUEST(403, "stale-request", "Voucher-request not fresh"),
    NONCELESS_REFUSED(403, "nonceless-refused", "Nonceless voucher refused"),
    UNKNOWN_DEVICE(404, "unknown-device", "Unknown device"),
    NOT_OWNER(403, "not-owner", "Domain does not own the device"),
    NONCE_REPLAYED(403, "nonce-replayed", "Nonce already used"),
    NO_AUDIT_LOG(404, "no-audit-log", "No audit log for this domain"),
    STORAGE_UNAVAILABLE(503, "storage-unavailable", "Service unavailable"),
    INTERNAL(500, "internal-error", "Internal server error");

    private final int status;
    private final String slug;
    private final String title;

    Refusal(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }
}
