package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.brski.fieldbus.crypto.KeyId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EmSA WP-104 3.6: destructive factory restore, by Provisioning Key or by deliberate local action. */
class FactoryRestoreTest {
    private final Bench bench = Bench.fresh();
    private final FieldbusNode node = bench.node;
    private Bench.Keys keys;

    @BeforeEach
    void commissionAndUse() throws Exception {
        keys = bench.commission(true);
        bench.writeSecure(bench.channel(KeyRole.OPERATOR, keys.ok), NodeObjects.PROTECTED_CONFIG, 0, new byte[] {7, 7});
        node.write(NodeObjects.DIGITAL_OUTPUTS, 1, new byte[] {3});
        // one failed verification so that the erase of failure counts is visible
        SecureChannel wrong = bench.rogue(KeyRole.INTEGRATOR, Bench.newKey());
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag",
                () -> bench.writeSecure(wrong, NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1}));
    }

    private void assertFactoryState(long expectedRestores) throws Exception {
        assertEquals(NodeState.UNCOMMISSIONED, node.state());
        assertEquals(0, bench.securityState());
        for (int sub = 1; sub <= 3; sub++) {
            assertEquals(KeyId.EMPTY, bench.readU32(NodeObjects.KEY_ID, sub), "Key ID " + sub);
        }
        assertArrayEquals(new byte[16], node.read(NodeObjects.SALT, 0));
        assertEquals(expectedRestores, bench.counter(NodeObjects.COUNTER_RESTORES));
        assertEquals(1, bench.counter(NodeObjects.COUNTER_RESTORED_FLAG));
        assertEquals(0, bench.counter(NodeObjects.COUNTER_FAILED_VERIFICATIONS));
        assertEquals(0, bench.counter(NodeObjects.COUNTER_LOCKED_KEYS));
        assertEquals(0, node.failedVerifications(KeyRole.INTEGRATOR));
        // operational I/O disabled until a new PK is installed
        bench.assertRefused(SdoAbort.DEVICE_STATE, "uncommissioned", () -> node.write(NodeObjects.DIGITAL_OUTPUTS, 1, new byte[] {1}));
        // the configuration is gone: visible once commissioned again
        bench.installPk(Bench.newKey(), 77);
        assertArrayEquals(new byte[0], node.read(NodeObjects.PROTECTED_CONFIG, 0));
        assertArrayEquals(new byte[] {0}, node.read(NodeObjects.DIGITAL_OUTPUTS, 1));
        assertEquals(0, bench.counter(NodeObjects.COUNTER_RESTORED_FLAG), "a new PK clears the restored flag");
        assertEquals(expectedRestores, bench.counter(NodeObjects.COUNTER_RESTORES));
    }

    /** Path A: "an authenticated restore command sent over the bus, authorized by the current Provisioning Key". */
    @Test
    void restoreByProvisioningKeyErasesEverything() throws Exception {
        SecureChannel pk = bench.channel(KeyRole.PROVISIONING, keys.pk);
        bench.writeSecure(pk, NodeObjects.FACTORY_RESTORE, 0, NodeObjects.restoreCommand());
        assertTrue(node.restoredFlag());
        assertEquals(0, node.replaysRefused());
        // the old PK session is gone with the key
        bench.assertRefused(SdoAbort.DEVICE_STATE, "uncommissioned",
                () -> bench.writeSecure(pk, NodeObjects.FACTORY_RESTORE, 0, NodeObjects.restoreCommand()));
        assertFactoryState(1);
    }

    /** Path B: "a deliberate local action ... provides recovery when the Provisioning Key has been lost". */
    @Test
    void localRestoreNeedsNoKey() throws Exception {
        node.localFactoryRestore();
        assertFactoryState(1);
    }

    @Test
    void restoreRefusedUnderIntegratorAndOperatorKeys() throws Exception {
        for (KeyRole role : new KeyRole[] {KeyRole.INTEGRATOR, KeyRole.OPERATOR}) {
            SecureChannel channel = bench.channel(role, keys.key(role));
            bench.assertRefused(SdoAbort.CANNOT_STORE, "role-not-allowed",
                    () -> bench.writeSecure(channel, NodeObjects.FACTORY_RESTORE, 0, NodeObjects.restoreCommand()));
        }
        assertEquals(NodeState.OPERATOR, node.state());
        assertEquals(0, node.restoreCount());
    }

    @Test
    void restoreCommandMustBeExact() throws Exception {
        SecureChannel pk = bench.channel(KeyRole.PROVISIONING, keys.pk);
        for (String text : new String[] {"RESTOR", "RESTORE!", "restore", ""}) {
            bench.assertRefused(SdoAbort.INVALID_VALUE, "bad-restore-command", () -> bench.writeSecure(pk,
                    NodeObjects.FACTORY_RESTORE, 0, text.getBytes(StandardCharsets.US_ASCII)));
        }
        assertEquals(NodeState.OPERATOR, node.state());
        assertArrayEquals(new byte[] {7, 7}, node.read(NodeObjects.PROTECTED_CONFIG, 0));
    }

    /** "The device may retain a small, non-erasable reset event counter." */
    @Test
    void restoreCounterSurvivesRepeatedRestores() throws Exception {
        node.localFactoryRestore();
        node.localFactoryRestore();
        bench.installPk(Bench.newKey(), 5);
        bench.writeSalt();
        node.localFactoryRestore();
        assertEquals(3, node.restoreCount());
        assertEquals(3, bench.counter(NodeObjects.COUNTER_RESTORES));
        assertTrue(node.restoredFlag());
    }

    /** "... the device returns to the same uncommissioned state in which it left the factory": commissionable again. */
    @Test
    void restoredNodeCanBeCommissionedAgain() throws Exception {
        node.localFactoryRestore();
        Bench.Keys again = bench.commission(false);
        assertEquals(NodeState.INTEGRATED, node.state());
        assertEquals(again.ikId, node.keyId(KeyRole.INTEGRATOR));
        assertFalse(node.restoredFlag());
    }
}
