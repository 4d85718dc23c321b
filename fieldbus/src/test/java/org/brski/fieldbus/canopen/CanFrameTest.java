package org.brski.fieldbus.canopen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanFrameTest {
    @Test
    void identifierMustBeEleven() {
        assertEquals(0, CanFrame.classic(0, new byte[0]).id());
        assertEquals(0x7FF, CanFrame.fd(0x7FF, new byte[0]).id());
        assertThrows(IllegalArgumentException.class, () -> CanFrame.classic(0x800, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> CanFrame.classic(-1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> CanFrame.fd(0x800, new byte[1]));
        CanBus bus = CanBus.classic(500_000);
        assertThrows(IllegalArgumentException.class, () -> bus.attach(0x800, f -> { }));
        assertThrows(IllegalArgumentException.class, () -> bus.attach(-1, f -> { }));
    }

    @Test
    void classicalCarriesAtMostEightBytes() {
        assertEquals(8, CanFrame.classic(1, new byte[8]).length());
        assertEquals(0, CanFrame.classic(1, new byte[0]).length());
        assertEquals(5, CanFrame.classic(1, new byte[5]).length());
        assertThrows(IllegalArgumentException.class, () -> CanFrame.classic(1, new byte[9]));
    }

    @Test
    void fdPadsToTheNextValidLength() {
        byte[] payload = new byte[13];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i + 1);
        }
        CanFrame frame = CanFrame.fd(0x123, payload);
        assertEquals(16, frame.length());
        assertEquals(13, frame.payloadLength());
        assertEquals(10, frame.dlc());
        assertArrayEquals(payload, frame.payload());
        byte[] data = frame.data();
        for (int i = 13; i < 16; i++) {
            assertEquals((byte) 0xCC, data[i]);
        }
        assertEquals(64, CanFrame.fd(1, new byte[49]).length());
        assertEquals(8, CanFrame.fd(1, new byte[8]).length());
        assertEquals(12, CanFrame.fd(1, new byte[9]).length());
        assertEquals(32, CanFrame.fd(1, new byte[25]).length());
        assertThrows(IllegalArgumentException.class, () -> CanFrame.fd(1, new byte[65]));
    }

    @Test
    void fdLengthsAndCodes() {
        List<Integer> valid = new ArrayList<>();
        for (int n = -1; n <= 65; n++) {
            if (BusKind.CAN_FD.isValidLength(n)) {
                valid.add(n);
            }
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64), valid);
        int dlc = 0;
        for (int length : valid) {
            assertEquals(dlc++, BusKind.CAN_FD.dlc(length));
        }
        assertThrows(IllegalArgumentException.class, () -> BusKind.CAN_FD.dlc(13));
        assertFalse(BusKind.CAN.isValidLength(12));
        assertEquals(8, BusKind.CAN.maxDataBytes());
        assertEquals(64, BusKind.CAN_FD.maxDataBytes());
    }

    @Test
    void framesAreValues() {
        byte[] data = {1, 2, 3};
        CanFrame frame = CanFrame.classic(0x601, data);
        data[0] = 9;
        assertEquals(1, frame.byteAt(0));
        frame.data()[1] = 9;
        assertEquals(2, frame.byteAt(1));
        assertEquals(CanFrame.classic(0x601, new byte[] {1, 2, 3}), frame);
        assertEquals(CanFrame.classic(0x601, new byte[] {1, 2, 3}).hashCode(), frame.hashCode());
        assertNotEquals(CanFrame.fd(0x601, new byte[] {1, 2, 3}), frame);
        assertEquals("601 [3] 01 02 03", frame.toString());
        assertTrue(CanFrame.fd(0x601, new byte[] {1}).toString().startsWith("601 ##[1]"));
    }

    @Test
    void classicalBusRefusesFdFrames() {
        CanBus classic = CanBus.classic(500_000);
        assertThrows(IllegalArgumentException.class, () -> classic.send(CanFrame.fd(1, new byte[2])));
        assertEquals(0, classic.stats().frames());
        CanBus fd = CanBus.fd(500_000, 2_000_000);
        fd.send(CanFrame.classic(1, new byte[8]));
        fd.send(CanFrame.fd(1, new byte[8]));
        assertEquals(2, fd.stats().frames());
        assertEquals(135 + 33, fd.stats().nominalBits());
        assertEquals(114, fd.stats().dataBits());
    }
}
