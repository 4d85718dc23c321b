package org.brski.registrar.fieldbus;

import java.util.regex.Pattern;

import org.brski.fieldbus.crypto.KeyId;
import org.brski.registrar.RegistrarException;

/** Bounds and formats shared by the service, the admin API and the CLI. */
public final class FieldbusFormat {
    /** Machine identifiers: 1-64 characters {@code [A-Za-z0-9._-]}, starting with a letter or digit. */
    public static final Pattern MACHINE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Largest UNSIGNED32. */
    public static final long MAX_UNSIGNED32 = 0xFFFF_FFFFL;
    /** Most controllers per machine, nodes per escrow/report/label file. */
    public static final int MAX_CONTROLLERS = 16;
    public static final int MAX_NODES = 1024;

    private FieldbusFormat() {
    }

    /** A Key ID as {@code 0x%08X}. */
    public static String keyId(long keyId) {
        return "0x" + KeyId.hex(keyId);
    }

    /** 400 {@code bad-machine-id} unless {@code id} matches {@link #MACHINE_ID}. */
    public static String machineId(String id) throws RegistrarException {
        if (id == null || !MACHINE_ID.matcher(id).matches()) {
            throw RegistrarException.badRequest("bad-machine-id",
                    "a machine id is 1-64 characters of A-Z a-z 0-9 . _ - starting with a letter or digit");
        }
        return id;
    }

    /**
     * An UNSIGNED32 written as the label files write serials and Key IDs: decimal, or hex after {@code 0x}.
     *
     * @throws NumberFormatException for anything else, signs included, or a value above {@link #MAX_UNSIGNED32}
     */
    public static long unsigned32(String text) {
        boolean hex = text.startsWith("0x") || text.startsWith("0X");
        String digits = hex ? text.substring(2) : text;
        int radix = hex ? 16 : 10;
        if (digits.isEmpty() || digits.length() > (radix == 16 ? 8 : 10)
                || !digits.chars().allMatch(c -> Character.digit(c, radix) >= 0)) {
            throw new NumberFormatException("not an UNSIGNED32 (decimal or 0x hex): " + clip(text));
        }
        long value = Long.parseLong(digits, radix);
        if (value > MAX_UNSIGNED32) {
            throw new NumberFormatException("not an UNSIGNED32 (decimal or 0x hex): " + clip(text));
        }
        return value;
    }

    /** Printable ASCII, clipped to 64 characters, for problem details. */
    static String clip(String value) {
        String clean = String.valueOf(value).replaceAll("[^\\x20-\\x7E]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
