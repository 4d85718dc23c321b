package org.brski.fieldbus.canopen;

import java.util.Objects;

/**
 * An immutable snapshot of a {@link CanBus}'s accounting: frames and their data bytes, bits per bitrate phase, bus
 * time, and the application payload that SDO transfers moved, with the bus time that payload would need at best.
 *
 * <p>{@link #minimumBusTimeNanos()} is the yardstick for protocol overhead (used for EmSA WP-104 chapter 6's
 * classical CAN vs CAN FD comparison): the payload bytes packed into full frames (8 or 64 data bytes), the last frame
 * sized to the remainder (rounded up to a valid CAN FD length), without stuff bits, SDO headers or responses, at the
 * same bitrate(s).
 */
public final class BusStats {
    private final BusKind kind;
    private final long nominalBitrate;
    private final long dataBitrate;
    private final long frames;
    private final long frameBytes;
    private final long nominalBits;
    private final long dataBits;
    private final long payloadBytes;

    private BusStats(BusKind kind, long nominalBitrate, long dataBitrate, long frames, long frameBytes,
            long nominalBits, long dataBits, long payloadBytes) {
        this.kind = kind;
        this.nominalBitrate = nominalBitrate;
        this.dataBitrate = dataBitrate;
        this.frames = frames;
        this.frameBytes = frameBytes;
        this.nominalBits = nominalBits;
        this.dataBits = dataBits;
        this.payloadBytes = payloadBytes;
    }

    /**
     * A snapshot; classical CAN sends every bit at the nominal bitrate, so {@code dataBits} must then be 0.
     *
     * @param frameBytes the data fields of all frames (CAN FD padding included)
     * @throws IllegalArgumentException on negative counts, more frame bytes than the frames hold, or non-positive
     *                                  bitrates
     */
    public static BusStats of(BusKind kind, long nominalBitrate, long dataBitrate, long frames, long frameBytes,
            long nominalBits, long dataBits, long payloadBytes) {
        Objects.requireNonNull(kind, "kind");
        if (nominalBitrate <= 0 || dataBitrate <= 0) {
            throw new IllegalArgumentException("bitrates must be positive");
        }
        if (frames < 0 || frameBytes < 0 || nominalBits < 0 || dataBits < 0 || payloadBytes < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (frameBytes > frames * kind.maxDataBytes()) {
            throw new IllegalArgumentException("more frame bytes than the frames hold");
        }
        if (kind == BusKind.CAN && dataBits != 0) {
            throw new IllegalArgumentException("classical CAN has no data phase");
        }
        return new BusStats(kind, nominalBitrate, dataBitrate, frames, frameBytes, nominalBits, dataBits,
                payloadBytes);
    }

    public BusKind kind() {
        return kind;
    }

    public long nominalBitrate() {
        return nominalBitrate;
    }

    /** The CAN FD data-phase bitrate; equals the nominal one on a classical bus. */
    public long dataBitrate() {
        return dataBitrate;
    }

    public long frames() {
        return frames;
    }

    /** Bytes in the data fields of all frames (SDO headers and CAN FD padding included). */
    public long frameBytes() {
        return frameBytes;
    }

    /** Bits sent at the nominal bitrate. */
    public long nominalBits() {
        return nominalBits;
    }

    /** Bits sent at the data bitrate (CAN FD data phases). */
    public long dataBits() {
        return dataBits;
    }

    public long totalBits() {
        return nominalBits + dataBits;
    }

    /** Σ bits / bitrate, in nanoseconds. */
    public long busTimeNanos() {
        return FrameTiming.nanos(nominalBits, dataBits, nominalBitrate, dataBitrate);
    }

    public double busTimeMillis() {
        return busTimeNanos() / 1e6;
    }

    /** Application bytes moved by completed SDO transfers (the values read or written, not protocol bytes). */
    public long payloadBytes() {
        return payloadBytes;
    }

    /** The bus time {@link #payloadBytes()} needs at best (see the class comment), in nanoseconds. */
    public long minimumBusTimeNanos() {
        int max = kind.maxDataBytes();
        long fullFrames = payloadBytes / max;
        int rest = (int) (payloadBytes % max);
        long nominal = fullFrames * FrameTiming.bitsNominal(kind, max, false);
        long data = fullFrames * FrameTiming.bitsData(kind, max, false);
        if (rest > 0) {
            int length = kind.frameLength(rest);
            nominal += FrameTiming.bitsNominal(kind, length, false);
            data += FrameTiming.bitsData(kind, length, false);
        }
        return FrameTiming.nanos(nominal, data, nominalBitrate, dataBitrate);
    }

    public double minimumBusTimeMillis() {
        return minimumBusTimeNanos() / 1e6;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BusStats s && s.kind == kind && s.nominalBitrate == nominalBitrate
                && s.dataBitrate == dataBitrate && s.frames == frames && s.frameBytes == frameBytes
                && s.nominalBits == nominalBits
                && s.dataBits == dataBits && s.payloadBytes == payloadBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, nominalBitrate, dataBitrate, frames, frameBytes, nominalBits, dataBits,
                payloadBytes);
    }

    @Override
    public String toString() {
        return String.format("%s: %d frames, %d data bytes, %d bits, %.3f ms bus time; %d payload bytes, minimum"
                + " %.3f ms", kind, frames, frameBytes, totalBits(), busTimeMillis(), payloadBytes,
                minimumBusTimeMillis());
    }
}
