package org.brski.fieldbus.node;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.Cia301;
import org.brski.fieldbus.crypto.KeyStrength;

/**
 * Indices, sub-indices and value encodings of the WP-104 object dictionary of DESIGN.md (EmSA WP-104 chapter 6 leaves
 * the concrete entries to the profile), shared by the node and its clients. Numeric entries (UNSIGNED8/32) use the
 * little-endian encoding of CiA 301; fields inside a {@link SecureMessage} plaintext (the Key ID after an install key
 * or a challenge) are big-endian like the message header.
 */
public final class NodeObjects {
    /** 0x1000 device type. */
    public static final int DEVICE_TYPE = 0x1000;
    /** 0x1018 identity: :1 vendor-id, :2 product code, :4 serial number. */
    public static final int IDENTITY = 0x1018;
    /** 0x5F00 security state (UNSIGNED8, {@link NodeState#code()}). */
    public static final int SECURITY_STATE = 0x5F00;
    /** 0x5F01 key install, sub-index = role code (1 PK, 2 IK, 3 OK). */
    public static final int KEY_INSTALL = 0x5F01;
    /** 0x5F02 Key IDs, sub-index = role code. */
    public static final int KEY_ID = 0x5F02;
    /** 0x5F03 salt (write-once-after-reset). */
    public static final int SALT = 0x5F03;
    /** 0x5F04 factory restore. */
    public static final int FACTORY_RESTORE = 0x5F04;
    /** 0x5F05 counters. */
    public static final int COUNTERS = 0x5F05;
    /** 0x5F06 session check. */
    public static final int SESSION_CHECK = 0x5F06;
    /** 0x2100 protected configuration. */
    public static final int PROTECTED_CONFIG = 0x2100;
    /** 0x6200 digital outputs, :1 the first 8 outputs. */
    public static final int DIGITAL_OUTPUTS = 0x6200;

    /** 0x5F05:1 restore events (non-erasable). */
    public static final int COUNTER_RESTORES = 1;
    /** 0x5F05:2 failed verifications (total). */
    public static final int COUNTER_FAILED_VERIFICATIONS = 2;
    /** 0x5F05:3 replays refused. */
    public static final int COUNTER_REPLAYS = 3;
    /** 0x5F05:4 locked keys bitmask, bit n = role code n. */
    public static final int COUNTER_LOCKED_KEYS = 4;
    /** 0x5F05:5 restored flag, the WP-104 3.6 "diagnostic bit". */
    public static final int COUNTER_RESTORED_FLAG = 5;
    /** 0x5F05:6 session generation: power-ups since manufacture, an input of every session key (DESIGN.md). */
    public static final int COUNTER_GENERATION = 6;

    /** Length of the session-check challenge. */
    public static final int CHALLENGE_LENGTH = 8;
    /** Largest protected configuration blob. */
    public static final int MAX_CONFIG_LENGTH = SecureMessage.MAX_PLAINTEXT;

    /** The base-key slots in sub-index order (0x5F01/0x5F02 :1..3), also the order of the NVM image. */
    static final List<KeyRole> SLOTS = List.of(KeyRole.PROVISIONING, KeyRole.INTEGRATOR, KeyRole.OPERATOR);

    private static final String RESTORE = "RESTORE";

    private NodeObjects() {
    }

    /** The sub-index of {@code role} in 0x5F01 and 0x5F02. */
    public static int subIndex(KeyRole role) {
        if (role == KeyRole.MARKER) {
            throw new IllegalArgumentException("the commissioning marker has no key slot");
        }
        return role.code();
    }

    /**
     * The plaintext of a key install: {@code key || Key ID (4, BE)}.
     *
     * @throws IllegalArgumentException for a key length other than 16, 24, 32 or a Key ID outside UNSIGNED32; weak keys
     *                                  and reserved Key IDs are left for the node to refuse (negative tests need them)
     */
    public static byte[] keyInstallPlaintext(byte[] key, long keyId) {
        Objects.requireNonNull(key, "key");
        if (!KeyStrength.isValidLength(key.length) || keyId < 0 || keyId > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("key must be 16, 24 or 32 bytes and the Key ID an UNSIGNED32");
        }
        return ByteBuffer.allocate(key.length + 4).put(key).putInt((int) keyId).array();
    }

    /** The plaintext of a factory restore command: ASCII {@code RESTORE}. */
    public static byte[] restoreCommand() {
        return RESTORE.getBytes(StandardCharsets.US_ASCII);
    }

    /** A count held wider than UNSIGNED32, as reported and stored: saturated at 0xFFFFFFFF, never wrapped. */
    static long saturate(long count) {
        return Math.min(count, Cia301.MAX_UNSIGNED32);
    }

    /** An UNSIGNED32 as CiA 301 transfers it (4 bytes, little-endian, {@link Cia301#unsigned32(long)}). */
    public static byte[] u32(long value) {
        return Cia301.unsigned32(value);
    }

    /**
     * Decodes an UNSIGNED32 read from the node.
     *
     * @throws FieldbusException {@code malformed-value} unless exactly 4 bytes
     */
    public static long readU32(byte[] value) throws FieldbusException {
        if (value == null || value.length != 4) {
            throw new FieldbusException("malformed-value", "an UNSIGNED32 is 4 bytes");
        }
        return Cia301.unsigned32(value, 0);
    }

    /**
     * Decodes the session generation read from 0x5F05:6, for {@link SecureChannel#open} and
     * {@link SecureChannel#forMarker}.
     *
     * @throws FieldbusException {@code malformed-value} unless 4 bytes; {@code generation-exhausted} when the node can
     *                           hold no session in it (0xFFFFFFFF, or the never-reported 0)
     */
    public static long readGeneration(byte[] value) throws FieldbusException {
        long generation = readU32(value);
        if (!SessionKeys.isValidGeneration(generation)) {
            throw new FieldbusException("generation-exhausted", String.format(
                    "the node reports session generation 0x%08X: it accepts no secure messages", generation));
        }
        return generation;
    }
}
