package org.brski.registrar.store;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.brski.registrar.policy.Approval;

/**
 * What the registrar knows about one device, keyed by its serial-number (RFC 8995 section 2.3.1).
 *
 * @param serial        the IDevID serialNumber
 * @param manufacturer  the manufacturer whose CA validated its IDevID, once seen
 * @param idevid        the IDevID it presented, once seen
 * @param approval      the admission decision
 * @param firstSeen     when the row was created
 * @param updatedAt     when it last changed
 * @param vouchers      how many vouchers were obtained for it
 * @param lastVoucherAt when the newest voucher was obtained
 * @param voucherStatus the last voucher status telemetry (5.7)
 * @param enrollStatus  the last enrollment status telemetry (5.9.4)
 * @param audit         the last audit-log verdict (5.8.3)
 * @param certificates  how many LDevIDs were issued to it
 */
public record Device(String serial, Optional<String> manufacturer, Optional<X509Certificate> idevid, Approval approval,
        Instant firstSeen, Instant updatedAt, int vouchers, Optional<Instant> lastVoucherAt,
        Optional<StatusReport> voucherStatus, Optional<StatusReport> enrollStatus, Optional<AuditResult> audit,
        int certificates) {
    public Device {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(idevid, "idevid");
        Objects.requireNonNull(approval, "approval");
        Objects.requireNonNull(voucherStatus, "voucherStatus");
        Objects.requireNonNull(enrollStatus, "enrollStatus");
        Objects.requireNonNull(audit, "audit");
    }

    /** Whether the last audit found a policy violation (EST must then be refused, RFC 8995 5.8.3). */
    public boolean auditViolated() {
        return audit.map(a -> a.outcome() == AuditResult.Outcome.VIOLATION).orElse(false);
    }
}
