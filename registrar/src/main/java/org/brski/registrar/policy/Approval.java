package org.brski.registrar.policy;

/** An operator's (or the registrar's) decision about one device. */
public enum Approval {
    /** Seen, waiting for an operator (manufacturer in {@link ApprovalMode#HOLD}). */
    PENDING,
    /** Allowed by an operator (also before the device is first seen: an allowlist entry). */
    APPROVED,
    /** Denied by an operator: every request is refused with 403. */
    DENIED,
    /** Admitted automatically because its manufacturer is trusted in {@link ApprovalMode#AUTO}. */
    AUTO;

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
