package org.brski.registrar.fieldbus;

import java.util.Locale;

/** The life of a key revision (key-management spec: rotation, revocation). */
public enum RevisionState {
    /** The machine's current revision: its keys are delivered. */
    ACTIVE,
    /** Superseded by a rotation: no longer delivered, nodes still holding it are stale. */
    RETIRED,
    /** Revoked by the operator (suspected compromise): never delivered again. */
    REVOKED;

    /** The stored and displayed name: {@code active}, {@code retired}, {@code revoked}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RevisionState parse(String token) {
        return valueOf(token.toUpperCase(Locale.ROOT));
    }
}
