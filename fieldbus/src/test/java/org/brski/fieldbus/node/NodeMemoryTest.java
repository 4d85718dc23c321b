package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.brski.fieldbus.crypto.KeyId;
import org.junit.jupiter.api.Test;

/** The simulated secure NVM: what survives (keys, Key IDs, counters, configuration) and what never does (salt). */
class NodeMemoryTest {
    /** Offset of the session generation: magic 8, version 1, serial 4, restores 4, flag 1, failed 4, replays 4. */
    private static final int GENERATION = 26;
    /** Offset of the PK slot's key-length byte, after the generation (4). */
    private static final int PK_SLOT = GENERATION + 4;

    @Test
    void exportImportKeepsKeysIdsConfigurationAndCounters() throws Exception {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(true);
        bench.writeSecure(bench.channel(KeyRole.OPERATOR, keys.ok), NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1, 2});
        SecureChannel wrong = bench.rogue(KeyRole.OPERATOR, Bench.newKey());
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag",
                () -> bench.writeSecure(wrong, NodeObjects.PROTECTED_CONFIG, 0, new byte[] {3}));
        byte[] image = bench.node.exportMemory();

        Bench restored = new Bench(FieldbusNode.fromMemory(bench.config, image));
        FieldbusNode node = restored.node;
        assertEquals(NodeState.OPERATOR, node.state());
        assertEquals(keys.pkId, node.keyId(KeyRole.PROVISIONING));
        assertEquals(keys.ikId, node.keyId(KeyRole.INTEGRATOR));
        assertEquals(keys.okId, node.keyId(KeyRole.OPERATOR));
        assertArrayEquals(new byte[] {1, 2}, node.read(NodeObjects.PROTECTED_CONFIG, 0));
        assertEquals(1, node.failedVerifications());
        assertEquals(1, node.failedVerifications(KeyRole.OPERATOR));
        assertArrayEquals(new byte[16], node.read(NodeObjects.SALT, 0), "a loaded node starts without salt");
        // the keys are really there: a new session under the IK works
        restored.writeSalt();
        restored.writeSecure(restored.channel(KeyRole.INTEGRATOR, keys.ik), NodeObjects.PROTECTED_CONFIG, 0, new byte[] {9});
        assertArrayEquals(image, bench.node.exportMemory(), "exporting does not change the source");
    }

    /** WP-104 4.1: the salt is volatile; the image never contains it and does not change with it. */
    @Test
    void exportedMemoryContainsNoSaltOrSession() throws Exception {
        Bench bench = Bench.fresh();
        bench.commission(false);
        byte[] withSalt = bench.node.exportMemory();
        assertFalse(contains(withSalt, bench.salt), "salt found in the exported image");
        bench.node.write(NodeObjects.DIGITAL_OUTPUTS, 1, new byte[] {5});
        bench.node.powerCycle();
        assertArrayEquals(withGeneration(withSalt, generationOf(withSalt) + 1), bench.node.exportMemory(),
                "volatile state leaked into the image (only the generation advances at a power cycle)");
    }

    /** WP-104 3.6: the restore counter is non-erasable, in NVM. */
    @Test
    void restoreCounterAndFlagSurviveExportImport() throws Exception {
        Bench bench = Bench.fresh();
        bench.commission(false);
        bench.node.localFactoryRestore();
        bench.node.localFactoryRestore();
        FieldbusNode loaded = FieldbusNode.fromMemory(bench.config, bench.node.exportMemory());
        assertEquals(2, loaded.restoreCount());
        assertTrue(loaded.restoredFlag());
        assertEquals(NodeState.UNCOMMISSIONED, loaded.state());
        assertEquals(KeyId.EMPTY, loaded.keyId(KeyRole.PROVISIONING));
    }

    @Test
    void lockoutSurvivesExportImport() throws Exception {
        Bench bench = new Bench(NodeConfig.builder(5).serialNumber(1).maxFailedVerifications(1).build());
        Bench.Keys keys = bench.commission(false);
        SecureChannel wrong = bench.rogue(KeyRole.INTEGRATOR, Bench.newKey());
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag",
                () -> bench.writeSecure(wrong, NodeObjects.PROTECTED_CONFIG, 0, new byte[1]));
        Bench loaded = new Bench(FieldbusNode.fromMemory(bench.config, bench.node.exportMemory()));
        loaded.writeSalt();
        loaded.assertRefused(SdoAbort.CANNOT_STORE, "key-locked",
                () -> loaded.writeSecure(loaded.channel(KeyRole.INTEGRATOR, keys.ik), NodeObjects.PROTECTED_CONFIG, 0, new byte[1]));
    }

    @Test
    void factoryFreshImageRoundTrips() throws FieldbusException {
        NodeConfig config = NodeConfig.of(3, 77);
        byte[] image = FieldbusNode.create(config).exportMemory();
        assertEquals(SessionKeys.FIRST_GENERATION, generationOf(image));
        assertArrayEquals(withGeneration(image, 2), FieldbusNode.fromMemory(config, image).exportMemory(),
                "loading is a power-up: the same image with the next generation");
    }

    @Test
    void damagedImagesRefused() throws Exception {
        Bench bench = Bench.fresh();
        bench.commission(true);
        byte[] image = bench.node.exportMemory();
        NodeConfig config = bench.config;
        for (int i = 0; i < image.length; i += 5) {
            byte[] flipped = image.clone();
            flipped[i] ^= 0x10;
            assertBad(config, flipped);
        }
        assertBad(config, Arrays.copyOf(image, image.length - 1));
        assertBad(config, Arrays.copyOf(image, image.length + 1));
        assertBad(config, withCrc(Arrays.copyOf(image, image.length + 4)));
        assertBad(config, new byte[0]);
        assertBad(config, new byte[4096]);
        assertBad(config, null);
    }

    @Test
    void inconsistentImagesRefusedEvenWithAValidChecksum() throws Exception {
        Bench bench = Bench.fresh();
        bench.commission(false);
        byte[] image = bench.node.exportMemory();
        NodeConfig config = bench.config;
        for (int v : new int[] {1, 3}) {
            byte[] version = image.clone();
            version[8] = (byte) v;
            assertBad(config, withCrc(version));
        }
        assertBad(config, withGeneration(image, 0));
        byte[] magic = image.clone();
        magic[0] = 'X';
        assertBad(config, withCrc(magic));
        byte[] flag = image.clone();
        flag[17] = 1; // restored flag while a PK is installed
        assertBad(config, withCrc(flag));
        byte[] flag2 = image.clone();
        flag2[17] = 2;
        assertBad(config, withCrc(flag2));
        byte[] weak = image.clone();
        Arrays.fill(weak, PK_SLOT + 1, PK_SLOT + 17, (byte) 0x41);
        assertBad(config, withCrc(weak));
        byte[] reservedId = image.clone();
        ByteBuffer.wrap(reservedId).putInt(PK_SLOT + 17, 0);
        assertBad(config, withCrc(reservedId));
        byte[] keyLength = image.clone();
        keyLength[PK_SLOT] = 20;
        assertBad(config, withCrc(keyLength));
        // a PK slot emptied while the IK slot stays: IK without PK
        ByteBuffer pkless = ByteBuffer.allocate(image.length - 16);
        pkless.put(image, 0, PK_SLOT).put((byte) 0).putInt((int) KeyId.EMPTY).putInt(0);
        pkless.put(image, PK_SLOT + 1 + 16 + 8, image.length - (PK_SLOT + 1 + 16 + 8));
        assertBad(config, withCrc(pkless.array()));
    }

    /** DESIGN.md "Duplicate keys": installs refuse a key held by another slot, and so does loading. */
    @Test
    void imageWithOneKeyInTwoSlotsRefused() throws Exception {
        Bench bench = Bench.fresh();
        bench.commission(true);
        byte[] image = bench.node.exportMemory();
        int ikSlot = PK_SLOT + 1 + 16 + 8;
        int okSlot = ikSlot + 1 + 16 + 8;
        assertEquals(16, image[ikSlot]);
        assertEquals(16, image[okSlot]);
        for (int[] copy : new int[][] {{PK_SLOT, ikSlot}, {PK_SLOT, okSlot}, {ikSlot, okSlot}}) {
            byte[] duplicate = image.clone();
            System.arraycopy(image, copy[0] + 1, duplicate, copy[1] + 1, 16);
            FieldbusException e = assertThrows(FieldbusException.class,
                    () -> FieldbusNode.fromMemory(bench.config, withCrc(duplicate)));
            assertEquals("bad-memory-image", e.reason());
            assertTrue(e.getMessage().contains("duplicate-key"), e.getMessage());
        }
        FieldbusNode.fromMemory(bench.config, image);
    }

    @Test
    void imageOfAnotherSerialRefused() throws Exception {
        Bench bench = Bench.fresh();
        bench.commission(false);
        byte[] image = bench.node.exportMemory();
        FieldbusException e = assertThrows(FieldbusException.class,
                () -> FieldbusNode.fromMemory(bench.config.toBuilder().serialNumber(4711).build(), image));
        assertEquals("memory-mismatch", e.reason());
    }

    private static void assertBad(NodeConfig config, byte[] image) {
        FieldbusException e = assertThrows(FieldbusException.class, () -> FieldbusNode.fromMemory(config, image));
        assertTrue(e.reason().equals("bad-memory-image") || e.reason().equals("memory-mismatch"), e.reason());
    }

    /** A copy of {@code image} with the session generation field set to {@code generation} and a valid checksum. */
    static byte[] withGeneration(byte[] image, long generation) {
        byte[] copy = image.clone();
        ByteBuffer.wrap(copy).putInt(GENERATION, (int) generation);
        return withCrc(copy);
    }

    static long generationOf(byte[] image) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(image).getInt(GENERATION));
    }

    private static byte[] withCrc(byte[] image) {
        CRC32 crc = new CRC32();
        crc.update(image, 0, image.length - 4);
        ByteBuffer.wrap(image).putInt(image.length - 4, (int) crc.getValue());
        return image;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
