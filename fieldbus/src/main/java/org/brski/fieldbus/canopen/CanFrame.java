package org.brski.fieldbus.canopen;

import java.util.Arrays;
import java.util.Objects;

/**
 * One data frame in base frame format (11-bit identifier, ISO 11898-1:2015 10.4), immutable. A CAN FD frame built
 * from a payload whose length no DLC encodes is padded with {@link #FD_PADDING} up to the next valid length (the
 * padding is sent on the wire and therefore counted in the frame's bits); the frame remembers the payload length for
 * tools and tests, but a receiver on a real bus sees only the padded data field, so protocols must not rely on it.
 */
public final class CanFrame {
    /** The largest 11-bit identifier. */
    public static final int MAX_ID = 0x7FF;
    /**
     * Padding byte for CAN FD data fields: 0xCC, the value ISO 15765-2 recommends for unused bytes (and the usual
     * "CAN FD padding value" of controller drivers); chosen so padding never looks like a zero-filled field.
     */
    public static final byte FD_PADDING = (byte) 0xCC;

    private final int id;
    private final BusKind kind;
    private final byte[] data;
    private final int payloadLength;

    private CanFrame(int id, BusKind kind, byte[] data, int payloadLength) {
        this.id = id;
        this.kind = kind;
        this.data = data;
        this.payloadLength = payloadLength;
    }

    /** A classical CAN frame with 0..8 data bytes. */
    public static CanFrame classic(int id, byte[] data) {
        return of(BusKind.CAN, id, data);
    }

    /** A CAN FD frame carrying 0..64 payload bytes, padded to the next valid data field length. */
    public static CanFrame fd(int id, byte[] payload) {
        return of(BusKind.CAN_FD, id, payload);
    }

    /**
     * A frame of the given kind.
     *
     * @throws IllegalArgumentException if the identifier is outside 0..0x7FF or the payload does not fit one frame
     */
    public static CanFrame of(BusKind kind, int id, byte[] payload) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException(String.format("identifier 0x%X is outside the 11-bit range", id));
        }
        int length = kind.frameLength(payload.length);
        byte[] data = Arrays.copyOf(payload, length);
        Arrays.fill(data, payload.length, length, FD_PADDING);
        return new CanFrame(id, kind, data, payload.length);
    }

    /** The 11-bit identifier (for CANopen: the COB-ID). */
    public int id() {
        return id;
    }

    /** Classical CAN or CAN FD. */
    public BusKind kind() {
        return kind;
    }

    /** The data field length in bytes, padding included. */
    public int length() {
        return data.length;
    }

    /** The 4-bit data length code sent on the wire. */
    public int dlc() {
        return kind.dlc(data.length);
    }

    /** How many of the data bytes are payload (the rest is {@link #FD_PADDING}). */
    public int payloadLength() {
        return payloadLength;
    }

    /** A copy of the data field, padding included. */
    public byte[] data() {
        return data.clone();
    }

    /** A copy of the payload, without padding. */
    public byte[] payload() {
        return Arrays.copyOf(data, payloadLength);
    }

    /** Data byte {@code i} as an unsigned value. */
    public int byteAt(int i) {
        return data[i] & 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanFrame f && f.id == id && f.kind == kind && f.payloadLength == payloadLength
                && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, kind, payloadLength, Arrays.hashCode(data));
    }

    /** Like candump: {@code 601 [8] 40 00 10 00 00 00 00 00}, CAN FD frames with {@code ##}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format("%03X %s[%d]", id, kind == BusKind.CAN_FD ? "##" : "",
                data.length));
        for (byte b : data) {
            s.append(String.format(" %02X", b & 0xFF));
        }
        return s.toString();
    }
}
