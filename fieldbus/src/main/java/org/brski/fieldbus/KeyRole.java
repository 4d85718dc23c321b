package org.brski.fieldbus;

import java.util.Optional;

/**
 * The base-key layers of EmSA WP-104 chapter 3, with the one-byte code used on the bus (secure-message header, session
 * key label, nonce). {@link #MARKER} is the factory commissioning marker (3.1): a non-secret, well-known value that only
 * bootstraps the Provisioning Key install of an uncommissioned node.
 */
public enum KeyRole {
    /** Factory commissioning marker (WP-104 3.1): 16 zero bytes, not a secret, valid only while uncommissioned. */
    MARKER(0),
    /** Device-unique Provisioning Key (WP-104 3.2). */
    PROVISIONING(1),
    /** Machine-wide Integrator Key (WP-104 3.3). */
    INTEGRATOR(2),
    /** Optional Operator Key (WP-104 3.4). */
    OPERATOR(3);

    private final int code;

    KeyRole(int code) {
        this.code = code;
    }

    /** The byte that names this role on the bus. */
    public int code() {
        return code;
    }

    /** The role for a bus code, if any. */
    public static Optional<KeyRole> ofCode(int code) {
        for (KeyRole role : values()) {
            if (role.code == code) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
