package org.brski.fieldbus.canopen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FrameTimingTest {
    /** Hand-computed: 47 + 8n unstuffed, 47 + 8n + floor((33 + 8n) / 4) worst case (= 55 + 10n). */
    private static final int[] CLASSIC_UNSTUFFED = {47, 55, 63, 71, 79, 87, 95, 103, 111};
    private static final int[] CLASSIC_WORST = {55, 65, 75, 85, 95, 105, 115, 125, 135};

    @Test
    void classicalFrameBits() {
        for (int n = 0; n <= 8; n++) {
            CanFrame frame = CanFrame.classic(0x123, new byte[n]);
            assertEquals(CLASSIC_UNSTUFFED[n], FrameTiming.bits(frame, false), "n=" + n);
            assertEquals(CLASSIC_WORST[n], FrameTiming.bits(frame, true), "n=" + n);
            assertEquals(0, FrameTiming.bitsData(frame, true));
        }
    }

    @Test
    void fdFrameBits() {
        // {n, data unstuffed, data worst}; nominal is 30 unstuffed, 33 worst case.
        int[][] cases = {
            {0, 32, 34},     // 32 + floor(21/4) - 3
            {8, 96, 114},    // 96 + floor(85/4)=21 - 3
            {12, 128, 154},  // 128 + 29 - 3
            {16, 160, 194},  // CRC-17: 160 + 37 - 3
            {20, 197, 239},  // CRC-21: 37 + 160, + floor(181/4)=45 - 3
            {48, 421, 519},  // 37 + 384, + floor(405/4)=101 - 3
            {64, 549, 679},  // 37 + 512, + 133 - 3
        };
        for (int[] c : cases) {
            CanFrame frame = CanFrame.fd(0x123, new byte[c[0]]);
            assertEquals(30, FrameTiming.bitsNominal(frame, false), "n=" + c[0]);
            assertEquals(33, FrameTiming.bitsNominal(frame, true), "n=" + c[0]);
            assertEquals(c[1], FrameTiming.bitsData(frame, false), "n=" + c[0]);
            assertEquals(c[2], FrameTiming.bitsData(frame, true), "n=" + c[0]);
        }
        CanFrame max = CanFrame.fd(1, new byte[64]);
        // Linux include/linux/can/length.h: CAN FD SFF 64 bytes, 579 bits without and 712 bits with stuffing.
        assertEquals(579, FrameTiming.bits(max, false));
        assertEquals(712, FrameTiming.bits(max, true));
    }

    @Test
    void paddingIsAccounted() {
        assertEquals(FrameTiming.bits(CanFrame.fd(1, new byte[16]), true),
                FrameTiming.bits(CanFrame.fd(1, new byte[13]), true));
    }

    @Test
    void busTime() {
        assertEquals(270_000, FrameTiming.nanos(CanFrame.classic(1, new byte[8]), 500_000, 500_000, true));
        assertEquals(222_000, FrameTiming.nanos(CanFrame.classic(1, new byte[8]), 500_000, 500_000, false));
        // 33 bits at 500 kbit/s + 679 bits at 2 Mbit/s = 66 000 + 339 500 ns.
        assertEquals(405_500, FrameTiming.nanos(CanFrame.fd(1, new byte[64]), 500_000, 2_000_000, true));
        // Bitrates that do not divide a second: 1 bit at 3 Mbit/s = 333.3 ns, 2 bits = 666.7 ns.
        assertEquals(333, FrameTiming.nanos(0, 1, 1_000_000, 3_000_000));
        assertEquals(667, FrameTiming.nanos(0, 2, 1_000_000, 3_000_000));
        assertEquals(1_000, FrameTiming.nanos(1, 2, 3_000_000, 3_000_000));
        assertThrows(IllegalArgumentException.class, () -> FrameTiming.nanos(1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> FrameTiming.bitsData(BusKind.CAN_FD, 13, true));
        assertThrows(IllegalArgumentException.class, () -> FrameTiming.bitsNominal(BusKind.CAN, 9, true));
    }
}
