package org.brski.registrar.fieldbus;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One key revision of a machine: the Key IDs of its derived Integrator (and Operator) Key, kept so that status and
 * logs can name them without the master; the keys themselves are re-derived on demand.
 *
 * @param reason why it was created: {@code created}, {@code rotated}, {@code revoked N}, {@code node N removed}
 */
public record KeyRevision(String machineId, int revision, RevisionState state, long integratorKeyId,
        OptionalLong operatorKeyId, String reason, Instant createdAt, Optional<Instant> endedAt) {
    public KeyRevision {
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(operatorKeyId, "operatorKeyId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(endedAt, "endedAt");
    }
}
