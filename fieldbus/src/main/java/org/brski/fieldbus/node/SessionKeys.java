package org.brski.fieldbus.node;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.crypto.Hkdf;
import org.brski.fieldbus.crypto.KeyStrength;

/**
 * Session-key derivation of EmSA WP-104 4.2 ({@code SK = KDF(K, salt, context)}, Figure 3) with the primitives of
 * chapter 5, as fixed by DESIGN.md "Session keys":
 * {@code SK = HKDF-SHA-256(IKM = base key, salt = salt slot, info = "WP104-SK" || role || generation || [node id],
 * L = 16)}. The generation is the node's persistent power-up count (0x5F05:6): it changes at every reset, so a salt that
 * recurs across power cycles (WP-104 4.4 allows it) never brings back an earlier session key, and the counters that
 * restart at each reset never repeat a GCM nonce under one key (WP-104 4.3). Node and client both call this, so they
 * cannot disagree; the session key itself is never transmitted (WP-104 4).
 */
public final class SessionKeys {
    /** Session key length: an AES-128 key. */
    public static final int SESSION_KEY_LENGTH = 16;
    /** Salt length fixed by this profile (WP-104 4.1 leaves it to the fieldbus profile). */
    public static final int SALT_LENGTH = 16;
    /** The factory commissioning marker's "key" length (WP-104 3.1: a zero key). */
    public static final int MARKER_LENGTH = 16;

    /** The first session generation: a factory-fresh node's first power-up. */
    public static final long FIRST_GENERATION = 1;
    /** The saturated generation: a node that reached it refuses secure messages ({@code generation-exhausted}). */
    public static final long EXHAUSTED_GENERATION = 0xFFFFFFFFL;

    private static final String LABEL = "WP104-SK";

    private SessionKeys() {
    }

    /**
     * Derives the 16-byte session key.
     *
     * @param role    the base key's role; {@link KeyRole#MARKER} requires the 16 zero bytes of the commissioning marker
     *                and the zero salt (WP-104 3.1, the uncommissioned node's salt slot is zero)
     * @param baseKey 16, 24 or 32 bytes
     * @param salt       the 16-byte salt slot; all-zero only for the marker (WP-104 4.1: no secure access while zero)
     * @param generation the node's session generation (0x5F05:6) in the power cycle of the session, see
     *                   {@link #isValidGeneration}
     * @param nodeId     1..127, bound into the label when {@code profile.perNodeContext()}
     * @throws IllegalArgumentException when the inputs break these rules
     */
    public static byte[] derive(KeyRole role, byte[] baseKey, byte[] salt, long generation, int nodeId,
            SessionProfile profile) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(baseKey, "baseKey");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(profile, "profile");
        NodeConfig.checkNodeId(nodeId);
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("salt must be " + SALT_LENGTH + " bytes");
        }
        boolean zeroSalt = KeyStrength.isAllZero(salt);
        if (role == KeyRole.MARKER) {
            if (baseKey.length != MARKER_LENGTH || !KeyStrength.isAllZero(baseKey) || !zeroSalt) {
                throw new IllegalArgumentException("the commissioning marker is 16 zero bytes used with the zero salt");
            }
        } else {
            if (!KeyStrength.isValidLength(baseKey.length)) {
                throw new IllegalArgumentException("base key must be 16, 24 or 32 bytes");
            }
            if (zeroSalt) {
                throw new IllegalArgumentException("no session without a salt (WP-104 4.1)");
            }
        }
        return Hkdf.derive(baseKey, salt, label(role, generation, nodeId, profile), SESSION_KEY_LENGTH);
    }

    /**
     * The HKDF info: {@code "WP104-SK" || role code (1) || generation (4, big-endian) || [node id (1)]}. Not secret.
     *
     * @throws IllegalArgumentException for a generation outside {@link #isValidGeneration} or a node id outside 1..127
     */
    public static byte[] label(KeyRole role, long generation, int nodeId, SessionProfile profile) {
        if (!isValidGeneration(generation)) {
            throw new IllegalArgumentException("no session in generation " + generation + " (valid: 1..0xFFFFFFFE)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LABEL.getBytes(StandardCharsets.US_ASCII));
        out.write(role.code());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) generation).array());
        if (profile.perNodeContext()) {
            out.write(NodeConfig.checkNodeId(nodeId));
        }
        return out.toByteArray();
    }

    /**
     * Whether a node in session generation {@code generation} can hold sessions: {@link #FIRST_GENERATION} up to, not
     * including, {@link #EXHAUSTED_GENERATION} (DESIGN.md "Session keys").
     */
    public static boolean isValidGeneration(long generation) {
        return generation >= FIRST_GENERATION && generation < EXHAUSTED_GENERATION;
    }
}
