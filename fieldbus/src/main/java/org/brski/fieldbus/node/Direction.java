package org.brski.fieldbus.node;

/**
 * Which way a {@link SecureMessage} travels; bound into its nonce and AAD so that a node's reply can never be accepted
 * as a client request or the other way round (DESIGN.md "Secure messages").
 */
public enum Direction {
    /** Client (commissioning tool, machine controller) to node: authenticated writes. */
    CLIENT_TO_NODE(0x01),
    /** Node to client: authenticated replies (session check). */
    NODE_TO_CLIENT(0x02);

    private final int code;

    Direction(int code) {
        this.code = code;
    }

    /** The byte that names the direction in nonce and AAD. */
    public int code() {
        return code;
    }
}
