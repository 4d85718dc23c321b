package org.brski.fieldbus.keys;

import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.crypto.KeyId;
import org.brski.fieldbus.crypto.KeyStrength;

/**
 * One base key in a key package: its role, the key bytes, its 32-bit Key ID (EmSA WP-104 3.5), the domain's key
 * revision (Integrator and Operator Keys) or the node it belongs to (Provisioning Keys, device-unique, WP-104 3.2).
 * Immutable; the key bytes are copied in and out and never appear in {@link #toString()}.
 *
 * <p>Encoded as an RFC 6031 {@code OneSymmetricKey}; see {@link SymmetricKeyPackage} for the attribute mapping.
 */
public final class PackagedKey {
    private final KeyRole role;
    private final byte[] key;
    private final long keyId;
    private final int revision;
    private final OptionalLong nodeSerial;

    private PackagedKey(KeyRole role, byte[] key, long keyId, int revision, OptionalLong nodeSerial) {
        this.role = role;
        this.key = key.clone();
        this.keyId = keyId;
        this.revision = revision;
        this.nodeSerial = nodeSerial;
        if (!KeyStrength.isValidLength(key.length)) {
            throw new IllegalArgumentException("a base key is 16, 24 or 32 bytes (EmSA WP-104 5)");
        }
        if (keyId < 0 || keyId > KeyId.MAX || KeyId.isReserved(keyId)) {
            throw new IllegalArgumentException("a Key ID is an UNSIGNED32 other than 0 and 0xFFFFFFFF (EmSA WP-104 6)");
        }
        if (revision < 0) {
            throw new IllegalArgumentException("a key revision is not negative");
        }
        nodeSerial.ifPresent(serial -> {
            if (serial < 0 || serial > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("a node serial number is an UNSIGNED32 (CiA 301 object 0x1018:4)");
            }
        });
    }

    /** The machine's Integrator Key of a domain key revision (WP-104 3.3). */
    public static PackagedKey integrator(byte[] key, long keyId, int revision) {
        return new PackagedKey(KeyRole.INTEGRATOR, Objects.requireNonNull(key, "key"), keyId, revision,
                OptionalLong.empty());
    }

    /** The machine's Operator Key of a domain key revision (WP-104 3.4). */
    public static PackagedKey operator(byte[] key, long keyId, int revision) {
        return new PackagedKey(KeyRole.OPERATOR, Objects.requireNonNull(key, "key"), keyId, revision,
                OptionalLong.empty());
    }

    /** A node's device-unique Provisioning Key (WP-104 3.2), identified by the node's serial number. */
    public static PackagedKey provisioning(long nodeSerial, byte[] key, long keyId) {
        return new PackagedKey(KeyRole.PROVISIONING, Objects.requireNonNull(key, "key"), keyId, 0,
                OptionalLong.of(nodeSerial));
    }

    public KeyRole role() {
        return role;
    }

    /** A copy of the key bytes; the caller should overwrite it when done. */
    public byte[] key() {
        return key.clone();
    }

    /** The 32-bit Key ID, never a reserved value. */
    public long keyId() {
        return keyId;
    }

    /** The domain key revision (0 for Provisioning Keys, which are not derived). */
    public int revision() {
        return revision;
    }

    /** The node serial number of a Provisioning Key; empty for the machine-wide keys. */
    public OptionalLong nodeSerial() {
        return nodeSerial;
    }

    /** Whether both hold the same key bytes, compared in constant time. */
    public boolean sameKey(PackagedKey other) {
        return MessageDigest.isEqual(key, other.key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackagedKey p && role == p.role && keyId == p.keyId && revision == p.revision
                && nodeSerial.equals(p.nodeSerial) && MessageDigest.isEqual(key, p.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, keyId, revision, nodeSerial);
    }

    /** Role, Key ID, revision or node, and the key length; never the key. */
    @Override
    public String toString() {
        return role.name().toLowerCase(Locale.ROOT) + " key " + KeyId.hex(keyId)
                + (nodeSerial.isPresent() ? " of node " + String.format("%08x", nodeSerial.getAsLong())
                        : " revision " + revision)
                + " (" + key.length * 8 + " bits)";
    }
}
