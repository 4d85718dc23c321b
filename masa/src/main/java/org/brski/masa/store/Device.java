package org.brski.masa.store;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A device this manufacturer made, known by the serial-number in its IDevID (RFC 8995 section 2.3.1).
 *
 * @param serialNumber the X520 serialNumber of the device's IDevID, 1 to {@value #MAX_SERIAL_LENGTH} characters
 * @param ownership who may receive vouchers for it
 * @param addedAt when it was registered
 */
public record Device(String serialNumber, Ownership ownership, OffsetDateTime addedAt) {
    /** Longest serial-number accepted anywhere in the MASA. */
    public static final int MAX_SERIAL_LENGTH = 128;

    public Device {
        requireSerial(serialNumber);
        Objects.requireNonNull(ownership, "ownership");
        Objects.requireNonNull(addedAt, "addedAt");
    }

    /** Checks a serial-number's length and characters (printable, no control characters). */
    public static String requireSerial(String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        if (serialNumber.isEmpty() || serialNumber.length() > MAX_SERIAL_LENGTH
                || serialNumber.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a serial-number has 1 to " + MAX_SERIAL_LENGTH
                    + " printable characters");
        }
        return serialNumber;
    }
}
