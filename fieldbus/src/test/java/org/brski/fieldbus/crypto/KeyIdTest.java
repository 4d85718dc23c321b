package org.brski.fieldbus.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.brski.fieldbus.FieldbusException;
import org.junit.jupiter.api.Test;

/** EmSA WP-104 3.5 / 6: UNSIGNED32 Key IDs with the reserved "no valid key" values 0 and 0xFFFFFFFF. */
class KeyIdTest {
    @Test
    void reservedValues() throws FieldbusException {
        assertTrue(KeyId.isReserved(0));
        assertTrue(KeyId.isReserved(0xFFFFFFFFL));
        assertEquals(KeyId.EMPTY, 0xFFFFFFFFL);
        assertFalse(KeyId.isReserved(1));
        assertFalse(KeyId.isReserved(0xFFFFFFFEL));
        assertEquals(1, KeyId.check(1));
        assertEquals(0xFFFFFFFEL, KeyId.check(0xFFFFFFFEL));
    }

    @Test
    void checkRefusesReservedAndOutOfRange() {
        assertEquals("reserved-key-id", assertThrows(FieldbusException.class, () -> KeyId.check(0)).reason());
        assertEquals("reserved-key-id", assertThrows(FieldbusException.class, () -> KeyId.check(KeyId.EMPTY)).reason());
        assertEquals("key-id-out-of-range", assertThrows(FieldbusException.class, () -> KeyId.check(-1)).reason());
        assertEquals("key-id-out-of-range",
                assertThrows(FieldbusException.class, () -> KeyId.check(0x1_0000_0000L)).reason());
    }

    /** A source that yields both reserved values first: random must skip them. */
    @Test
    void randomNeverReturnsReservedValues() {
        SecureRandom rigged = new SecureRandom() {
            private static final long serialVersionUID = 1L;
            private int calls;

            @Override
            public int nextInt() {
                return switch (calls++) {
                    case 0 -> 0;
                    case 1 -> -1;
                    default -> 0x1234ABCD;
                };
            }
        };
        assertEquals(0x1234ABCDL, KeyId.random(rigged));
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 1000; i++) {
            long id = KeyId.random(random);
            assertTrue(id > 0 && id < 0xFFFFFFFFL);
        }
    }

    @Test
    void hexIsEightUpperCaseDigits() {
        assertEquals("0000ABCD", KeyId.hex(0xABCD));
        assertEquals("FFFFFFFF", KeyId.hex(KeyId.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> KeyId.hex(-1));
    }
}
