package org.brski.registrar.voucher;

import java.time.Duration;
import java.util.Objects;

import org.brski.registrar.masa.AuditPolicy;

/**
 * Tunables of the voucher flow.
 *
 * @param maxRequestBytes  largest pledge voucher-request accepted (413 beyond)
 * @param maxVoucherBytes  largest MASA voucher accepted
 * @param createdOnMaxAge  how old a pledge voucher-request's created-on may be
 * @param createdOnSkew    how far in the future created-on may be (clock skew)
 * @param requireCreatedOn whether created-on is mandatory (RFC 8995 5.2 lets pledges without clocks omit it)
 * @param lenientJson      parse voucher-requests leniently (unknown leaves, date-only values)
 * @param pendingRetry     Retry-After for pledges held for approval (pledges cap it at 60 s, RFC 8995 5.6)
 * @param audit            the audit-log policy (RFC 8995 5.8.3)
 */
public record VoucherSettings(int maxRequestBytes, int maxVoucherBytes, Duration createdOnMaxAge,
        Duration createdOnSkew, boolean requireCreatedOn, boolean lenientJson, Duration pendingRetry,
        AuditPolicy audit) {
    public VoucherSettings {
        if (maxRequestBytes < 1024 || maxVoucherBytes < 1024) {
            throw new IllegalArgumentException("size limits must be at least 1024 bytes");
        }
        Objects.requireNonNull(createdOnMaxAge, "createdOnMaxAge");
        Objects.requireNonNull(createdOnSkew, "createdOnSkew");
        Objects.requireNonNull(pendingRetry, "pendingRetry");
        Objects.requireNonNull(audit, "audit");
    }

    /** 64 KiB bodies, created-on within the last 10 minutes (+2 minutes skew), strict JSON, retry after 30 s. */
    public static VoucherSettings defaults() {
        return new VoucherSettings(64 * 1024, 64 * 1024, Duration.ofMinutes(10), Duration.ofMinutes(2), false, false,
                Duration.ofSeconds(30), AuditPolicy.strict());
    }
}
