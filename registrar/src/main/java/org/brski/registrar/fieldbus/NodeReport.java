package org.brski.registrar.fieldbus;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What a controller read back from a node after commissioning it: the revision it installed and the Key IDs in
 * 0x5F02:1..3 (absent: the slot is empty).
 *
 * @param status     the controller's verdict, a token such as {@code ok}, {@code failed}, {@code unreachable}
 * @param reportedBy serial-number of the controller that reported
 */
public record NodeReport(long nodeSerial, int nodeId, OptionalInt revision, OptionalLong provisioningKeyId,
        OptionalLong integratorKeyId, OptionalLong operatorKeyId, String status, String reportedBy,
        Instant reportedAt) {
    public NodeReport {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(provisioningKeyId, "provisioningKeyId");
        Objects.requireNonNull(integratorKeyId, "integratorKeyId");
        Objects.requireNonNull(operatorKeyId, "operatorKeyId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reportedBy, "reportedBy");
        Objects.requireNonNull(reportedAt, "reportedAt");
    }
}
