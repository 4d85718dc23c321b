package org.brski.registrar.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The registrar's verdict on a MASA audit-log (RFC 8995 section 5.8.3).
 *
 * @param outcome   passed, violated the audit policy, or could not be obtained
 * @param summary   a one-line explanation for operators
 * @param log       the audit-log JSON as received (empty when unavailable)
 * @param checkedAt when the log was fetched
 */
public record AuditResult(Outcome outcome, String summary, String log, Instant checkedAt) {
    /** What the audit concluded. */
    public enum Outcome {
        /** Every event is acceptable under the audit policy. */
        PASSED,
        /** The log shows vouchers the policy does not allow: EST is refused for the device (5.8.3). */
        VIOLATION,
        /** The MASA's log could not be obtained or parsed; nothing is concluded. */
        UNAVAILABLE
    }

    public AuditResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(checkedAt, "checkedAt");
    }
}
