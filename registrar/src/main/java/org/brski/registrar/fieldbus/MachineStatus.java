package org.brski.registrar.fieldbus;

import java.util.List;
import java.util.Objects;

/**
 * A machine's key state for the operator: its revisions and, per node, what it holds and whether it is stale
 * (WP-104 3.3: after a rotation every node must receive the new Integrator Key).
 */
public record MachineStatus(Machine machine, List<KeyRevision> revisions, List<NodeStatus> nodes) {
    public MachineStatus {
        Objects.requireNonNull(machine, "machine");
        revisions = List.copyOf(revisions);
        nodes = List.copyOf(nodes);
    }

    /** The current revision (always present for a stored machine). */
    public KeyRevision current() {
        return revisions.stream().filter(r -> r.revision() == machine.currentRevision()).findFirst().orElseThrow();
    }
}
