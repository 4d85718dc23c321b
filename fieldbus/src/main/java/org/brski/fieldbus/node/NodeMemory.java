package org.brski.fieldbus.node;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.CRC32;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.crypto.KeyId;
import org.brski.fieldbus.crypto.KeyStrength;

/**
 * The simulated secure NVM image of a {@link FieldbusNode}, version 2 (all integers big-endian):
 * <pre>
 * magic "WP104NVM" (8) || version 0x02 (1) || serial number (4)
 * || restore count (4) || restored flag (1: 0/1) || failed verifications (4) || replays refused (4)
 * || session generation (4, &gt;= 1: the node's current one; loading the image is the next power-up)
 * || 3 x slot [PK, IK, OK]: key length (1: 0, 16, 24, 32) || key || Key ID (4) || failures (4)
 * || configuration length (2, &lt;= 256) || configuration
 * || CRC-32 of everything before (4)
 * </pre>
 * Parsing is strict and bounded: exact length, known version (version 1, without the generation, is refused), a
 * generation of at least 1, valid key lengths and strengths, no key in two slots (installs refuse it as
 * {@code duplicate-key}), Key IDs that match the slot (reserved for empty, not reserved for installed), no IK/OK without
 * PK, no restored flag with a PK. The image holds the base keys in clear, as the device's protected flash would (EmSA
 * WP-104 1.1 "secure non-volatile key storage"); the salt and sessions are volatile (WP-104 4.1) and never in it.
 */
final class NodeMemory {
    static final int VERSION = 2;
    private static final String MAGIC = "WP104NVM";
    private static final int FIXED = MAGIC.length() + 1 + 4 + 4 + 1 + 4 + 4 + 4 + 2 + 4;
    private static final int SLOT_FIXED = 1 + 4 + 4;
    private static final int MAX_LENGTH = FIXED + NodeObjects.SLOTS.size() * (SLOT_FIXED + 32) + NodeObjects.MAX_CONFIG_LENGTH;

    private NodeMemory() {
    }

    /** What is written: the NVM content of one node. */
    static final class Image {
        final long serial;
        final long restores;
        final boolean restored;
        final long failed;
        final long replays;
        final long generation;
        final byte[] configuration;
        final Map<KeyRole, byte[]> keys = new EnumMap<>(KeyRole.class);
        final Map<KeyRole, long[]> idAndFailures = new EnumMap<>(KeyRole.class);

        Image(long serial, long restores, boolean restored, long failed, long replays, long generation,
                byte[] configuration) {
            this.serial = serial;
            this.restores = restores;
            this.restored = restored;
            this.failed = failed;
            this.replays = replays;
            this.generation = generation;
            this.configuration = configuration.clone();
        }

        void slot(KeyRole role, byte[] key, long keyId, long failures) {
            keys.put(role, key);
            idAndFailures.put(role, new long[] {keyId, failures});
        }
    }

    static byte[] write(Image image) {
        ByteBuffer out = ByteBuffer.allocate(MAX_LENGTH);
        out.put(MAGIC.getBytes(StandardCharsets.US_ASCII)).put((byte) VERSION).putInt((int) image.serial)
                .putInt(u32(image.restores)).put((byte) (image.restored ? 1 : 0))
                .putInt(u32(image.failed)).putInt(u32(image.replays)).putInt(u32(image.generation));
        for (KeyRole role : NodeObjects.SLOTS) {
            byte[] key = image.keys.get(role);
            long[] meta = image.idAndFailures.get(role);
            out.put((byte) (key == null ? 0 : key.length));
            if (key != null) {
                out.put(key);
                Arrays.fill(key, (byte) 0);
            }
            out.putInt((int) meta[0]).putInt(u32(meta[1]));
        }
        out.putShort((short) image.configuration.length).put(image.configuration);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        byte[] result = Arrays.copyOf(out.array(), out.position());
        Arrays.fill(out.array(), (byte) 0);
        return result;
    }

    static void load(byte[] image, NodeConfig config, FieldbusNode.Loader loader) throws FieldbusException {
        if (image == null || image.length < FIXED + NodeObjects.SLOTS.size() * SLOT_FIXED || image.length > MAX_LENGTH) {
            throw bad("length outside the bounds of a version " + VERSION + " image");
        }
        CRC32 crc = new CRC32();
        crc.update(image, 0, image.length - 4);
        ByteBuffer in = ByteBuffer.wrap(image);
        if (Integer.toUnsignedLong(in.getInt(image.length - 4)) != crc.getValue()) {
            throw bad("checksum mismatch (corrupted image)");
        }
        byte[] magic = new byte[MAGIC.length()];
        in.get(magic);
        if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw bad("not a WP-104 node memory image");
        }
        int version = Byte.toUnsignedInt(in.get());
        if (version != VERSION) {
            throw bad("unsupported image version " + version);
        }
        long serial = Integer.toUnsignedLong(in.getInt());
        if (serial != config.serialNumber()) {
            throw new FieldbusException("memory-mismatch", "image of serial " + serial + " loaded into serial "
                    + config.serialNumber());
        }
        long restores = Integer.toUnsignedLong(in.getInt());
        int flag = Byte.toUnsignedInt(in.get());
        if (flag > 1) {
            throw bad("restored flag must be 0 or 1");
        }
        long failed = Integer.toUnsignedLong(in.getInt());
        long replays = Integer.toUnsignedLong(in.getInt());
        long generation = Integer.toUnsignedLong(in.getInt());
        if (generation < SessionKeys.FIRST_GENERATION) {
            throw bad("session generation 0: every exported node has been powered up at least once");
        }
        Map<KeyRole, byte[]> keys = new EnumMap<>(KeyRole.class);
        Map<KeyRole, long[]> meta = new EnumMap<>(KeyRole.class);
        try {
            for (KeyRole role : NodeObjects.SLOTS) {
                int keyLength = Byte.toUnsignedInt(in.get());
                if (keyLength != 0 && !KeyStrength.isValidLength(keyLength)) {
                    throw bad(role + " key length " + keyLength);
                }
                require(in, keyLength + 8);
                byte[] key = null;
                if (keyLength > 0) {
                    key = new byte[keyLength];
                    in.get(key);
                    keys.put(role, key);
                    checkKey(key, role);
                    checkDistinct(key, role, keys);
                }
                long keyId = Integer.toUnsignedLong(in.getInt());
                long failures = Integer.toUnsignedLong(in.getInt());
                if (key == null ? keyId != KeyId.EMPTY || failures != 0 : KeyId.isReserved(keyId)) {
                    throw bad(role + " slot: Key ID or failure count inconsistent with its key");
                }
                meta.put(role, new long[] {keyId, failures});
            }
            if (keys.get(KeyRole.PROVISIONING) == null
                    ? keys.containsKey(KeyRole.INTEGRATOR) || keys.containsKey(KeyRole.OPERATOR) : flag == 1) {
                throw bad("slots inconsistent with the lifecycle (IK/OK without PK, or restored flag with PK)");
            }
            require(in, 2);
            int configLength = Short.toUnsignedInt(in.getShort());
            if (configLength > NodeObjects.MAX_CONFIG_LENGTH || in.remaining() != configLength + 4) {
                throw bad("configuration length " + configLength + " does not fit the image");
            }
            byte[] configuration = new byte[configLength];
            in.get(configuration);
            for (KeyRole role : NodeObjects.SLOTS) {
                loader.slot(role, keys.get(role), meta.get(role)[0], meta.get(role)[1]);
            }
            loader.configuration(configuration);
            loader.counters(restores, flag == 1, failed, replays, generation);
        } finally {
            for (byte[] key : keys.values()) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    private static void checkKey(byte[] key, KeyRole role) throws FieldbusException {
        try {
            KeyStrength.check(key);
        } catch (FieldbusException e) {
            throw bad(role + " key breaks " + e.reason());
        }
    }

    /** DESIGN.md "Duplicate keys": a key equal to another slot's would void the separation of WP-104 3.3/3.4. */
    private static void checkDistinct(byte[] key, KeyRole role, Map<KeyRole, byte[]> keys) throws FieldbusException {
        for (Map.Entry<KeyRole, byte[]> other : keys.entrySet()) {
            if (other.getKey() != role && MessageDigest.isEqual(other.getValue(), key)) {
                throw bad(role + " key equals the " + other.getKey() + " key (duplicate-key)");
            }
        }
    }

    private static void require(ByteBuffer in, int n) throws FieldbusException {
        if (in.remaining() - 4 < n) {
            throw bad("truncated image");
        }
    }

    /** A count as the image stores it: UNSIGNED32, saturated. */
    private static int u32(long count) {
        return (int) NodeObjects.saturate(count);
    }

    private static FieldbusException bad(String message) {
        return new FieldbusException("bad-memory-image", message);
    }
}
