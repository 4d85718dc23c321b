package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "one counter per role and direction per power cycle": a key change (WP-104 3.3 overwrite) must not restart
 * the role's counters. Otherwise re-installing a key used earlier in the same power cycle (IK A, then B, then A again,
 * e.g. a rolled-back rotation) re-derives the same session key under the same salt with counters back at 0: the node
 * repeats its own GCM nonces (WP-104 4.4: nonce uniqueness is the downstream protocol's job) and accepts replays.
 */
class CounterContinuityTest {

    @Test
    void reinstalledKeyInTheSamePowerCycleNeitherRepeatsNoncesNorAcceptsReplays()
            throws SdoAbort, FieldbusException {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(false);
        FieldbusNode node = bench.node;
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        byte[] recorded = ik.seal(NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1});
        node.write(NodeObjects.PROTECTED_CONFIG, 0, recorded);
        byte[] c1 = {1, 2, 3, 4, 5, 6, 7, 8};
        node.write(NodeObjects.SESSION_CHECK, 0, ik.sessionCheckRequest(c1));
        long firstNodeCounter = SecureMessage.parse(node.read(NodeObjects.SESSION_CHECK, 0),
                bench.config.profile().tagBits()).counter();

        SecureChannel pk = bench.channel(KeyRole.PROVISIONING, keys.pk);
        bench.install(pk, KeyRole.INTEGRATOR, Bench.newKey(), 0x0B);
        bench.install(pk, KeyRole.INTEGRATOR, keys.ik, keys.ikId);

        // the recorded write of the first IK period is a replay, not a fresh message
        bench.assertRefused(SdoAbort.CANNOT_STORE, "replayed-counter",
                () -> node.write(NodeObjects.PROTECTED_CONFIG, 0, recorded));
        node.write(NodeObjects.PROTECTED_CONFIG, 0, ik.seal(NodeObjects.PROTECTED_CONFIG, 0, new byte[] {2}));
        assertArrayEquals(new byte[] {2}, node.read(NodeObjects.PROTECTED_CONFIG, 0));
        // the node's reply counter continues: no (key, nonce) pair is used twice
        byte[] c2 = {8, 7, 6, 5, 4, 3, 2, 1};
        node.write(NodeObjects.SESSION_CHECK, 0, ik.sessionCheckRequest(c2));
        byte[] response = node.read(NodeObjects.SESSION_CHECK, 0);
        assertTrue(SecureMessage.parse(response, bench.config.profile().tagBits()).counter() > firstNodeCounter);
        assertEquals(keys.ikId, ik.verifySessionCheck(c2, response));
    }

    @Test
    void powerCycleStillRestartsTheCounters() throws SdoAbort {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(false);
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        ik.advanceTo(1000);
        bench.writeSecure(ik, NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1});
        bench.install(bench.channel(KeyRole.PROVISIONING, keys.pk), KeyRole.INTEGRATOR, Bench.newKey(), 0x0C);
        bench.node.powerCycle();
        byte[] salt = bench.writeSalt();
        byte[] newIk = Bench.newKey();
        bench.install(SecureChannel.open(KeyRole.PROVISIONING, keys.pk, salt, bench.generation, bench.nodeId(),
                bench.profile()),
                KeyRole.INTEGRATOR, newIk, 0x0D);
        bench.writeSecure(SecureChannel.open(KeyRole.INTEGRATOR, newIk, salt, bench.generation, bench.nodeId(),
                bench.profile()),
                NodeObjects.PROTECTED_CONFIG, 0, new byte[] {3});
        assertArrayEquals(new byte[] {3}, bench.node.read(NodeObjects.PROTECTED_CONFIG, 0));
    }
}
