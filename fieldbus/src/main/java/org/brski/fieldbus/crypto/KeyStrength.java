package org.brski.fieldbus.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.brski.fieldbus.FieldbusException;

/**
 * The key length and weak-key rules of EmSA WP-104 3.2 ("the device shall enforce the key length required by the
 * Cryptographic Primitives chapter and shall refuse trivially weak Provisioning Keys, such as all-zero or known-default
 * values") and chapter 5 (128 bits minimum, storage for up to 256 bits). The concrete rules are those of
 * {@code fieldbus/DESIGN.md}, "Keys and roles"; the node applies them to every base key it installs.
 */
public final class KeyStrength {
    private KeyStrength() {
    }

    /** Whether {@code length} is an accepted base-key length: 16, 24 or 32 bytes. */
    public static boolean isValidLength(int length) {
        return length == 16 || length == 24 || length == 32;
    }

    /**
     * Refuses a base key that has the wrong length or is trivially weak.
     *
     * @throws FieldbusException {@code wrong-key-length} unless 16, 24 or 32 bytes; {@code weak-key} when all bytes are
     *                           equal (all-zero is the commissioning marker, all-0xFF the erased flash), when a pattern
     *                           repeats with a period of at most half the length, or when the bytes form an arithmetic
     *                           sequence (constant difference modulo 256, e.g. {@code 00 01 02 ..} or {@code FF FE ..})
     */
    public static void check(byte[] key) throws FieldbusException {
        Objects.requireNonNull(key, "key");
        if (!isValidLength(key.length)) {
            throw new FieldbusException("wrong-key-length",
                    "a base key must be 16, 24 or 32 bytes (WP-104 5), got " + key.length);
        }
        String weakness = weakness(key);
        if (weakness != null) {
            throw new FieldbusException("weak-key", "trivially weak key refused (WP-104 3.2): " + weakness);
        }
    }

    /**
     * Draws keys from {@code random} until one passes {@link #check}, for the commissioning tool (WP-104 3.2, chapter 5:
     * "used ... for Provisioning Key generation in the integrator's tool").
     *
     * @throws IllegalArgumentException unless {@code length} is 16, 24 or 32
     */
    public static byte[] generate(SecureRandom random, int length) {
        Objects.requireNonNull(random, "random");
        if (!isValidLength(length)) {
            throw new IllegalArgumentException("key length must be 16, 24 or 32 bytes, got " + length);
        }
        byte[] key = new byte[length];
        do {
            random.nextBytes(key);
        } while (weakness(key) != null);
        return key;
    }

    /** The rule a key breaks, or {@code null}; never describes the key bytes themselves. */
    private static String weakness(byte[] key) {
        if (isAllZero(key)) {
            return "equals the commissioning marker (all zero)";
        }
        for (int period = 1; period <= key.length / 2; period++) {
            if (repeatsWithPeriod(key, period)) {
                return period == 1 ? "all bytes equal" : "pattern repeating with period " + period;
            }
        }
        int step = (key[1] - key[0]) & 0xFF;
        boolean arithmetic = true;
        for (int i = 2; i < key.length && arithmetic; i++) {
            arithmetic = ((key[i] - key[i - 1]) & 0xFF) == step;
        }
        return arithmetic ? "arithmetic byte sequence" : null;
    }

    private static boolean repeatsWithPeriod(byte[] key, int period) {
        for (int i = period; i < key.length; i++) {
            if (key[i] != key[i - period]) {
                return false;
            }
        }
        return true;
    }

    /** Whether every byte is zero: the commissioning marker (WP-104 3.1), or a salt slot holding no salt (4.1). */
    public static boolean isAllZero(byte[] bytes) {
        return Arrays.equals(bytes, new byte[bytes.length]);
    }
}
