package org.brski.fieldbus.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The secret holder: copies, constant-time comparison, redaction, zeroization (IEC 62443-4-2 CR 4.2). */
class SecretKeyBytesTest {
    private static final byte[] KEY = HexFormat.of().parseHex("2b7e151628aed2a6abf7158809cf4f3c");

    @Test
    void copiesInAndOut() {
        byte[] in = KEY.clone();
        SecretKeyBytes s = SecretKeyBytes.of(in);
        in[0] = 0;
        assertArrayEquals(KEY, s.bytes());
        byte[] out = s.bytes();
        out[1] = 0;
        assertArrayEquals(KEY, s.bytes());
        assertNotSame(s.bytes(), s.bytes());
    }

    @Test
    void matchesComparesContent() {
        SecretKeyBytes s = SecretKeyBytes.of(KEY);
        assertTrue(s.matches(KEY.clone()));
        byte[] other = KEY.clone();
        other[15] ^= 1;
        assertFalse(s.matches(other));
        assertFalse(s.matches(new byte[15]));
        assertFalse(s.matches(null));
    }

    @Test
    void toStringIsRedacted() {
        String text = SecretKeyBytes.of(KEY).toString().toLowerCase();
        assertFalse(text.contains("2b7e"), text);
        assertTrue(text.contains("redacted"));
    }

    @Test
    void destroyZeroesAndBlocksAccess() {
        SecretKeyBytes s = SecretKeyBytes.of(KEY);
        s.destroy();
        assertTrue(s.isDestroyed());
        assertThrows(IllegalStateException.class, s::bytes);
        assertThrows(IllegalStateException.class, () -> s.matches(KEY));
    }
}
