package org.brski.masa.store;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import org.brski.voucher.Assertion;

/**
 * One issued voucher in a device's audit log (RFC 8995 section 5.8.1).
 *
 * @param serialNumber the device
 * @param date when the voucher was issued
 * @param domainId base64 of the pinned-domain-cert's key identifier (RFC 8995 section 5.8.2)
 * @param nonce the nonce as received and echoed, or null for a nonceless voucher
 * @param assertion the voucher's assertion
 * @param expiresOn the voucher's expires-on, for nonceless vouchers
 * @param domainKeyId base64 of the RFC 5280 method 1 key identifier (SHA-1 of the public key) of the pinned-domain-cert,
 *     which, unlike {@code domainId}, no other domain can copy; null for events logged before it was recorded
 */
public record AuditEvent(String serialNumber, OffsetDateTime date, String domainId, String nonce, Assertion assertion,
        OffsetDateTime expiresOn, String domainKeyId) {
    public AuditEvent {
        Device.requireSerial(serialNumber);
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(domainId, "domainId");
        Objects.requireNonNull(assertion, "assertion");
    }

    /** An event without {@code domainKeyId}. */
    public AuditEvent(String serialNumber, OffsetDateTime date, String domainId, String nonce, Assertion assertion,
            OffsetDateTime expiresOn) {
        this(serialNumber, date, domainId, nonce, assertion, expiresOn, null);
    }

    public Optional<String> nonceValue() {
        return Optional.ofNullable(nonce);
    }
}
