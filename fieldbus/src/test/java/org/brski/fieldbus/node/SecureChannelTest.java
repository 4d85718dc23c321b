package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.crypto.Aead;
import org.junit.jupiter.api.Test;

/** The client end: counters, reply verification, marker, salts, redaction. */
class SecureChannelTest {
    private final byte[] key = Bench.newKey();
    private final byte[] salt = SecureChannel.freshSalt(Bench.RANDOM);
    private final SessionProfile profile = SessionProfile.defaults();
    private static final long GEN = 3;

    @Test
    void countersStartAtOneAndIncrease() throws FieldbusException {
        SecureChannel c = SecureChannel.open(KeyRole.INTEGRATOR, key, salt, GEN, 5, profile);
        for (long expected = 1; expected <= 3; expected++) {
            assertEquals(expected, SecureMessage.parse(c.seal(0x2100, 0, new byte[1]), 64).counter());
        }
        c.advanceTo(100);
        assertEquals(100, SecureMessage.parse(c.seal(0x2100, 0, new byte[1]), 64).counter());
        assertThrows(IllegalArgumentException.class, () -> c.advanceTo(50));
        assertThrows(IllegalArgumentException.class, () -> c.advanceTo(0x1_0000_0000L));
        c.advanceTo(0xFFFFFFFFL);
        c.seal(0x2100, 0, new byte[1]);
        assertThrows(IllegalStateException.class, () -> c.seal(0x2100, 0, new byte[1]));
    }

    /** Replies: role, direction, strictly increasing node counter and tag are all checked. */
    @Test
    void openReplyChecksRoleDirectionCounterAndTag() throws FieldbusException {
        SecureChannel c = SecureChannel.open(KeyRole.INTEGRATOR, key, salt, GEN, 5, profile);
        Aead nodeSide = Aead.of(SessionKeys.derive(KeyRole.INTEGRATOR, key, salt, GEN, 5, profile), 64);
        byte[] r1 = reply(nodeSide, KeyRole.INTEGRATOR, 1, new byte[] {1});
        byte[] r2 = reply(nodeSide, KeyRole.INTEGRATOR, 2, new byte[] {2});
        assertArrayEquals(new byte[] {2}, c.openReply(0x5F06, 0, r2));
        assertEquals("replayed-counter", assertThrows(FieldbusException.class, () -> c.openReply(0x5F06, 0, r2)).reason());
        assertEquals("replayed-counter", assertThrows(FieldbusException.class, () -> c.openReply(0x5F06, 0, r1)).reason());
        byte[] otherRole = SecureMessage.seal(nodeSide, 5, Direction.NODE_TO_CLIENT, KeyRole.OPERATOR, 3, 0x5F06, 0,
                new byte[1]).encoded();
        assertEquals("wrong-role", assertThrows(FieldbusException.class, () -> c.openReply(0x5F06, 0, otherRole)).reason());
        // the client's own request echoed back: wrong direction
        byte[] own = c.seal(0x5F06, 0, new byte[8]);
        SecureChannel c2 = SecureChannel.open(KeyRole.INTEGRATOR, key, salt, GEN, 5, profile);
        assertEquals("bad-tag", assertThrows(FieldbusException.class, () -> c2.openReply(0x5F06, 0, own)).reason());
        byte[] tampered = reply(nodeSide, KeyRole.INTEGRATOR, 4, new byte[] {4});
        tampered[tampered.length - 1] ^= 1;
        assertEquals("bad-tag", assertThrows(FieldbusException.class, () -> c.openReply(0x5F06, 0, tampered)).reason());
        assertArrayEquals(new byte[] {5}, c.openReply(0x5F06, 0, reply(nodeSide, KeyRole.INTEGRATOR, 5, new byte[] {5})));
    }

    private static byte[] reply(Aead aead, KeyRole role, long counter, byte[] pt) {
        return SecureMessage.seal(aead, 5, Direction.NODE_TO_CLIENT, role, counter, 0x5F06, 0, pt).encoded();
    }

    @Test
    void markerAndSalt() {
        assertArrayEquals(new byte[16], SecureChannel.marker());
        byte[] m = SecureChannel.marker();
        m[0] = 1;
        assertArrayEquals(new byte[16], SecureChannel.marker(), "marker() hands out a fresh copy");
        byte[] s = SecureChannel.freshSalt(Bench.RANDOM);
        assertEquals(16, s.length);
        assertFalse(Arrays.equals(new byte[16], s));
        assertFalse(Arrays.equals(s, SecureChannel.freshSalt(Bench.RANDOM)));
        assertThrows(IllegalArgumentException.class,
                () -> SecureChannel.open(KeyRole.INTEGRATOR, key, new byte[16], GEN, 5, profile), "no session without salt");
    }

    @Test
    void sessionCheckRequestNeedsEightBytes() {
        SecureChannel c = SecureChannel.open(KeyRole.INTEGRATOR, key, salt, GEN, 5, profile);
        assertThrows(IllegalArgumentException.class, () -> c.sessionCheckRequest(new byte[7]));
    }

    /** Nothing that holds key material prints it. */
    @Test
    void toStringsAreRedacted() throws Exception {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(true);
        String hexKey = java.util.HexFormat.of().formatHex(keys.ik).substring(0, 12);
        SecureChannel c = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        for (String text : new String[] {c.toString(), bench.node.toString(), bench.config.toString()}) {
            assertFalse(text.toLowerCase().contains(hexKey), text);
            assertFalse(text.contains(Arrays.toString(keys.ik)), text);
        }
    }
}
