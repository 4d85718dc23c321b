package org.brski.registrar.fieldbus;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A fieldbus machine of the domain: the unit that shares one Integrator Key (WP-104 3.3).
 *
 * @param id              the machine identifier, part of the key derivation context
 * @param currentRevision the key revision served now
 * @param operatorKey     whether the machine also uses an Operator Key (WP-104 3.4)
 * @param controllers     serial-numbers of the enrolled devices that commission it (sorted)
 * @param createdAt       when it was added
 */
public record Machine(String id, int currentRevision, boolean operatorKey, List<String> controllers,
        Instant createdAt) {
    public Machine {
        Objects.requireNonNull(id, "id");
        controllers = List.copyOf(controllers);
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
