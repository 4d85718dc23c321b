package org.brski.fieldbus.canopen;

import java.util.Objects;

/**
 * CiA 301 rules shared by the SDO transport and the node model (which must not repeat them): the node-id range of the
 * predefined connection set (CiA 301 7.3.5: 1..127) and the little-endian transfer syntax of UNSIGNED32 (CiA 301
 * 7.1.2).
 */
public final class Cia301 {
    /** Largest CANopen node id. */
    public static final int MAX_NODE_ID = 127;
    /** Largest UNSIGNED32 value. */
    public static final long MAX_UNSIGNED32 = 0xFFFFFFFFL;

    private Cia301() {
    }

    /**
     * Refuses node ids outside 1..127.
     *
     * @return {@code nodeId}
     * @throws IllegalArgumentException outside the range
     */
    public static int checkNodeId(int nodeId) {
        if (nodeId < 1 || nodeId > MAX_NODE_ID) {
            throw new IllegalArgumentException("CANopen node id must be 1.." + MAX_NODE_ID + ", got " + nodeId);
        }
        return nodeId;
    }

    /**
     * An UNSIGNED32 as CiA 301 transfers it: 4 bytes, little-endian.
     *
     * @throws IllegalArgumentException for a value outside 0..0xFFFFFFFF
     */
    public static byte[] unsigned32(long value) {
        if (value < 0 || value > MAX_UNSIGNED32) {
            throw new IllegalArgumentException("not an UNSIGNED32: " + value);
        }
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    /**
     * Decodes the little-endian UNSIGNED32 at {@code bytes[offset..offset+3]}.
     *
     * @throws IndexOutOfBoundsException when fewer than 4 bytes follow {@code offset}
     */
    public static long unsigned32(byte[] bytes, int offset) {
        Objects.checkFromIndexSize(offset, 4, Objects.requireNonNull(bytes, "bytes").length);
        return (bytes[offset] & 0xFFL) | (bytes[offset + 1] & 0xFFL) << 8 | (bytes[offset + 2] & 0xFFL) << 16
                | (bytes[offset + 3] & 0xFFL) << 24;
    }
}
