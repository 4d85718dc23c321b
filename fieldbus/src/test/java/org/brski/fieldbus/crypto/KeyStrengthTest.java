package org.brski.fieldbus.crypto;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.HexFormat;

import org.brski.fieldbus.FieldbusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** EmSA WP-104 3.2 / chapter 5 key length and weak-key rules (DESIGN.md "Keys and roles"). */
class KeyStrengthTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 15, 17, 20, 23, 25, 31, 33, 48, 64})
    void wrongLengthsRefused(int length) {
        FieldbusException e = assertThrows(FieldbusException.class, () -> KeyStrength.check(new byte[length]));
        assertEquals("wrong-key-length", e.reason());
    }

    /** The weak-key table: each entry must be refused. */
    @ParameterizedTest
    @ValueSource(strings = {
        "00000000000000000000000000000000", // the commissioning marker
        "000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "ffffffffffffffffffffffffffffffff", // erased flash
        "41414141414141414141414141414141", // all bytes equal
        "01020102010201020102010201020102", // period 2
        "deadbeefdeadbeefdeadbeefdeadbeef", // period 4
        "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef",
        "0011223344556677001122334455667700112233445566770011223344556677", // period 8 in 32
        "abcdefabcdefabcdefabcdefabcdefab", // period 3, not dividing 16
        "1234567890ab1234567890ab1234567890ab1234567890ab", // period 6 in 24
        "000102030405060708090a0b0c0d0e0f", // arithmetic up
        "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0", // arithmetic down
        "00020406080a0c0e10121416181a1c1e", // arithmetic step 2
        "f8f9fafbfcfdfeff0001020304050607", // arithmetic wrapping modulo 256
        "000102030405060708090a0b0c0d0e0f1011121314151617", // arithmetic, 24 bytes
    })
    void weakKeysRefused(String hex) {
        FieldbusException e = assertThrows(FieldbusException.class, () -> KeyStrength.check(HEX.parseHex(hex)));
        assertEquals("weak-key", e.reason());
        assertEquals(false, e.getMessage().toLowerCase().contains(hex.substring(0, 8)), "message leaks key bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2b7e151628aed2a6abf7158809cf4f3c", // FIPS-197 example key
        "00112233445566778800112233445566", // period 9 > half of 16: not a short repetition
        "000102030405060708090a0b0c0d0e0e", // almost arithmetic
        "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
        "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
    })
    void strongKeysAccepted(String hex) {
        assertDoesNotThrow(() -> KeyStrength.check(HEX.parseHex(hex)));
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 24, 32})
    void generatedKeysHaveTheLengthAndPass(int length) throws FieldbusException {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 50; i++) {
            byte[] key = KeyStrength.generate(random, length);
            assertEquals(length, key.length);
            KeyStrength.check(key);
        }
    }

    /** A source that first yields a weak key: generate must draw again rather than return it. */
    @Test
    void generateRedrawsWeakKeys() throws FieldbusException {
        SecureRandom rigged = new SecureRandom() {
            private static final long serialVersionUID = 1L;
            private int calls;

            @Override
            public void nextBytes(byte[] bytes) {
                if (calls++ < 3) {
                    java.util.Arrays.fill(bytes, (byte) 0);
                } else {
                    super.nextBytes(bytes);
                }
            }
        };
        KeyStrength.check(KeyStrength.generate(rigged, 16));
    }

    @Test
    void generateRefusesOtherLengths() {
        assertThrows(IllegalArgumentException.class, () -> KeyStrength.generate(new SecureRandom(), 8));
        assertThrows(IllegalArgumentException.class, () -> KeyStrength.generate(new SecureRandom(), 20));
    }
}
