package org.brski.registrar.policy;

import java.util.Objects;

/**
 * The policy's answer for a pledge that may proceed or must wait.
 *
 * @param manufacturer the manufacturer whose CA validated the IDevID
 * @param approval     {@link Approval#APPROVED} or {@link Approval#AUTO} to proceed, {@link Approval#PENDING} to wait
 */
public record Admission(Manufacturer manufacturer, Approval approval) {
    public Admission {
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(approval, "approval");
        if (approval == Approval.DENIED) {
            throw new IllegalArgumentException("a denied device is refused, not admitted");
        }
    }

    /** Whether the pledge must wait for an operator (202 + Retry-After). */
    public boolean held() {
        return approval == Approval.PENDING;
    }
}
