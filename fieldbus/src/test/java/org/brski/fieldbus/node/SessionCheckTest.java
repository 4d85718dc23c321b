package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The session check (0x5F06): a challenge and response that proves both peers derived the same session key (EmSA WP-104
 * 4.2: the unauthenticated salt write gives the client no assurance until protected exchanges begin).
 */
class SessionCheckTest {
    private final Bench bench = Bench.fresh();
    private final FieldbusNode node = bench.node;
    private Bench.Keys keys;

    @BeforeEach
    void commission() throws SdoAbort {
        keys = bench.commission(true);
    }

    private static byte[] challenge() {
        byte[] c = new byte[NodeObjects.CHALLENGE_LENGTH];
        Bench.RANDOM.nextBytes(c);
        return c;
    }

    @ParameterizedTest
    @EnumSource(value = KeyRole.class, names = {"PROVISIONING", "INTEGRATOR", "OPERATOR"})
    void challengeResponseProvesBothSidesHoldTheKey(KeyRole role) throws Exception {
        SecureChannel channel = bench.channel(role, keys.key(role));
        for (int i = 0; i < 3; i++) {
            byte[] c = challenge();
            node.write(NodeObjects.SESSION_CHECK, 0, channel.sessionCheckRequest(c));
            assertEquals(node.keyId(role), channel.verifySessionCheck(c, node.read(NodeObjects.SESSION_CHECK, 0)));
        }
    }

    @Test
    void clientWithWrongKeyGetsNoResponse() {
        SecureChannel wrong = bench.rogue(KeyRole.INTEGRATOR, Bench.newKey());
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag",
                () -> node.write(NodeObjects.SESSION_CHECK, 0, wrong.sessionCheckRequest(challenge())));
        bench.assertRefused(SdoAbort.DEVICE_STATE, "no-session-check", () -> node.read(NodeObjects.SESSION_CHECK, 0));
    }

    /** A node that derived another key (here: a node holding another IK) cannot answer the client's challenge. */
    @Test
    void nodeWithOtherKeyFailsTheClientCheck() throws Exception {
        SecureChannel nodeSide = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        byte[] c = challenge();
        node.write(NodeObjects.SESSION_CHECK, 0, nodeSide.sessionCheckRequest(c));
        byte[] response = node.read(NodeObjects.SESSION_CHECK, 0);
        SecureChannel clientWithOtherKey = bench.channel(KeyRole.INTEGRATOR, Bench.newKey());
        assertEquals("bad-tag", assertThrows(FieldbusException.class,
                () -> clientWithOtherKey.verifySessionCheck(c, response)).reason());
    }

    @Test
    void responseBoundToChallengeRoleDirectionAndFreshness() throws Exception {
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        byte[] c = challenge();
        node.write(NodeObjects.SESSION_CHECK, 0, ik.sessionCheckRequest(c));
        byte[] response = node.read(NodeObjects.SESSION_CHECK, 0);
        // reflected back to the node as if it were a client request: refused (its counter is not fresh here; with a
        // fresh counter the direction byte in nonce and AAD refuses it, see SecureMessageTest)
        bench.assertRefused(SdoAbort.CANNOT_STORE, "replayed-counter", () -> node.write(NodeObjects.SESSION_CHECK, 0, response));
        assertEquals("session-check-mismatch",
                assertThrows(FieldbusException.class, () -> ik.verifySessionCheck(challenge(), response)).reason());
        // the failed mismatch check consumed the node counter: a re-read of the same response is a replay
        assertEquals("replayed-counter",
                assertThrows(FieldbusException.class, () -> ik.verifySessionCheck(c, response)).reason());
        SecureChannel ok = bench.channel(KeyRole.OPERATOR, keys.ok);
        assertEquals("wrong-role", assertThrows(FieldbusException.class, () -> ok.verifySessionCheck(c, response)).reason());
    }

    @Test
    void challengeMustBeEightBytes() {
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        bench.assertRefused(SdoAbort.LENGTH_MISMATCH, "wrong-challenge-length",
                () -> bench.writeSecure(ik, NodeObjects.SESSION_CHECK, 0, new byte[7]));
    }

    @Test
    void pendingResponseDroppedAtPowerCycle() throws Exception {
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        node.write(NodeObjects.SESSION_CHECK, 0, ik.sessionCheckRequest(challenge()));
        node.read(NodeObjects.SESSION_CHECK, 0);
        node.powerCycle();
        bench.assertRefused(SdoAbort.DEVICE_STATE, "no-session-check", () -> node.read(NodeObjects.SESSION_CHECK, 0));
    }
}
