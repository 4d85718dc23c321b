package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.crypto.Aead;
import org.junit.jupiter.api.Test;

/** The secure-message codec of DESIGN.md: layout, nonce, AAD, bounds, and what the AAD binds. */
class SecureMessageTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Aead AEAD = Aead.of(HEX.parseHex("00112233445566778899aabbccddeeff"), 64);

    @Test
    void nonceLayout() {
        assertEquals("05010200" + "00000000" + "0000012c",
                HEX.formatHex(SecureMessage.nonce(5, Direction.CLIENT_TO_NODE, KeyRole.INTEGRATOR, 300)));
        assertEquals("7f020300" + "00000000" + "ffffffff",
                HEX.formatHex(SecureMessage.nonce(127, Direction.NODE_TO_CLIENT, KeyRole.OPERATOR, 0xFFFFFFFFL)));
    }

    @Test
    void aadLayout() {
        assertEquals("5f0102" + "01" + "00000007" + "05" + "01",
                HEX.formatHex(SecureMessage.aad(0x5F01, 2, KeyRole.PROVISIONING, 7, 5, Direction.CLIENT_TO_NODE)));
    }

    @Test
    void wireLayoutAndRoundTrip() throws FieldbusException {
        SecureMessage m = SecureMessage.seal(AEAD, 5, Direction.CLIENT_TO_NODE, KeyRole.INTEGRATOR, 0x01020304L,
                0x2100, 0, new byte[] {1, 2, 3});
        byte[] wire = m.encoded();
        assertEquals(1 + 4 + 3 + 8, wire.length);
        assertEquals(2, wire[0]);
        assertEquals("01020304", HEX.formatHex(wire, 1, 5));
        SecureMessage parsed = SecureMessage.parse(wire, 64);
        assertEquals(KeyRole.INTEGRATOR, parsed.role());
        assertEquals(0x01020304L, parsed.counter());
        assertArrayEquals(m.ciphertext(), parsed.ciphertext());
        assertArrayEquals(m.tag(), parsed.tag());
        assertArrayEquals(wire, SecureMessage.of(parsed.role(), parsed.counter(), parsed.ciphertext(), parsed.tag()).encoded());
        assertArrayEquals(new byte[] {1, 2, 3}, parsed.open(AEAD, 5, Direction.CLIENT_TO_NODE, 0x2100, 0));
    }

    /** Entry, sub-index, node and direction are bound: any change fails verification. */
    @Test
    void aadBindsEntryNodeAndDirection() throws FieldbusException {
        SecureMessage m = SecureMessage.parse(SecureMessage.seal(AEAD, 5, Direction.CLIENT_TO_NODE, KeyRole.INTEGRATOR, 9,
                0x5F01, 2, new byte[20]).encoded(), 64);
        assertBadTag(() -> m.open(AEAD, 5, Direction.CLIENT_TO_NODE, 0x5F01, 3));
        assertBadTag(() -> m.open(AEAD, 5, Direction.CLIENT_TO_NODE, 0x5F04, 2));
        assertBadTag(() -> m.open(AEAD, 6, Direction.CLIENT_TO_NODE, 0x5F01, 2));
        assertBadTag(() -> m.open(AEAD, 5, Direction.NODE_TO_CLIENT, 0x5F01, 2));
        assertBadTag(() -> m.open(Aead.of(new byte[16], 64), 5, Direction.CLIENT_TO_NODE, 0x5F01, 2));
        assertBadTag(() -> m.open(Aead.of(HEX.parseHex("00112233445566778899aabbccddeeff"), 32), 5,
                Direction.CLIENT_TO_NODE, 0x5F01, 2));
        assertEquals(20, m.open(AEAD, 5, Direction.CLIENT_TO_NODE, 0x5F01, 2).length);
    }

    @Test
    void roleByteIsAuthenticated() throws FieldbusException {
        byte[] wire = SecureMessage.seal(AEAD, 5, Direction.CLIENT_TO_NODE, KeyRole.INTEGRATOR, 9, 0x2100, 0,
                new byte[2]).encoded();
        wire[0] = (byte) KeyRole.OPERATOR.code();
        SecureMessage changed = SecureMessage.parse(wire, 64);
        assertBadTag(() -> changed.open(AEAD, 5, Direction.CLIENT_TO_NODE, 0x2100, 0));
    }

    @Test
    void parseBounds() {
        assertMalformed(new byte[4 + 8]);
        assertMalformed(new byte[5 + 8 + SecureMessage.MAX_PLAINTEXT + 1]);
        byte[] zeroCounter = new byte[5 + 8];
        zeroCounter[0] = 1;
        assertMalformed(zeroCounter);
        byte[] badRole = new byte[5 + 8];
        badRole[0] = 4;
        badRole[4] = 1;
        assertMalformed(badRole);
        byte[] max = new byte[5 + 8 + SecureMessage.MAX_PLAINTEXT];
        max[0] = 1;
        max[4] = 1;
        assertEquals(SecureMessage.MAX_PLAINTEXT, assertDoesParse(max).ciphertext().length);
        assertThrows(IllegalArgumentException.class, () -> SecureMessage.parse(max, 40));
    }

    @Test
    void buildersRefuseOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> SecureMessage.seal(AEAD, 5, Direction.CLIENT_TO_NODE,
                KeyRole.INTEGRATOR, 0, 0x2100, 0, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> SecureMessage.seal(AEAD, 5, Direction.CLIENT_TO_NODE,
                KeyRole.INTEGRATOR, 0x1_0000_0000L, 0x2100, 0, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> SecureMessage.seal(AEAD, 5, Direction.CLIENT_TO_NODE,
                KeyRole.INTEGRATOR, 1, 0x2100, 0, new byte[SecureMessage.MAX_PLAINTEXT + 1]));
        assertThrows(IllegalArgumentException.class, () -> SecureMessage.aad(0x10000, 0, KeyRole.INTEGRATOR, 1, 5,
                Direction.CLIENT_TO_NODE));
        assertThrows(IllegalArgumentException.class, () -> SecureMessage.of(KeyRole.INTEGRATOR, 1, new byte[1], new byte[5]));
    }

    private static SecureMessage assertDoesParse(byte[] wire) {
        try {
            return SecureMessage.parse(wire, 64);
        } catch (FieldbusException e) {
            throw new AssertionError(e.reason(), e);
        }
    }

    private static void assertMalformed(byte[] wire) {
        assertEquals("malformed-message", assertThrows(FieldbusException.class, () -> SecureMessage.parse(wire, 64)).reason());
    }

    private static void assertBadTag(org.junit.jupiter.api.function.Executable call) {
        assertEquals("bad-tag", assertThrows(FieldbusException.class, call).reason());
    }
}
