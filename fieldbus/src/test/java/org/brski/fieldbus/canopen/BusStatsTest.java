package org.brski.fieldbus.canopen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.brski.fieldbus.FieldbusException;
import org.junit.jupiter.api.Test;

class BusStatsTest {
    private static final int NODE = 3;

    @Test
    void classicalSdoDownloadOf13Bytes() throws FieldbusException {
        CanBus bus = CanBus.classic(500_000);
        SdoServer.attach(bus, NODE, new MapDictionary(), () -> { });
        SdoClient.on(bus).download(NODE, 0x2100, 0, new byte[13]);
        BusStats stats = bus.stats();
        // Every classical SDO frame has 8 data bytes: 135 bits worst case, 270 µs at 500 kbit/s.
        assertEquals(6, stats.frames());
        assertEquals(6 * 135, stats.totalBits());
        assertEquals(6 * 270_000, stats.busTimeNanos());
        assertEquals(13, stats.payloadBytes());
        // Minimum: one 8-byte frame (111 bits) and one 5-byte frame (47 + 40 = 87 bits), unstuffed.
        assertEquals((111 + 87) * 2_000, stats.minimumBusTimeNanos());
        assertEquals(0.396, stats.minimumBusTimeMillis(), 1e-12);
    }

    @Test
    void fdSdoDownloadOf13Bytes() throws FieldbusException {
        CanBus bus = CanBus.fd(500_000, 2_000_000);
        SdoServer.attach(bus, NODE, new MapDictionary(), () -> { });
        SdoClient.on(bus).download(NODE, 0x2100, 0, new byte[13]);
        BusStats stats = bus.stats();
        assertEquals(4, stats.frames());
        // Initiate request and response: 8 bytes, 33 + 114 bits; segment: 14 bytes padded to 16, 33 + 194 bits;
        // acknowledgement: 1 byte, 33 + (40 + floor(29/4) - 3) = 33 + 44 bits.
        assertEquals(4 * 33, stats.nominalBits());
        assertEquals(114 + 114 + 194 + 44, stats.dataBits());
        assertEquals(4 * 33 * 2_000 + (114 + 114 + 194 + 44) * 500, stats.busTimeNanos());
        // Minimum: one 16-byte frame, 30 nominal bits + 160 data bits.
        assertEquals(30 * 2_000 + 160 * 500, stats.minimumBusTimeNanos());
    }

    /** The worked example of fieldbus/CANOPEN.md: a 1000-byte download at 500 kbit/s (FD: 2 Mbit/s data phase). */
    @Test
    void workedExampleOf1000Bytes() throws FieldbusException {
        CanBus classic = CanBus.classic(500_000);
        SdoServer.attach(classic, NODE, new MapDictionary(), () -> { });
        SdoClient.on(classic).download(NODE, 0x2100, 0, new byte[1000]);
        assertEquals(288, classic.stats().frames());
        assertEquals(77_760_000, classic.stats().busTimeNanos());
        assertEquals(27_750_000, classic.stats().minimumBusTimeNanos());

        CanBus fd = CanBus.fd(500_000, 2_000_000);
        SdoServer.attach(fd, NODE, new MapDictionary(), () -> { });
        SdoClient.on(fd).download(NODE, 0x2100, 0, new byte[1000]);
        assertEquals(34, fd.stats().frames());
        assertEquals(34 * 33, fd.stats().nominalBits());
        assertEquals(2 * 114 + 16 * 679 + 16 * 44, fd.stats().dataBits());
        assertEquals(8_142_000, fd.stats().busTimeNanos());
        assertEquals(5_288_000, fd.stats().minimumBusTimeNanos());
    }

    @Test
    void minimumPacksFullFrames() {
        BusStats classic = BusStats.of(BusKind.CAN, 500_000, 500_000, 0, 0, 0, 0, 1000);
        assertEquals(125L * 111 * 2_000, classic.minimumBusTimeNanos());
        BusStats fd = BusStats.of(BusKind.CAN_FD, 500_000, 2_000_000, 0, 0, 0, 0, 1000);
        // 15 frames of 64 bytes (30 + 549 bits) and 40 bytes in a 48-byte frame (30 + 421 bits).
        assertEquals(16L * 30 * 2_000 + (15L * 549 + 421) * 500, fd.minimumBusTimeNanos());
        assertEquals(0, BusStats.of(BusKind.CAN_FD, 500_000, 2_000_000, 0, 0, 0, 0, 0).minimumBusTimeNanos());
    }

    @Test
    void failedTransfersMoveNoPayload() {
        CanBus bus = CanBus.classic(500_000);
        SdoServer.attach(bus, NODE, new MapDictionary().readOnly(0x1000, 0), () -> { });
        assertThrows(SdoAbort.class, () -> SdoClient.on(bus).download(NODE, 0x1000, 0, new byte[20]));
        assertEquals(0, bus.stats().payloadBytes());
        assertEquals(8, bus.stats().frames());
    }

    @Test
    void resetStatsStartsOver() throws FieldbusException {
        CanBus bus = CanBus.fd(1_000_000, 5_000_000);
        SdoServer.attach(bus, NODE, new MapDictionary().put(1, 0, new byte[100]), () -> { });
        SdoClient.on(bus).upload(NODE, 1, 0);
        assertEquals(100, bus.stats().payloadBytes());
        // initiate request and response (8 bytes each), then 2 segment requests (the command byte alone) and
        // responses of 1 + 63 and 1 + 37 bytes, the latter padded to the next CAN FD length, 48
        assertEquals(8 + 8 + 1 + 64 + 1 + 48, bus.stats().frameBytes(), bus.stats().toString());
        bus.resetStats();
        assertEquals(BusStats.of(BusKind.CAN_FD, 1_000_000, 5_000_000, 0, 0, 0, 0, 0), bus.stats());
        SdoClient.on(bus).upload(NODE, 1, 0);
        assertEquals(100, bus.stats().payloadBytes());
    }

    @Test
    void snapshotsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> BusStats.of(BusKind.CAN, 500_000, 500_000, 1, 8, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> BusStats.of(BusKind.CAN, 500_000, 500_000, -1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> BusStats.of(BusKind.CAN, 0, 500_000, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> BusStats.of(BusKind.CAN, 500_000, 500_000, 1, 9, 55, 0, 0));
        assertNotEquals(BusStats.of(BusKind.CAN, 500_000, 500_000, 1, 8, 55, 0, 0),
                BusStats.of(BusKind.CAN, 500_000, 500_000, 1, 8, 65, 0, 0));
    }
}
