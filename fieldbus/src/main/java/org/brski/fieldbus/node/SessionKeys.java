package org.brski.fieldbus.node;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.crypto.Hkdf;
import org.brski.fieldbus.crypto.KeyStrength;

/**
 * Session-key derivation of EmSA WP-104 4.2 ({@code SK = KDF(K, salt, context)}, Figure 3) with the primitives of
 * chapter 5, as fixed by DESIGN.md "Session keys":
 * {@code SK = HKDF-SHA-256(IKM = base key, salt = salt slot, info = "WP104-SK" || role || [node id], L = 16)}.
 * Node and client both call this, so they cannot disagree; the session key itself is never transmitted (WP-104 4).
 */
public final class SessionKeys {
    /** Session key length: an AES-128 key. */
    public static final int SESSION_KEY_LENGTH = 16;
    /** Salt length fixed by this profile (WP-104 4.1 leaves it to the fieldbus profile). */
    public static final int SALT_LENGTH = 16;
    /** The factory commissioning marker's "key" length (WP-104 3.1: a zero key). */
    public static final int MARKER_LENGTH = 16;

    private static final String LABEL = "WP104-SK";

    private SessionKeys() {
    }

    /**
     * Derives the 16-byte session key.
     *
     * @param role    the base key's role; {@link KeyRole#MARKER} requires the 16 zero bytes of the commissioning marker
     *                and the zero salt (WP-104 3.1, the uncommissioned node's salt slot is zero)
     * @param baseKey 16, 24 or 32 bytes
     * @param salt    the 16-byte salt slot; all-zero only for the marker (WP-104 4.1: no secure access while zero)
     * @param nodeId  1..127, bound into the label when {@code profile.perNodeContext()}
     * @throws IllegalArgumentException when the inputs break these rules
     */
    public static byte[] derive(KeyRole role, byte[] baseKey, byte[] salt, int nodeId, SessionProfile profile) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(baseKey, "baseKey");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(profile, "profile");
        NodeConfig.checkNodeId(nodeId);
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("salt must be " + SALT_LENGTH + " bytes");
        }
        boolean zeroSalt = isZero(salt);
        if (role == KeyRole.MARKER) {
            if (baseKey.length != MARKER_LENGTH || !isZero(baseKey) || !zeroSalt) {
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
        return Hkdf.derive(baseKey, salt, label(role, nodeId, profile), SESSION_KEY_LENGTH);
    }

    /** The HKDF info: {@code "WP104-SK" || role code || [node id]}. Not secret. */
    public static byte[] label(KeyRole role, int nodeId, SessionProfile profile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LABEL.getBytes(StandardCharsets.US_ASCII));
        out.write(role.code());
        if (profile.perNodeContext()) {
            out.write(NodeConfig.checkNodeId(nodeId));
        }
        return out.toByteArray();
    }

    static boolean isZero(byte[] bytes) {
        return Arrays.equals(bytes, new byte[bytes.length]);
    }
}
