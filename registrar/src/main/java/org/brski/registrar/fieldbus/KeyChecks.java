package org.brski.registrar.fieldbus;

import org.brski.fieldbus.FieldbusException;

/**
 * The key rules of {@code fieldbus/DESIGN.md} "Keys and roles" applied to keys entering the domain (label import,
 * escrow).
 *
 * <p>INTEGRATION NOTE: this is a marked stand-in for {@code org.brski.fieldbus.crypto.KeyStrength.check} and
 * {@code org.brski.fieldbus.crypto.KeyId.check} (same rules, same reason tokens); once they are on main, these two
 * methods delegate to them and the bodies go away.
 */
final class KeyChecks {
    private KeyChecks() {
    }

    /** {@code wrong-key-length} unless 16, 24 or 32 bytes; {@code weak-key} for the weak patterns of DESIGN.md. */
    static void checkStrength(byte[] key) throws FieldbusException {
        int n = key.length;
        if (n != 16 && n != 24 && n != 32) {
            throw new FieldbusException("wrong-key-length", "a key has 16, 24 or 32 bytes, not " + n);
        }
        for (int period = 1; period <= n / 2; period++) {
            if (n % period == 0 && repeats(key, period)) {
                throw new FieldbusException("weak-key", "the key repeats a pattern of " + period + " byte(s)");
            }
        }
        int step = (key[1] - key[0]) & 0xFF;
        boolean arithmetic = true;
        for (int i = 2; i < n && arithmetic; i++) {
            arithmetic = ((key[i] - key[i - 1]) & 0xFF) == step;
        }
        if (arithmetic) {
            throw new FieldbusException("weak-key", "the key is an arithmetic byte sequence");
        }
    }

    private static boolean repeats(byte[] key, int period) {
        for (int i = period; i < key.length; i++) {
            if (key[i] != key[i - period]) {
                return false;
            }
        }
        return true;
    }

    /** {@code reserved-key-id} for 0 and 0xFFFFFFFF, {@code bad-key-id} outside UNSIGNED32. */
    static void checkKeyId(long keyId) throws FieldbusException {
        if (keyId < 0 || keyId > FieldbusFormat.MAX_UNSIGNED32) {
            throw new FieldbusException("bad-key-id", "a Key ID is an UNSIGNED32");
        }
        if (keyId == 0 || keyId == FieldbusFormat.MAX_UNSIGNED32) {
            throw new FieldbusException("reserved-key-id", "Key IDs 0x00000000 and 0xFFFFFFFF are reserved");
        }
    }
}
