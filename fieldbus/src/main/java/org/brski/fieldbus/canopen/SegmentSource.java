package org.brski.fieldbus.canopen;

/**
 * Cuts a value into SDO segments (CiA 301 7.2.4.3.5/.8: download segment request and upload segment response share
 * one layout): command {@code 000 t nnn c} plus up to 7 data bytes (classical, n = unused bytes of the last segment,
 * frame always 8 bytes) or {@code 000 t 000 c} plus up to 63 data bytes (FD profile, the total size from the
 * initiate frame tells the receiver how many bytes a segment holds). A zero-length value is one empty last segment.
 */
final class SegmentSource {
    private final BusKind kind;
    private final byte[] value;
    private int offset;
    private int toggle;
    private boolean done;

    SegmentSource(BusKind kind, byte[] value) {
        this.kind = kind;
        this.value = value;
    }

    /** The toggle bit the next segment carries. */
    int toggle() {
        return toggle;
    }

    boolean done() {
        return done;
    }

    /** The next segment frame; flips the toggle. */
    CanFrame next(int cobId) {
        if (done) {
            throw new IllegalStateException("all segments were sent");
        }
        int chunk = Math.min(Sdo.segmentCapacity(kind), value.length - offset);
        boolean last = offset + chunk == value.length;
        byte[] bytes = new byte[kind == BusKind.CAN ? Sdo.INITIATE_LENGTH : 1 + chunk];
        int unused = kind == BusKind.CAN ? Sdo.segmentCapacity(kind) - chunk : 0;
        bytes[0] = (byte) (toggle << 4 | unused << 1 | (last ? 1 : 0));
        System.arraycopy(value, offset, bytes, 1, chunk);
        offset += chunk;
        toggle ^= 1;
        done = last;
        return CanFrame.of(kind, cobId, bytes);
    }
}
