package org.brski.fieldbus.canopen;

/**
 * The two frame formats of ISO 11898-1:2015 this model carries: classical CAN (up to 8 data bytes, one bitrate) and
 * CAN FD (up to 64 data bytes, data phase at a second bitrate). A CAN FD data field is one of the sixteen lengths its
 * 4-bit DLC can encode (ISO 11898-1:2015 table 5): 0..8, 12, 16, 20, 24, 32, 48, 64.
 */
public enum BusKind {
    /** Classical CAN (ISO 11898-1 "Classical Base Frame Format"): 0..8 data bytes. */
    CAN(8),
    /** CAN FD (ISO 11898-1 "FD Base Frame Format"): 0..8, 12, 16, 20, 24, 32, 48 or 64 data bytes. */
    CAN_FD(64);

    private final int maxDataBytes;

    BusKind(int maxDataBytes) {
        this.maxDataBytes = maxDataBytes;
    }

    /** The largest data field of one frame: 8 (classical) or 64 (CAN FD). */
    public int maxDataBytes() {
        return maxDataBytes;
    }

    /** Whether a data field of {@code length} bytes can be sent in one frame of this kind. */
    public boolean isValidLength(int length) {
        if (length < 0 || length > maxDataBytes) {
            return false;
        }
        return this == CAN || length <= 8 || length == 12 || length == 16 || length == 20 || length == 24
                || length == 32 || length == 48 || length == 64;
    }

    /**
     * The data field length a payload of {@code payloadLength} bytes occupies: the payload length itself for classical
     * CAN, the next valid length for CAN FD (e.g. 13 → 16).
     *
     * @throws IllegalArgumentException if the payload does not fit one frame
     */
    public int frameLength(int payloadLength) {
        if (payloadLength < 0 || payloadLength > maxDataBytes) {
            throw new IllegalArgumentException(
                    "a " + this + " frame carries 0.." + maxDataBytes + " data bytes, not " + payloadLength);
        }
        int length = payloadLength;
        while (!isValidLength(length)) {
            length++;
        }
        return length;
    }

    /** The 4-bit data length code of a valid data field length (ISO 11898-1:2015 table 5). */
    public int dlc(int length) {
        if (!isValidLength(length)) {
            throw new IllegalArgumentException("no " + this + " DLC encodes " + length + " data bytes");
        }
        if (length <= 8) {
            return length;
        }
        return length <= 24 ? 9 + (length - 12) / 4 : length == 32 ? 13 : length == 48 ? 14 : 15;
    }
}
