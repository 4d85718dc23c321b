package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EmSA WP-104 4.1, 4.4 and 6: the write-once-after-reset salt slot. */
class SaltTest {
    private final Bench bench = Bench.fresh();
    private final FieldbusNode node = bench.node;
    private final Bench.Keys keys = new Bench.Keys();

    @BeforeEach
    void provision() throws SdoAbort {
        bench.installPk(keys.pk, keys.pkId);
    }

    /** "At every power-up and at every reset the server initializes its salt slot to zero." */
    @Test
    void saltIsZeroAfterPowerUpAndReadable() throws Exception {
        assertArrayEquals(new byte[16], node.read(NodeObjects.SALT, 0));
        byte[] salt = bench.writeSalt();
        assertArrayEquals(salt, node.read(NodeObjects.SALT, 0));
        node.powerCycle();
        assertArrayEquals(new byte[16], node.read(NodeObjects.SALT, 0));
    }

    /** "The server accepts exactly one plain, unauthenticated write ... Any further salt write is refused." */
    @Test
    void secondWriteRefusedUntilReset() throws Exception {
        byte[] first = bench.writeSalt();
        byte[] second = SecureChannel.freshSalt(Bench.RANDOM);
        bench.assertRefused(SdoAbort.DEVICE_STATE, "salt-locked", () -> node.write(NodeObjects.SALT, 0, second));
        bench.assertRefused(SdoAbort.DEVICE_STATE, "salt-locked", () -> node.write(NodeObjects.SALT, 0, first));
        assertArrayEquals(first, node.read(NodeObjects.SALT, 0));
        node.powerCycle();
        node.write(NodeObjects.SALT, 0, second);
        assertArrayEquals(second, node.read(NodeObjects.SALT, 0));
    }

    @Test
    void zeroSaltRefusedAndSlotStaysOpen() throws Exception {
        bench.assertRefused(SdoAbort.INVALID_VALUE, "zero-salt", () -> node.write(NodeObjects.SALT, 0, new byte[16]));
        bench.writeSalt();
    }

    @Test
    void wrongSaltLengthRefused() throws Exception {
        for (int len : new int[] {0, 8, 15, 17, 32}) {
            bench.assertRefused(SdoAbort.LENGTH_MISMATCH, "wrong-salt-length", () -> node.write(NodeObjects.SALT, 0, new byte[len]));
        }
        bench.writeSalt();
    }

    /** "While the slot reads zero, no session key has been derived and no secure access is possible." */
    @Test
    void noSecureAccessWithoutSalt() throws Exception {
        // the client derived from a salt it never wrote; the node's slot is still zero
        SecureChannel client = SecureChannel.open(KeyRole.PROVISIONING, keys.pk, SecureChannel.freshSalt(Bench.RANDOM),
                bench.readGeneration(), bench.nodeId(), bench.profile());
        bench.assertRefused(SdoAbort.DEVICE_STATE, "no-salt",
                () -> bench.install(client, KeyRole.INTEGRATOR, keys.ik, keys.ikId));
        assertEquals(0, bench.counter(NodeObjects.COUNTER_FAILED_VERIFICATIONS));
    }

    /** A new salt after a reset gives a new session key: the old session's messages no longer verify. */
    @Test
    void powerCycleForgetsSessions() throws Exception {
        bench.writeSalt();
        SecureChannel before = bench.channel(KeyRole.PROVISIONING, keys.pk);
        bench.install(before, KeyRole.INTEGRATOR, keys.ik, keys.ikId);
        node.powerCycle();
        bench.writeSalt();
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag", () -> bench.install(before, KeyRole.OPERATOR, keys.ok, keys.okId));
        bench.install(bench.channel(KeyRole.PROVISIONING, keys.pk), KeyRole.OPERATOR, keys.ok, keys.okId);
        assertEquals(NodeState.OPERATOR, node.state());
    }

    /** WP-104 4.4 pre-positioned salt: the attacker locks the slot (denial of service) but cannot forge. */
    @Test
    void attackerSaltDeniesServiceButGivesNoForgery() throws Exception {
        byte[] attackerSalt = SecureChannel.freshSalt(Bench.RANDOM);
        node.write(NodeObjects.SALT, 0, attackerSalt);
        byte[] legit = SecureChannel.freshSalt(Bench.RANDOM);
        bench.assertRefused(SdoAbort.DEVICE_STATE, "salt-locked", () -> node.write(NodeObjects.SALT, 0, legit));
        long generation = bench.readGeneration();
        SecureChannel attacker = SecureChannel.open(KeyRole.PROVISIONING, Bench.newKey(), attackerSalt, generation,
                bench.nodeId(), bench.profile());
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag", () -> bench.install(attacker, KeyRole.INTEGRATOR, keys.ik, 5));
        SecureChannel client = SecureChannel.open(KeyRole.PROVISIONING, keys.pk, legit, generation, bench.nodeId(),
                bench.profile());
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag", () -> bench.install(client, KeyRole.INTEGRATOR, keys.ik, 5));
        node.powerCycle();
        node.write(NodeObjects.SALT, 0, legit);
        bench.install(SecureChannel.open(KeyRole.PROVISIONING, keys.pk, legit, bench.readGeneration(), bench.nodeId(),
                bench.profile()),
                KeyRole.INTEGRATOR, keys.ik, 5);
    }
}
