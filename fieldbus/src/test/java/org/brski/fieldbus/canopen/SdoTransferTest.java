package org.brski.fieldbus.canopen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.brski.fieldbus.FieldbusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips through the real client and server, with the exact frames each transfer needs. */
class SdoTransferTest {
    private static final int NODE = 5;

    /**
     * {size, classical frames, CAN FD frames} per transfer (download or upload alike): expedited 2 frames for 1..4
     * bytes; else initiate pair + one request/response pair per segment of 7 (classical) or 63 (FD) bytes, and one
     * empty segment for a 0-byte value.
     */
    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(0, 4, 4),
                Arguments.of(1, 2, 2),
                Arguments.of(4, 2, 2),
                Arguments.of(5, 4, 4),
                Arguments.of(7, 4, 4),
                Arguments.of(8, 6, 4),
                Arguments.of(13, 6, 4),
                Arguments.of(63, 20, 4),
                Arguments.of(64, 22, 6),
                Arguments.of(200, 60, 10),
                Arguments.of(1000, 288, 34));
    }

    static byte[] value(int size) {
        byte[] value = new byte[size];
        for (int i = 0; i < size; i++) {
            value[i] = (byte) (i * 7 + 3);
        }
        return value;
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("sizes")
    void classicalRoundTrip(int size, int classicFrames, int fdFrames) throws FieldbusException {
        roundTrip(CanBus.classic(500_000), size, classicFrames);
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("sizes")
    void fdRoundTrip(int size, int classicFrames, int fdFrames) throws FieldbusException {
        roundTrip(CanBus.fd(500_000, 2_000_000), size, fdFrames);
    }

    private static void roundTrip(CanBus bus, int size, int expectedFrames) throws FieldbusException {
        MapDictionary dictionary = new MapDictionary();
        SdoServer.attach(bus, NODE, dictionary, () -> { });
        SdoClient client = SdoClient.on(bus);
        byte[] value = value(size);

        client.download(NODE, 0x2100, 0, value);
        assertArrayEquals(value, dictionary.get(0x2100, 0));
        assertEquals(expectedFrames, bus.stats().frames(), "download frames");
        assertEquals(size, bus.stats().payloadBytes());

        bus.resetStats();
        dictionary.put(0x2101, 3, value);
        assertArrayEquals(value, client.upload(NODE, 0x2101, 3));
        assertEquals(expectedFrames, bus.stats().frames(), "upload frames");
        assertEquals(size, bus.stats().payloadBytes());
    }

    @Test
    void expeditedFramesOnTheWire() throws FieldbusException {
        CanBus bus = CanBus.classic(500_000);
        List<String> wire = new ArrayList<>();
        bus.onFrame(f -> wire.add(f.toString()));
        MapDictionary dictionary = new MapDictionary().put(0x1018, 4, new byte[] {0x78, 0x56, 0x34, 0x12});
        SdoServer.attach(bus, NODE, dictionary, () -> { });
        SdoClient client = SdoClient.on(bus);
        client.download(NODE, 0x6200, 1, new byte[] {(byte) 0xA5});
        assertEquals(0x12345678L, client.readUnsigned32(NODE, 0x1018, 4));
        assertEquals(List.of(
                "605 [8] 2F 00 62 01 A5 00 00 00",
                "585 [8] 60 00 62 01 00 00 00 00",
                "605 [8] 40 18 10 04 00 00 00 00",
                "585 [8] 43 18 10 04 78 56 34 12"), wire);
    }

    @Test
    void segmentedFramesOnTheWire() throws FieldbusException {
        CanBus bus = CanBus.classic(500_000);
        List<String> wire = new ArrayList<>();
        bus.onFrame(f -> wire.add(f.toString()));
        MapDictionary dictionary = new MapDictionary();
        SdoServer.attach(bus, NODE, dictionary, () -> { });
        SdoClient.on(bus).download(NODE, 0x2100, 0, HexFormat.of().parseHex("0102030405060708090A"));
        assertEquals(List.of(
                "605 [8] 21 00 21 00 0A 00 00 00",
                "585 [8] 60 00 21 00 00 00 00 00",
                "605 [8] 00 01 02 03 04 05 06 07",
                "585 [8] 20 00 00 00 00 00 00 00",
                "605 [8] 19 08 09 0A 00 00 00 00",
                "585 [8] 30 00 00 00 00 00 00 00"), wire);
    }

    @Test
    void fdSegmentsOnTheWire() throws FieldbusException {
        CanBus bus = CanBus.fd(500_000, 2_000_000);
        List<CanFrame> wire = new ArrayList<>();
        bus.onFrame(wire::add);
        MapDictionary dictionary = new MapDictionary().put(0x2100, 0, value(72));
        SdoServer.attach(bus, NODE, dictionary, () -> { });
        assertArrayEquals(value(72), SdoClient.on(bus).upload(NODE, 0x2100, 0));
        assertEquals(6, wire.size());
        assertEquals("605 ##[8] 40 00 21 00 00 00 00 00", wire.get(0).toString());
        assertEquals("585 ##[8] 41 00 21 00 48 00 00 00", wire.get(1).toString());
        assertEquals("605 ##[1] 60", wire.get(2).toString());
        assertEquals(64, wire.get(3).length());
        assertEquals(0x00, wire.get(3).byteAt(0));
        assertEquals("605 ##[1] 70", wire.get(4).toString());
        CanFrame last = wire.get(5);
        assertEquals(12, last.length());
        assertEquals(10, last.payloadLength());
        assertEquals(0x11, last.byteAt(0));
        assertEquals(0xCC, last.byteAt(10));
        assertEquals(0xCC, last.byteAt(11));
    }

    @Test
    void abortCodesFromTheDictionaryArePreserved() {
        CanBus bus = CanBus.classic(500_000);
        MapDictionary dictionary = new MapDictionary().put(0x1000, 0, new byte[4]).readOnly(0x1000, 0)
                .readOnly(0x1018, 1);
        SdoServer.attach(bus, NODE, dictionary, () -> { });
        SdoClient client = SdoClient.on(bus);

        SdoAbort readOnly = assertThrows(SdoAbort.class, () -> client.download(NODE, 0x1000, 0, new byte[4]));
        assertEquals(SdoAbort.READ_ONLY, readOnly.abortCode());
        assertEquals("sdo-abort-06010002", readOnly.reason());

        SdoAbort missing = assertThrows(SdoAbort.class, () -> client.upload(NODE, 0x3000, 1));
        assertEquals(SdoAbort.NO_OBJECT, missing.abortCode());

        // Segmented: the refusal comes only after the last segment, and nothing was written.
        bus.resetStats();
        SdoAbort late = assertThrows(SdoAbort.class, () -> client.download(NODE, 0x1018, 1, value(20)));
        assertEquals(SdoAbort.READ_ONLY, late.abortCode());
        assertEquals(2 + 2 * 3, bus.stats().frames());
        assertEquals(0, bus.stats().payloadBytes());
        assertNull(dictionary.get(0x1018, 1));
        assertEquals(0, dictionary.writes());
    }

    @Test
    void missingNodeIsNoResponse() {
        CanBus bus = CanBus.classic(500_000);
        SdoServer.attach(bus, NODE, new MapDictionary(), () -> { });
        FieldbusException e = assertThrows(FieldbusException.class, () -> SdoClient.on(bus).upload(6, 0x1000, 0));
        assertEquals("no-response", e.reason());
        assertEquals(1, bus.stats().frames());
        FieldbusException d = assertThrows(FieldbusException.class,
                () -> SdoClient.on(bus).download(6, 0x1000, 0, value(30)));
        assertEquals("no-response", d.reason());
    }

    @Test
    void detachedNodeIsGone() throws FieldbusException {
        CanBus bus = CanBus.classic(500_000);
        SdoServer server = SdoServer.attach(bus, NODE, new MapDictionary().put(1, 1, new byte[1]), () -> { });
        SdoClient client = SdoClient.on(bus);
        assertEquals(1, client.upload(NODE, 1, 1).length);
        server.detach();
        assertEquals("no-response", assertThrows(FieldbusException.class, () -> client.upload(NODE, 1, 1)).reason());
    }

    @Test
    void addressesAreChecked() {
        CanBus bus = CanBus.classic(500_000);
        SdoClient client = SdoClient.on(bus);
        assertThrows(IllegalArgumentException.class, () -> client.upload(0, 0x1000, 0));
        assertThrows(IllegalArgumentException.class, () -> client.upload(128, 0x1000, 0));
        assertThrows(IllegalArgumentException.class, () -> client.upload(1, 0x10000, 0));
        assertThrows(IllegalArgumentException.class, () -> client.upload(1, 0x1000, 256));
        assertThrows(IllegalArgumentException.class, () -> SdoServer.attach(bus, 0, new MapDictionary(), () -> { }));
        assertThrows(IllegalArgumentException.class, () -> SdoServer.attach(bus, 128, new MapDictionary(), () -> { }));
        assertThrows(IllegalArgumentException.class, () -> client.writeUnsigned32(1, 1, 1, -1));
        assertEquals(0, bus.stats().frames());
    }

    @Test
    void unsigned32IsLittleEndianAndChecked() throws FieldbusException {
        CanBus bus = CanBus.fd(500_000, 2_000_000);
        MapDictionary dictionary = new MapDictionary().put(0x5F02, 1, new byte[] {1, 2, 3});
        SdoServer.attach(bus, NODE, dictionary, () -> { });
        SdoClient client = SdoClient.on(bus);
        client.writeUnsigned32(NODE, 0x5F02, 2, 0xFFFFFFFEL);
        assertArrayEquals(new byte[] {(byte) 0xFE, -1, -1, -1}, dictionary.get(0x5F02, 2));
        assertEquals(0xFFFFFFFEL, client.readUnsigned32(NODE, 0x5F02, 2));
        assertEquals("sdo-protocol",
                assertThrows(FieldbusException.class, () -> client.readUnsigned32(NODE, 0x5F02, 1)).reason());
    }
}
