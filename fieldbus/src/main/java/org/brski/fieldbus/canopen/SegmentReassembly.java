package org.brski.fieldbus.canopen;

import java.io.ByteArrayOutputStream;

/**
 * Collects the segments {@link SegmentSource} produces and checks every rule of the segmented transfer: command
 * specifier 0, alternating toggle starting at 0, segment length, the size announced by the initiate frame and a bound
 * on the value size. Violations are returned as the CiA 301 abort code the receiver sends.
 */
final class SegmentReassembly {
    private final BusKind kind;
    private final long expected;
    private final int maxBytes;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private int toggle;
    private boolean complete;

    /** {@code expected} is the indicated size, or -1 when the initiate frame did not indicate one (classical only). */
    SegmentReassembly(BusKind kind, long expected, int maxBytes) {
        this.kind = kind;
        this.expected = expected;
        this.maxBytes = maxBytes;
    }

    /** The toggle bit the next segment must carry. */
    int toggle() {
        return toggle;
    }

    boolean complete() {
        return complete;
    }

    byte[] value() {
        return buffer.toByteArray();
    }

    /** Takes one segment; 0 if accepted, else the abort code (the transfer is then dead). */
    int accept(CanFrame frame) {
        if (complete) {
            return SdoAbort.UNKNOWN_COMMAND;
        }
        if (frame.length() < 1 || Sdo.commandSpecifier(frame) != 0) {
            return SdoAbort.UNKNOWN_COMMAND;
        }
        int command = frame.byteAt(0);
        if (Sdo.toggleOf(command) != toggle) {
            return SdoAbort.TOGGLE_NOT_ALTERNATED;
        }
        boolean last = (command & 1) == 1;
        int received = buffer.size();
        int count;
        if (kind == BusKind.CAN || frame.kind() == BusKind.CAN) {
            if (frame.length() != Sdo.INITIATE_LENGTH) {
                return SdoAbort.GENERAL_ERROR;
            }
            count = last ? 7 - ((command >>> 1) & 7) : 7;
        } else {
            long remaining = expected - received;
            count = (int) Math.min(Sdo.segmentCapacity(kind), remaining);
            if (frame.length() < 1 + count || last != (count == remaining)) {
                return SdoAbort.LENGTH_MISMATCH;
            }
        }
        if ((long) received + count > maxBytes) {
            return SdoAbort.OUT_OF_MEMORY;
        }
        if (expected >= 0 && (received + count > expected || last && received + count != expected)) {
            return SdoAbort.LENGTH_MISMATCH;
        }
        buffer.write(frame.data(), 1, count);
        toggle ^= 1;
        complete = last;
        return 0;
    }
}
