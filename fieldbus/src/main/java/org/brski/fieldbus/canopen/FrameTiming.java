package org.brski.fieldbus.canopen;

import java.util.Objects;

/**
 * The number of bits one base-format data frame (11-bit identifier) occupies on the bus, and its duration. All counts
 * include the 3-bit intermission (IFS), so back-to-back frames add up to bus time; n is the data field length in bytes,
 * padding included.
 *
 * <p><b>Classical CAN</b> (ISO 11898-1:2015 10.4; all at the nominal bitrate): SOF 1, identifier 11, RTR 1, IDE 1,
 * r0 1, DLC 4, data 8n, CRC 15, CRC delimiter 1, ACK slot 1, ACK delimiter 1, EOF 7, IFS 3 = <b>47 + 8n</b> bits.
 * Dynamic stuffing covers SOF..CRC (34 + 8n bits); the worst case inserts <b>⌊(34 + 8n − 1)/4⌋</b> stuff bits
 * (Davis, Burns, Bril, Lukkien 2007, eq. 1: one stuff bit after the first five bits, then one every four), so an
 * 8-byte frame is 111 bits unstuffed and 135 bits worst case (55 + 10n in general).
 *
 * <p><b>CAN FD</b> (ISO 11898-1:2015 10.4, 10.5; bit rate switch on):
 * <ul>
 * <li>arbitration phase, nominal bitrate: SOF 1, identifier 11, RRS 1, IDE 1, FDF 1, res 1, BRS 1 = 17 bits;</li>
 * <li>data phase, data bitrate: ESI 1, DLC 4, data 8n, stuff count 4, CRC 17 (n ≤ 16) or 21 (n &gt; 16), fixed stuff
 * bits ⌈(4 + CRC)/4⌉ = 6 or 7 = <b>32 + 8n</b> (n ≤ 16) or <b>37 + 8n</b> bits;</li>
 * <li>trailer, nominal bitrate: CRC delimiter 1, ACK slot 1, ACK delimiter 1, EOF 7, IFS 3 = 13 bits, so 30 nominal
 * bits per frame.</li>
 * </ul>
 * Dynamic stuffing covers SOF..end of data, L = 22 + 8n bits, worst case ⌊(L − 1)/4⌋ = ⌊(21 + 8n)/4⌋ stuff bits
 * (the CRC field carries fixed stuff bits instead). In the worst-case pattern stuff bits follow original bits 5, 9,
 * 13, 17, …: the three after bits 5, 9 and 13 fall into the arbitration phase (bit 17 is BRS, and the bit after it is
 * already sent at the data bitrate), all others into the data phase. Worst case: 33 nominal bits and
 * 32 + 8n + ⌊(21 + 8n)/4⌋ − 3 data bits (n ≤ 16). A 64-byte frame: 579 bits unstuffed, 712 worst case, matching the
 * Linux kernel's {@code include/linux/can/length.h} (V. Mailhol, 2023).
 */
public final class FrameTiming {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Classical frame without data field: SOF..IFS. */
    private static final int CLASSIC_OVERHEAD = 47;
    /** Classical frame: bits under dynamic stuffing besides the data field (SOF..CRC). */
    private static final int CLASSIC_STUFFED_OVERHEAD = 34;
    /** CAN FD: SOF..BRS (17) plus CRC delimiter..IFS (13). */
    private static final int FD_NOMINAL = 30;
    /** CAN FD: dynamic stuff bits that fall before the bit rate switch in the worst case. */
    private static final int FD_NOMINAL_STUFF = 3;
    /** CAN FD: bits under dynamic stuffing besides the data field (SOF..DLC). */
    private static final int FD_STUFFED_OVERHEAD = 22;

    private FrameTiming() {
    }

    /** Bits sent at the nominal bitrate: the whole classical frame; arbitration phase and trailer of a CAN FD frame. */
    public static int bitsNominal(CanFrame frame, boolean worstCase) {
        return bitsNominal(frame.kind(), frame.length(), worstCase);
    }

    /** Bits sent at the data bitrate: 0 for classical CAN; ESI..CRC of a CAN FD frame. */
    public static int bitsData(CanFrame frame, boolean worstCase) {
        return bitsData(frame.kind(), frame.length(), worstCase);
    }

    /** All bits of the frame, intermission included. */
    public static int bits(CanFrame frame, boolean worstCase) {
        return bitsNominal(frame, worstCase) + bitsData(frame, worstCase);
    }

    /** {@link #bitsNominal(CanFrame, boolean)} for a frame of {@code kind} with an {@code n}-byte data field. */
    public static int bitsNominal(BusKind kind, int n, boolean worstCase) {
        requireLength(kind, n);
        if (kind == BusKind.CAN) {
            int unstuffed = CLASSIC_OVERHEAD + 8 * n;
            return worstCase ? unstuffed + (CLASSIC_STUFFED_OVERHEAD + 8 * n - 1) / 4 : unstuffed;
        }
        return worstCase ? FD_NOMINAL + FD_NOMINAL_STUFF : FD_NOMINAL;
    }

    /** {@link #bitsData(CanFrame, boolean)} for a frame of {@code kind} with an {@code n}-byte data field. */
    public static int bitsData(BusKind kind, int n, boolean worstCase) {
        requireLength(kind, n);
        if (kind == BusKind.CAN) {
            return 0;
        }
        int crc = n <= 16 ? 17 : 21;
        int fixedStuff = (4 + crc + 3) / 4;
        int unstuffed = 1 + 4 + 8 * n + 4 + crc + fixedStuff;
        return worstCase ? unstuffed + (FD_STUFFED_OVERHEAD + 8 * n - 1) / 4 - FD_NOMINAL_STUFF : unstuffed;
    }

    /** The frame's duration in nanoseconds (rounded to the nearest), bits at their phase's bitrate. */
    public static long nanos(CanFrame frame, long nominalBps, long dataBps, boolean worstCase) {
        Objects.requireNonNull(frame, "frame");
        return nanos(bitsNominal(frame, worstCase), bitsData(frame, worstCase), nominalBps, dataBps);
    }

    /**
     * The duration of {@code nominalBits} at {@code nominalBps} plus {@code dataBits} at {@code dataBps}, in
     * nanoseconds rounded to the nearest (each quotient is exact first, so long sums do not accumulate rounding).
     */
    public static long nanos(long nominalBits, long dataBits, long nominalBps, long dataBps) {
        if (nominalBps <= 0 || dataBps <= 0 || nominalBits < 0 || dataBits < 0) {
            throw new IllegalArgumentException("bit counts must be >= 0 and bitrates > 0");
        }
        long nominalScaled = Math.multiplyExact(nominalBits, NANOS_PER_SECOND);
        long dataScaled = Math.multiplyExact(dataBits, NANOS_PER_SECOND);
        long whole = nominalScaled / nominalBps + dataScaled / dataBps;
        double fraction = (double) (nominalScaled % nominalBps) / nominalBps + (double) (dataScaled % dataBps) / dataBps;
        return whole + Math.round(fraction);
    }

    private static void requireLength(BusKind kind, int n) {
        if (!kind.isValidLength(n)) {
            throw new IllegalArgumentException("not a valid " + kind + " data field length: " + n);
        }
    }
}
