package org.brski.fieldbus.crypto;

import java.security.SecureRandom;
import java.util.Objects;

import org.brski.fieldbus.FieldbusException;

/**
 * The optional 32-bit Key ID of EmSA WP-104 3.5 and chapter 6: a readable, non-secret identifier of one installed base
 * key. The reserved values {@code 0} and {@code 0xFFFFFFFF} indicate that no valid key is installed (chapter 6);
 * {@link #EMPTY} is what an empty (erased) slot reads. Key IDs are carried as {@code long} in 0..0xFFFFFFFF.
 */
public final class KeyId {
    /** The erased-slot value, read from a slot without a key (WP-104 3.6: restore resets every Key ID to it). */
    public static final long EMPTY = 0xFFFFFFFFL;
    /** The other reserved "no valid key" value (WP-104 6). */
    public static final long NONE = 0L;
    /** Largest UNSIGNED32. */
    public static final long MAX = 0xFFFFFFFFL;

    private KeyId() {
    }

    /** Whether {@code id} is one of the reserved "no valid key" values 0 and 0xFFFFFFFF. */
    public static boolean isReserved(long id) {
        return id == NONE || id == EMPTY;
    }

    /**
     * Refuses a Key ID that cannot name an installed key.
     *
     * @throws FieldbusException {@code key-id-out-of-range} outside 0..0xFFFFFFFF, {@code reserved-key-id} for 0 and
     *                           0xFFFFFFFF
     */
    public static long check(long id) throws FieldbusException {
        if (id < 0 || id > MAX) {
            throw new FieldbusException("key-id-out-of-range", "a Key ID is UNSIGNED32 (WP-104 6)");
        }
        if (isReserved(id)) {
            throw new FieldbusException("reserved-key-id",
                    "Key ID " + hex(id) + " is reserved for \"no valid key\" (WP-104 6)");
        }
        return id;
    }

    /** A random Key ID that is never reserved, for the commissioning tool (WP-104 3.2). */
    public static long random(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        long id;
        do {
            id = Integer.toUnsignedLong(random.nextInt());
        } while (isReserved(id));
        return id;
    }

    /** Eight upper-case hex digits, e.g. {@code 0000ABCD}. */
    public static String hex(long id) {
        if (id < 0 || id > MAX) {
            throw new IllegalArgumentException("not an UNSIGNED32: " + id);
        }
        return String.format("%08X", id);
    }
}
