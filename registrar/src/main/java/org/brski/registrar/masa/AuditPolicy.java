package org.brski.registrar.masa;

/**
 * How strictly a MASA audit-log is judged (RFC 8995 section 5.8.3: "acceptlist known domainIDs and require all
 * vouchers to have a nonce" is the simple policy, and the default here).
 *
 * @param mode              whether a violation blocks the voucher and EST, is only recorded, or audits are skipped
 * @param allowOtherDomains whether vouchers issued to other domains are acceptable (pre-owned equipment)
 * @param allowNonceless    whether nonceless vouchers in the log are acceptable
 */
public record AuditPolicy(Mode mode, boolean allowOtherDomains, boolean allowNonceless) {
    /** What a violation does. */
    public enum Mode {
        /** A violation refuses the voucher (406) and every later EST request for the device. */
        ENFORCE,
        /** Violations are stored and logged only. */
        RECORD,
        /** No audit-log is requested after vouchers (on-demand audits still run). */
        OFF
    }

    public AuditPolicy {
        java.util.Objects.requireNonNull(mode, "mode");
    }

    /** Enforced, own domain only, nonces required. */
    public static AuditPolicy strict() {
        return new AuditPolicy(Mode.ENFORCE, false, false);
    }
}
