package org.brski.registrar.fieldbus;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A change of a machine's current revision from {@code fromRevision} to {@code fromRevision + 1}, applied atomically
 * by {@link FieldbusStore#rotate}.
 *
 * @param integratorKeyId Key ID of the new revision's Integrator Key
 * @param operatorKeyId   Key ID of its Operator Key, when the machine uses one
 * @param revokePrevious  the previous revision becomes revoked instead of retired
 * @param removeNode      a node whose Provisioning Key and report are dropped in the same transaction (WP-104 3.3:
 *                        replacing a suspect node replaces the Integrator Key)
 */
public record Rotation(int fromRevision, long integratorKeyId, OptionalLong operatorKeyId, String reason,
        boolean revokePrevious, OptionalLong removeNode) {
    public Rotation {
        Objects.requireNonNull(operatorKeyId, "operatorKeyId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(removeNode, "removeNode");
    }
}
