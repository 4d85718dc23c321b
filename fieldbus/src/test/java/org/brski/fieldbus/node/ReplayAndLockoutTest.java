package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EmSA WP-104 chapter 5: truncated tags give a forgery probability of about 2^-n per attempt, "so a deployment that
 * truncates must bound the number of accepted verification failures"; and the replay protection of the downstream
 * protocol (4.3) that this model's secure messages provide.
 */
class ReplayAndLockoutTest {

    @Test
    void replayedWriteRefusedAndCounted() throws Exception {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(false);
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        byte[] first = ik.seal(NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1});
        byte[] second = ik.seal(NodeObjects.PROTECTED_CONFIG, 0, new byte[] {2});
        bench.node.write(NodeObjects.PROTECTED_CONFIG, 0, second);
        bench.assertRefused(SdoAbort.CANNOT_STORE, "replayed-counter", () -> bench.node.write(NodeObjects.PROTECTED_CONFIG, 0, second));
        bench.assertRefused(SdoAbort.CANNOT_STORE, "replayed-counter", () -> bench.node.write(NodeObjects.PROTECTED_CONFIG, 0, first));
        assertArrayEquals(new byte[] {2}, bench.node.read(NodeObjects.PROTECTED_CONFIG, 0));
        assertEquals(2, bench.counter(NodeObjects.COUNTER_REPLAYS));
        assertEquals(2, bench.node.replaysRefused());
        assertEquals(0, bench.node.failedVerifications());
    }

    /** Forged counters: a message whose counter field is raised no longer verifies (the counter is in nonce and AAD). */
    @Test
    void counterFieldIsAuthenticated() throws Exception {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(false);
        byte[] msg = bench.channel(KeyRole.INTEGRATOR, keys.ik).seal(NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1});
        ByteBuffer.wrap(msg).putInt(1, 1000);
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag", () -> bench.node.write(NodeObjects.PROTECTED_CONFIG, 0, msg));
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 48, 64, 128})
    void tamperedTagRefusedAtEveryTagLength(int tagBits) throws Exception {
        Bench bench = Bench.withProfile(SessionProfile.of(tagBits, true));
        Bench.Keys keys = bench.commission(false);
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        for (int bit = 0; bit < tagBits; bit += Math.max(7, tagBits / 8 + 1)) {
            byte[] msg = ik.seal(NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1, 2, 3});
            assertEquals(SecureMessage.HEADER_LENGTH + 3 + tagBits / 8, msg.length);
            msg[msg.length - tagBits / 8 + bit / 8] ^= (byte) (1 << (bit % 8));
            bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag", () -> bench.node.write(NodeObjects.PROTECTED_CONFIG, 0, msg));
        }
        byte[] good = ik.seal(NodeObjects.PROTECTED_CONFIG, 0, new byte[] {4});
        bench.node.write(NodeObjects.PROTECTED_CONFIG, 0, good);
        assertArrayEquals(new byte[] {4}, bench.node.read(NodeObjects.PROTECTED_CONFIG, 0));
    }

    @Test
    void peersWithDifferentTagLengthsDoNotInteroperate() throws Exception {
        Bench bench = Bench.withProfile(SessionProfile.of(32, true));
        Bench.Keys keys = bench.commission(false);
        SecureChannel longTags = SecureChannel.open(KeyRole.INTEGRATOR, keys.ik, bench.salt, bench.generation,
                bench.nodeId(), SessionProfile.of(128, true));
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag",
                () -> bench.writeSecure(longTags, NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1}));
    }

    /**
     * 32-bit tags: random forgeries are refused and counted against the key; after maxFailedVerifications the key is
     * locked, so even a valid message is refused and the total forgery chance stays about 16 x 2^-32.
     */
    @Test
    void forgeryWithShortTagsBoundedByLockout() throws Exception {
        Bench bench = Bench.withProfile(SessionProfile.of(32, true));
        FieldbusNode node = bench.node;
        Bench.Keys keys = bench.commission(false);
        int max = bench.config.maxFailedVerifications();
        assertEquals(16, max);
        for (long counter = 1; counter <= max; counter++) {
            byte[] forged = new byte[SecureMessage.HEADER_LENGTH + 2 + 4];
            Bench.RANDOM.nextBytes(forged);
            ByteBuffer.wrap(forged).put(0, (byte) KeyRole.INTEGRATOR.code()).putInt(1, (int) counter);
            bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag", () -> node.write(NodeObjects.PROTECTED_CONFIG, 0, forged));
        }
        assertTrue(node.isLocked(KeyRole.INTEGRATOR));
        assertEquals(max, node.failedVerifications(KeyRole.INTEGRATOR));
        assertEquals(1L << KeyRole.INTEGRATOR.code(), bench.counter(NodeObjects.COUNTER_LOCKED_KEYS));
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        bench.assertRefused(SdoAbort.CANNOT_STORE, "key-locked",
                () -> bench.writeSecure(ik, NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1}));
        assertEquals(max, bench.counter(NodeObjects.COUNTER_FAILED_VERIFICATIONS), "locked attempts are not verified");
        // other keys are unaffected
        assertFalse(node.isLocked(KeyRole.PROVISIONING));
        SecureChannel pk = bench.channel(KeyRole.PROVISIONING, keys.pk);
        // the lock survives a power cycle
        node.powerCycle();
        bench.writeSalt();
        SecureChannel ikAfterReset = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        bench.assertRefused(SdoAbort.CANNOT_STORE, "key-locked",
                () -> bench.writeSecure(ikAfterReset, NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1}));
        // replacing the IK under the PK lifts the lock
        pk = bench.channel(KeyRole.PROVISIONING, keys.pk);
        byte[] newIk = Bench.newKey();
        bench.install(pk, KeyRole.INTEGRATOR, newIk, 0x51);
        assertFalse(node.isLocked(KeyRole.INTEGRATOR));
        assertEquals(0, bench.counter(NodeObjects.COUNTER_LOCKED_KEYS));
        bench.writeSecure(bench.channel(KeyRole.INTEGRATOR, newIk), NodeObjects.PROTECTED_CONFIG, 0, new byte[] {5});
        assertArrayEquals(new byte[] {5}, node.read(NodeObjects.PROTECTED_CONFIG, 0));
    }

    /** The failure budget is per key and is not reset by successful messages. */
    @Test
    void failuresAccumulateAcrossSuccesses() throws Exception {
        Bench bench = new Bench(NodeConfig.builder(12).serialNumber(9).maxFailedVerifications(3).build());
        Bench.Keys keys = bench.commission(false);
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        SecureChannel wrong = bench.rogue(KeyRole.INTEGRATOR, Bench.newKey());
        for (int i = 0; i < 3; i++) {
            bench.writeSecure(ik, NodeObjects.PROTECTED_CONFIG, 0, new byte[] {(byte) i});
            bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag",
                    () -> bench.writeSecure(wrong, NodeObjects.PROTECTED_CONFIG, 0, new byte[] {9}));
        }
        bench.assertRefused(SdoAbort.CANNOT_STORE, "key-locked",
                () -> bench.writeSecure(ik, NodeObjects.PROTECTED_CONFIG, 0, new byte[] {3}));
    }

    /** "A locked PK therefore needs the local restore action." */
    @Test
    void lockedProvisioningKeyRecoveredOnlyByLocalRestore() throws Exception {
        Bench bench = new Bench(NodeConfig.builder(12).serialNumber(9).maxFailedVerifications(2).build());
        Bench.Keys keys = bench.commission(false);
        SecureChannel wrongPk = bench.rogue(KeyRole.PROVISIONING, Bench.newKey());
        for (int i = 0; i < 2; i++) {
            bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag",
                    () -> bench.writeSecure(wrongPk, NodeObjects.FACTORY_RESTORE, 0, NodeObjects.restoreCommand()));
        }
        SecureChannel pk = bench.channel(KeyRole.PROVISIONING, keys.pk);
        bench.assertRefused(SdoAbort.CANNOT_STORE, "key-locked",
                () -> bench.writeSecure(pk, NodeObjects.FACTORY_RESTORE, 0, NodeObjects.restoreCommand()));
        bench.assertRefused(SdoAbort.CANNOT_STORE, "key-locked", () -> bench.install(pk, KeyRole.INTEGRATOR, Bench.newKey(), 3));
        assertEquals(1L << KeyRole.PROVISIONING.code(), bench.counter(NodeObjects.COUNTER_LOCKED_KEYS));
        bench.node.localFactoryRestore();
        assertEquals(NodeState.UNCOMMISSIONED, bench.node.state());
        assertFalse(bench.node.isLocked(KeyRole.PROVISIONING));
    }

    @Test
    void malformedMessagesRefusedWithoutCounting() throws Exception {
        Bench bench = Bench.fresh();
        bench.commission(false);
        FieldbusNode node = bench.node;
        byte[] unknownRole = new byte[SecureMessage.HEADER_LENGTH + 8 + 1];
        unknownRole[0] = 9;
        unknownRole[4] = 1;
        bench.assertRefused(SdoAbort.LENGTH_MISMATCH, "malformed-message", () -> node.write(NodeObjects.PROTECTED_CONFIG, 0, unknownRole));
        byte[] zeroCounter = new byte[SecureMessage.HEADER_LENGTH + 8 + 1];
        zeroCounter[0] = 2;
        bench.assertRefused(SdoAbort.LENGTH_MISMATCH, "malformed-message", () -> node.write(NodeObjects.PROTECTED_CONFIG, 0, zeroCounter));
        bench.assertRefused(SdoAbort.LENGTH_MISMATCH, "malformed-message",
                () -> node.write(NodeObjects.PROTECTED_CONFIG, 0, new byte[SecureMessage.HEADER_LENGTH + 7]));
        bench.assertRefused(SdoAbort.LENGTH_MISMATCH, "malformed-message",
                () -> node.write(NodeObjects.PROTECTED_CONFIG, 0, new byte[SecureMessage.HEADER_LENGTH + 8 + 257]));
        assertEquals(0, node.failedVerifications());
        assertEquals(0, node.replaysRefused());
    }
}
