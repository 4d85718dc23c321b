package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.junit.jupiter.api.Test;

/**
 * The node's persistent session generation (0x5F05:6, DESIGN.md "Session keys"): an NMT reset is unauthenticated and a
 * salt may recur across power cycles (EmSA WP-104 4.4), so an attacker can reset a node and write an old salt; the
 * generation, bound into every session key, keeps the restarted counters from repeating a (key, nonce) pair and keeps
 * recorded messages from being accepted again (WP-104 4.3).
 */
class SessionGenerationTest {
    private static final byte[] C1 = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final byte[] C2 = {8, 7, 6, 5, 4, 3, 2, 1};

    private static long generation(Bench bench) throws SdoAbort, FieldbusException {
        return bench.counter(NodeObjects.COUNTER_GENERATION);
    }

    /** A recorded PK-sealed install of a retired Integrator Key cannot be replayed after reset + old salt. */
    @Test
    void replayedIntegratorKeyInstallAfterResetWithTheOldSaltIsRefused() throws Exception {
        Bench bench = Bench.fresh();
        Bench.Keys keys = new Bench.Keys();
        bench.installPk(keys.pk, keys.pkId);
        byte[] recordedSalt = bench.writeSalt();
        byte[] recorded = bench.channel(KeyRole.PROVISIONING, keys.pk).seal(NodeObjects.KEY_INSTALL, 2,
                NodeObjects.keyInstallPlaintext(keys.ik, keys.ikId));
        bench.node.write(NodeObjects.KEY_INSTALL, 2, recorded);
        // the tool rotates to another Integrator Key in a later power cycle
        bench.node.powerCycle();
        bench.writeSalt();
        byte[] rotated = Bench.newKey();
        long rotatedId = Bench.newKeyId();
        bench.install(bench.channel(KeyRole.PROVISIONING, keys.pk), KeyRole.INTEGRATOR, rotated, rotatedId);

        // attacker: NMT reset, the recorded salt, the recorded install (counter 1 is above the restarted counter)
        bench.node.powerCycle();
        bench.node.write(NodeObjects.SALT, 0, recordedSalt);
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag", () -> bench.node.write(NodeObjects.KEY_INSTALL, 2, recorded));
        assertEquals(rotatedId, bench.node.keyId(KeyRole.INTEGRATOR), "the retired Integrator Key came back");
        // the rotated key is still the one in use
        bench.useSalt(recordedSalt);
        bench.writeSecure(bench.channel(KeyRole.INTEGRATOR, rotated), NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1});
    }

    /**
     * Recorded session-check requests replayed after reset + old salt: without the generation the node would answer
     * the second request with node counter 1 again, i.e. the nonce of its first recorded reply under the same key with
     * another plaintext (GCM nonce reuse). The replay is refused and no reply is produced.
     */
    @Test
    void replayedSessionCheckAfterResetWithTheOldSaltIsRefused() throws Exception {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(false);
        byte[] recordedSalt = bench.salt;
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        bench.node.write(NodeObjects.SESSION_CHECK, 0, ik.sessionCheckRequest(C1));
        byte[] recordedReply = bench.node.read(NodeObjects.SESSION_CHECK, 0);
        byte[] recordedRequest = ik.sessionCheckRequest(C2);
        bench.node.write(NodeObjects.SESSION_CHECK, 0, recordedRequest);
        bench.node.read(NodeObjects.SESSION_CHECK, 0);

        bench.node.powerCycle();
        bench.node.write(NodeObjects.SALT, 0, recordedSalt);
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag",
                () -> bench.node.write(NodeObjects.SESSION_CHECK, 0, recordedRequest));
        bench.assertRefused(SdoAbort.DEVICE_STATE, "no-session-check", () -> bench.node.read(NodeObjects.SESSION_CHECK, 0));

        // a legitimate client of this power cycle, even with the recurring salt, gets a reply under another key
        bench.useSalt(recordedSalt);
        SecureChannel now = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        bench.node.write(NodeObjects.SESSION_CHECK, 0, now.sessionCheckRequest(C1));
        byte[] reply = bench.node.read(NodeObjects.SESSION_CHECK, 0);
        int tagBits = bench.profile().tagBits();
        assertEquals(SecureMessage.parse(recordedReply, tagBits).counter(), SecureMessage.parse(reply, tagBits).counter(),
                "same node counter, same challenge, same salt");
        assertFalse(Arrays.equals(recordedReply, reply), "the node repeated a reply: same key and nonce");
        assertEquals(keys.ikId, now.verifySessionCheck(C1, reply));
        SecureChannel previousGeneration = SecureChannel.open(KeyRole.INTEGRATOR, keys.ik, recordedSalt,
                bench.generation - 1, bench.nodeId(), bench.profile());
        assertEquals("bad-tag", assertThrows(FieldbusException.class,
                () -> previousGeneration.verifySessionCheck(C1, reply)).reason());
    }

    /** A client that derived for the generation before an intervening reset only loses its session (denial of service). */
    @Test
    void resetBetweenGenerationReadAndMessageOnlyDeniesService() throws Exception {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(false);
        SecureChannel stale = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        bench.node.powerCycle();
        bench.node.write(NodeObjects.SALT, 0, bench.salt);
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag",
                () -> bench.writeSecure(stale, NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1}));
        assertArrayEquals(new byte[0], bench.node.read(NodeObjects.PROTECTED_CONFIG, 0));
    }

    /** A factory-fresh node starts at 1; every power-up, NMT reset and image load adds one; readable uncommissioned. */
    @Test
    void generationStartsAtOneAndAdvancesAtEveryPowerUp() throws Exception {
        Bench bench = Bench.fresh();
        assertEquals(NodeState.UNCOMMISSIONED, bench.node.state());
        assertEquals(1, generation(bench));
        assertArrayEquals(new byte[] {1, 0, 0, 0}, bench.node.read(NodeObjects.COUNTERS, NodeObjects.COUNTER_GENERATION),
                "UNSIGNED32, little-endian");
        bench.node.powerCycle();
        bench.node.powerCycle();
        assertEquals(3, generation(bench));
        bench.commission(false);
        assertEquals(3, generation(bench), "installs and sessions do not change it");
        FieldbusNode loaded = FieldbusNode.fromMemory(bench.config, bench.node.exportMemory());
        assertEquals(4, loaded.generation(), "loading the memory image is a power-up");
        assertEquals(3, generation(bench), "exporting does not change the source");
    }

    /** Like the restore counter the generation is non-erasable: restores (local or by PK) advance it, never reset it. */
    @Test
    void generationSurvivesRestoreAndExportImport() throws Exception {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(false);
        bench.node.powerCycle();
        bench.writeSalt();
        long before = generation(bench);
        bench.writeSecure(bench.channel(KeyRole.PROVISIONING, keys.pk), NodeObjects.FACTORY_RESTORE, 0,
                NodeObjects.restoreCommand());
        assertEquals(NodeState.UNCOMMISSIONED, bench.node.state());
        assertEquals(before + 1, generation(bench), "a restore ends every session like a reset");
        bench.node.localFactoryRestore();
        assertEquals(before + 2, generation(bench));
        FieldbusNode loaded = FieldbusNode.fromMemory(bench.config, bench.node.exportMemory());
        assertEquals(before + 3, loaded.generation());
        assertEquals(2, loaded.restoreCount());
        // the restored node is commissioned again in its current generation
        new Bench(loaded).commission(true);
    }

    /** At 0xFFFFFFFF no session key can be derived any more: secure messages are refused, reads still work. */
    @Test
    void exhaustedGenerationRefusesSecureMessages() throws Exception {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(false);
        byte[] image = bench.node.exportMemory();

        Bench last = new Bench(FieldbusNode.fromMemory(bench.config, NodeMemoryTest.withGeneration(image, 0xFFFFFFFDL)));
        assertEquals(0xFFFFFFFEL, generation(last));
        last.writeSalt();
        last.writeSecure(last.channel(KeyRole.INTEGRATOR, keys.ik), NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1});
        last.node.powerCycle();
        assertEquals(0xFFFFFFFFL, generation(last));
        byte[] salt = SecureChannel.freshSalt(Bench.RANDOM);
        last.node.write(NodeObjects.SALT, 0, salt);
        SecureChannel stale = SecureChannel.open(KeyRole.INTEGRATOR, keys.ik, salt, 0xFFFFFFFEL, last.nodeId(),
                last.profile());
        last.assertRefused(SdoAbort.DEVICE_STATE, "generation-exhausted",
                () -> last.writeSecure(stale, NodeObjects.PROTECTED_CONFIG, 0, new byte[] {2}));
        assertEquals("generation-exhausted", assertThrows(FieldbusException.class, () -> NodeObjects.readGeneration(
                last.node.read(NodeObjects.COUNTERS, NodeObjects.COUNTER_GENERATION))).reason());
        last.node.powerCycle();
        assertEquals(0xFFFFFFFFL, generation(last), "saturates, never wraps to values already used");

        FieldbusNode exhausted = FieldbusNode.fromMemory(bench.config,
                NodeMemoryTest.withGeneration(image, 0xFFFFFFFFL));
        assertEquals(0xFFFFFFFFL, exhausted.generation());
        assertEquals(0xFFFFFFFFL, NodeMemoryTest.generationOf(exhausted.exportMemory()));
        assertArrayEquals(new byte[] {(byte) NodeState.INTEGRATED.code()}, exhausted.read(NodeObjects.SECURITY_STATE, 0),
                "plain reads still work");

        // an uncommissioned node at the limit refuses even the marker install
        FieldbusNode fresh = FieldbusNode.create(NodeConfig.of(5, 9));
        FieldbusNode freshExhausted = FieldbusNode.fromMemory(fresh.config(),
                NodeMemoryTest.withGeneration(fresh.exportMemory(), 0xFFFFFFFFL));
        SecureChannel marker = SecureChannel.forMarker(0xFFFFFFFEL, 5, fresh.config().profile());
        Bench.assertRefused(freshExhausted, SdoAbort.DEVICE_STATE, "generation-exhausted",
                () -> freshExhausted.write(NodeObjects.KEY_INSTALL, 1, marker.seal(NodeObjects.KEY_INSTALL, 1,
                        NodeObjects.keyInstallPlaintext(Bench.newKey(), 7))));
        assertEquals(NodeState.UNCOMMISSIONED, freshExhausted.state());
        assertTrue(freshExhausted.failedVerifications() == 0, "refused before the tag is judged");
    }
}
