package org.brski.fieldbus.canopen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.brski.fieldbus.FieldbusException;
import org.junit.jupiter.api.Test;

/** Misbehaving peers, injected as raw frames on the bus, against the real server and client. */
class SdoProtocolTest {
    private static final int NODE = 1;
    private static final int RX = 0x601;
    private static final int TX = 0x581;

    private final MapDictionary dictionary = new MapDictionary();

    private static CanFrame classic(int id, String hex) {
        return CanFrame.classic(id, HexFormat.of().parseHex(hex));
    }

    private static CanFrame fd(int id, String hex) {
        return CanFrame.fd(id, HexFormat.of().parseHex(hex));
    }

    /** The abort code of an abort frame; fails on any other frame. */
    private static int abortCode(CanFrame frame) {
        assertEquals(0x80, frame.byteAt(0), "abort frame expected: " + frame);
        return (int) (frame.byteAt(4) | frame.byteAt(5) << 8 | frame.byteAt(6) << 16 | (long) frame.byteAt(7) << 24);
    }

    /** A classical bus with the real server on node 1 and a raw listener on its response COB-ID. */
    private List<CanFrame> serverOn(CanBus bus, int maxValueBytes) {
        SdoServer.attach(bus, NODE, dictionary, () -> { }, maxValueBytes);
        List<CanFrame> responses = new ArrayList<>();
        bus.attach(TX, responses::add);
        return responses;
    }

    @Test
    void toggleErrorFromClientAbortsTheDownload() {
        CanBus bus = CanBus.classic(500_000);
        List<CanFrame> responses = serverOn(bus, 4096);
        bus.send(classic(RX, "210021000E000000"));  // initiate segmented download, size 14
        assertEquals("581 [8] 60 00 21 00 00 00 00 00", responses.get(responses.size() - 1).toString());
        bus.send(classic(RX, "1001020304050607"));  // first segment with toggle 1
        CanFrame abort = responses.get(responses.size() - 1);
        assertEquals(SdoAbort.TOGGLE_NOT_ALTERNATED, abortCode(abort));
        assertEquals(0x2100, abort.byteAt(1) | abort.byteAt(2) << 8);
        // The transfer is dead: a correct segment now is out of place.
        bus.send(classic(RX, "0001020304050607"));
        assertEquals(SdoAbort.UNKNOWN_COMMAND, abortCode(responses.get(responses.size() - 1)));
        assertNull(dictionary.get(0x2100, 0));
    }

    @Test
    void toggleErrorOnUpload() {
        CanBus bus = CanBus.classic(500_000);
        dictionary.put(0x2100, 0, new byte[20]);
        List<CanFrame> responses = serverOn(bus, 4096);
        bus.send(classic(RX, "4000210000000000"));
        assertEquals("581 [8] 41 00 21 00 14 00 00 00", responses.get(0).toString());
        bus.send(classic(RX, "6000000000000000"));
        assertEquals(0x00, responses.get(1).byteAt(0));
        bus.send(classic(RX, "6000000000000000"));  // toggle should now be 1
        assertEquals(SdoAbort.TOGGLE_NOT_ALTERNATED, abortCode(responses.get(2)));
    }

    @Test
    void unknownCommandSpecifiers() {
        CanBus bus = CanBus.classic(500_000);
        List<CanFrame> responses = serverOn(bus, 4096);
        for (String command : List.of("A0", "C0", "E0")) {  // block upload, block download, reserved
            bus.send(classic(RX, command + "00210000000000"));
            assertEquals(SdoAbort.UNKNOWN_COMMAND, abortCode(responses.get(responses.size() - 1)), command);
        }
        bus.send(classic(RX, "0000000000000000"));  // download segment without a transfer
        assertEquals(SdoAbort.UNKNOWN_COMMAND, abortCode(responses.get(responses.size() - 1)));
        bus.send(classic(RX, "6000000000000000"));  // upload segment without a transfer
        assertEquals(SdoAbort.UNKNOWN_COMMAND, abortCode(responses.get(responses.size() - 1)));
        bus.send(classic(RX, "4000"));  // classical SDO frames are 8 bytes
        assertEquals(SdoAbort.GENERAL_ERROR, abortCode(responses.get(responses.size() - 1)));
        bus.send(CanFrame.classic(RX, new byte[0]));
        assertEquals(SdoAbort.GENERAL_ERROR, abortCode(responses.get(responses.size() - 1)));
        int before = responses.size();
        bus.send(classic(RX, "8000210000000000"));  // an abort from the client gets no answer
        assertEquals(before, responses.size());
    }

    @Test
    void sizeMismatches() {
        CanBus bus = CanBus.classic(500_000);
        List<CanFrame> responses = serverOn(bus, 4096);
        bus.send(classic(RX, "210021000A000000"));  // size 10
        bus.send(classic(RX, "0101020304050607"));  // 7 bytes, last: only 7 of 10
        assertEquals(SdoAbort.LENGTH_MISMATCH, abortCode(responses.get(responses.size() - 1)));
        bus.send(classic(RX, "2100210003000000"));  // size 3 (segmented although expedited would do)
        bus.send(classic(RX, "0001020304050607"));  // 7 bytes, more to come: already above 3
        assertEquals(SdoAbort.LENGTH_MISMATCH, abortCode(responses.get(responses.size() - 1)));
        assertEquals(0, dictionary.writes());

        CanBus fdBus = CanBus.fd(500_000, 2_000_000);
        List<CanFrame> fdResponses = new ArrayList<>();
        SdoServer.attach(fdBus, NODE, dictionary, () -> { });
        fdBus.attach(TX, fdResponses::add);
        fdBus.send(fd(RX, "210021000A000000"));
        fdBus.send(fd(RX, "0001020304050607080910"));  // all 10 bytes but not marked last
        assertEquals(SdoAbort.LENGTH_MISMATCH, abortCode(fdResponses.get(fdResponses.size() - 1)));
        fdBus.send(fd(RX, "210021000A000000"));
        fdBus.send(fd(RX, "0101020304"));  // last, but the frame holds only 4 of 10 bytes
        assertEquals(SdoAbort.LENGTH_MISMATCH, abortCode(fdResponses.get(fdResponses.size() - 1)));
        fdBus.send(fd(RX, "2000210000000000"));  // the FD profile requires the size
        assertEquals(SdoAbort.UNKNOWN_COMMAND, abortCode(fdResponses.get(fdResponses.size() - 1)));
        assertEquals(0, dictionary.writes());
    }

    @Test
    void unsizedClassicalDownloadIsBounded() {
        CanBus bus = CanBus.classic(500_000);
        List<CanFrame> responses = serverOn(bus, 10);
        bus.send(classic(RX, "2000210000000000"));  // segmented, no size indicated
        bus.send(classic(RX, "0001020304050607"));
        assertEquals(0x20, responses.get(responses.size() - 1).byteAt(0));
        bus.send(classic(RX, "1008090A0B0C0D0E"));  // 14 > 10
        assertEquals(SdoAbort.OUT_OF_MEMORY, abortCode(responses.get(responses.size() - 1)));
        // Within the bound an unsized transfer completes at the last-segment bit.
        bus.send(classic(RX, "2000210000000000"));
        bus.send(classic(RX, "0B01020304000000"));  // last, n = 5: two bytes
        assertArrayEquals(new byte[] {1, 2}, dictionary.get(0x2100, 0));
        assertEquals("581 [8] 20 00 00 00 00 00 00 00", responses.get(responses.size() - 1).toString());
    }

    @Test
    void oversizeValuesAreRefused() throws FieldbusException {
        CanBus bus = CanBus.classic(500_000);
        List<CanFrame> responses = serverOn(bus, 4096);
        FieldbusException local = assertThrows(FieldbusException.class,
                () -> SdoClient.on(bus).download(NODE, 0x2100, 0, new byte[5000]));
        assertEquals("value-too-large", local.reason());
        assertEquals(0, bus.stats().frames());

        SdoAbort remote = assertThrows(SdoAbort.class,
                () -> SdoClient.on(bus, 8192).download(NODE, 0x2100, 0, new byte[5000]));
        assertEquals(SdoAbort.OUT_OF_MEMORY, remote.abortCode());
        assertEquals(2, bus.stats().frames());
        assertEquals(0, dictionary.writes());

        dictionary.put(0x2101, 0, new byte[4097]);
        assertEquals(SdoAbort.OUT_OF_MEMORY, assertThrows(SdoAbort.class,
                () -> SdoClient.on(bus, 8192).upload(NODE, 0x2101, 0)).abortCode());

        dictionary.put(0x2102, 0, new byte[200]);
        responses.clear();
        List<CanFrame> requests = new ArrayList<>();
        bus.attach(RX, requests::add);
        FieldbusException tooBig = assertThrows(FieldbusException.class,
                () -> SdoClient.on(bus, 100).upload(NODE, 0x2102, 0));
        assertEquals("value-too-large", tooBig.reason());
        assertEquals(SdoAbort.OUT_OF_MEMORY, abortCode(requests.get(requests.size() - 1)));
        // The server dropped the transfer after the client's abort: the next request starts clean.
        assertEquals(200, SdoClient.on(bus).upload(NODE, 0x2102, 0).length);
    }

    /** A fake node 1 that answers each request with the frame {@code reply} builds (or nothing for null). */
    private static List<CanFrame> fakeServer(CanBus bus, Function<CanFrame, CanFrame> reply) {
        List<CanFrame> requests = new ArrayList<>();
        bus.attach(RX, request -> {
            requests.add(request);
            CanFrame response = reply.apply(request);
            if (response != null) {
                bus.send(response);
            }
        });
        return requests;
    }

    private static void assertProtocolViolation(CanBus bus, List<CanFrame> requests, int abortCode,
            ThrowingCall call) {
        FieldbusException e = assertThrows(FieldbusException.class, call::run);
        assertEquals("sdo-protocol", e.reason(), e.getMessage());
        assertEquals(abortCode, abortCode(requests.get(requests.size() - 1)), "client's abort to the server");
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws FieldbusException;
    }

    @Test
    void serverToggleError() {
        CanBus bus = CanBus.classic(500_000);
        List<CanFrame> requests = fakeServer(bus, request -> switch (request.byteAt(0)) {
            case 0x40 -> classic(TX, "4100210014000000");
            case 0x60 -> classic(TX, "1001020304050607");  // toggle 1 where 0 is due
            default -> null;
        });
        assertProtocolViolation(bus, requests, SdoAbort.TOGGLE_NOT_ALTERNATED,
                () -> SdoClient.on(bus).upload(NODE, 0x2100, 0));
    }

    @Test
    void serverDownloadAckWithWrongToggle() {
        CanBus bus = CanBus.classic(500_000);
        List<CanFrame> requests = fakeServer(bus, request -> switch (request.byteAt(0) >>> 5) {
            case 1 -> classic(TX, "6000210000000000");
            case 0 -> classic(TX, "3000000000000000");
            default -> null;
        });
        assertProtocolViolation(bus, requests, SdoAbort.TOGGLE_NOT_ALTERNATED,
                () -> SdoClient.on(bus).download(NODE, 0x2100, 0, new byte[10]));
    }

    @Test
    void serverUnknownCommand() {
        CanBus bus = CanBus.classic(500_000);
        List<CanFrame> requests = fakeServer(bus, request -> classic(TX, "E000210000000000"));
        assertProtocolViolation(bus, requests, SdoAbort.UNKNOWN_COMMAND,
                () -> SdoClient.on(bus).upload(NODE, 0x2100, 0));
        // A download acknowledged with an upload response is just as wrong.
        CanBus other = CanBus.classic(500_000);
        List<CanFrame> otherRequests = fakeServer(other, request -> classic(TX, "4300210001000000"));
        assertProtocolViolation(other, otherRequests, SdoAbort.UNKNOWN_COMMAND,
                () -> SdoClient.on(other).download(NODE, 0x2100, 0, new byte[] {1}));
    }

    @Test
    void serverAnswersForAnotherObject() {
        CanBus bus = CanBus.classic(500_000);
        List<CanFrame> requests = fakeServer(bus, request -> classic(TX, "4300200001000000"));
        assertProtocolViolation(bus, requests, SdoAbort.GENERAL_ERROR,
                () -> SdoClient.on(bus).upload(NODE, 0x2100, 0));
    }

    @Test
    void serverSendsMoreThanAnnounced() {
        CanBus bus = CanBus.classic(500_000);
        List<CanFrame> requests = fakeServer(bus, request -> switch (request.byteAt(0)) {
            case 0x40 -> classic(TX, "4100210005000000");
            case 0x60 -> classic(TX, "0101020304050607");  // 7 bytes, last; 5 announced
            default -> null;
        });
        assertProtocolViolation(bus, requests, SdoAbort.LENGTH_MISMATCH,
                () -> SdoClient.on(bus).upload(NODE, 0x2100, 0));
    }

    /** Class doc: a value above the client's bound is {@code value-too-large}, also when the node indicates no size. */
    @Test
    void unsizedClassicalUploadAboveTheBoundIsValueTooLarge() {
        CanBus bus = CanBus.classic(500_000);
        List<CanFrame> requests = fakeServer(bus, request -> switch (request.byteAt(0)) {
            case 0x40 -> classic(TX, "4000210000000000");  // segmented, no size indicated
            case 0x60 -> classic(TX, "0001020304050607");  // 7 bytes, toggle 0, more to come
            case 0x70 -> classic(TX, "1001020304050607");  // 7 bytes, toggle 1, more to come
            default -> null;
        });
        FieldbusException e = assertThrows(FieldbusException.class, () -> SdoClient.on(bus, 20).upload(NODE, 0x2100, 0));
        assertEquals("value-too-large", e.reason(), e.getMessage());
        assertEquals(SdoAbort.OUT_OF_MEMORY, abortCode(requests.get(requests.size() - 1)), "client's abort to the server");
        assertEquals(5, requests.size(), "initiate, three segment requests (21 bytes > 20), abort");
    }

    @Test
    void fdServerWithoutSize() {
        CanBus bus = CanBus.fd(500_000, 2_000_000);
        List<CanFrame> requests = fakeServer(bus, request -> fd(TX, "4000210000000000"));
        FieldbusException e = assertThrows(FieldbusException.class, () -> SdoClient.on(bus).upload(NODE, 0x2100, 0));
        assertEquals("sdo-protocol", e.reason());
        assertEquals(0x80, requests.get(requests.size() - 1).byteAt(0));
    }

    @Test
    void duplicateNodeIds() {
        CanBus bus = CanBus.classic(500_000);
        SdoServer.attach(bus, NODE, new MapDictionary().put(1, 0, new byte[] {1}), () -> { });
        SdoServer.attach(bus, NODE, new MapDictionary().put(1, 0, new byte[] {2}), () -> { });
        FieldbusException e = assertThrows(FieldbusException.class, () -> SdoClient.on(bus).upload(NODE, 1, 0));
        assertEquals("sdo-protocol", e.reason());
    }

    @Test
    void abortFromAFakeServerKeepsItsCode() {
        CanBus bus = CanBus.classic(500_000);
        fakeServer(bus, request -> classic(TX, "8000210022000008"));
        SdoAbort e = assertThrows(SdoAbort.class, () -> SdoClient.on(bus).upload(NODE, 0x2100, 0));
        assertEquals(SdoAbort.DEVICE_STATE, e.abortCode());
    }

    @Test
    void nmtResetNode() throws FieldbusException {
        CanBus bus = CanBus.classic(500_000);
        int[] resets = new int[3];
        SdoServer.attach(bus, 1, dictionary, () -> resets[1]++);
        SdoServer.attach(bus, 2, new MapDictionary(), () -> resets[2]++);
        List<CanFrame> wire = new ArrayList<>();
        bus.onFrame(wire::add);
        SdoClient client = SdoClient.on(bus);

        client.resetNode(2);
        assertEquals(0, resets[1]);
        assertEquals(1, resets[2]);
        assertEquals(List.of("000 [2] 81 02", "702 [1] 00"), wire.stream().map(CanFrame::toString).toList());

        client.resetNode(Nmt.ALL_NODES);
        assertEquals(1, resets[1]);
        assertEquals(2, resets[2]);

        // Other NMT commands (start node) leave the node alone.
        bus.send(classic(0, "0101"));
        assertEquals(1, resets[1]);
        assertThrows(IllegalArgumentException.class, () -> client.resetNode(128));

        // A reset drops an unfinished transfer.
        List<CanFrame> responses = new ArrayList<>();
        bus.attach(TX, responses::add);
        bus.send(classic(RX, "210021000A000000"));
        client.resetNode(1);
        bus.send(classic(RX, "0001020304050607"));
        assertEquals(SdoAbort.UNKNOWN_COMMAND, abortCode(responses.get(responses.size() - 1)));
        assertNull(dictionary.get(0x2100, 0));

        CanBus fdBus = CanBus.fd(500_000, 2_000_000);
        int[] fdResets = {0};
        SdoServer.attach(fdBus, 9, new MapDictionary(), () -> fdResets[0]++);
        SdoClient.on(fdBus).resetNode(9);
        assertEquals(1, fdResets[0]);
    }

    @Test
    void nodeRefusesWhileItsStateSaysSo() throws FieldbusException {
        // The reset callback reaches the node model: here it arms a refusal, as WP-104 nodes do after power-up.
        CanBus bus = CanBus.classic(500_000);
        boolean[] locked = {false};
        ObjectDictionary node = new ObjectDictionary() {
            @Override
            public byte[] read(int index, int subIndex) throws SdoAbort {
                return new byte[] {1};
            }

            @Override
            public void write(int index, int subIndex, byte[] value) throws SdoAbort {
                if (locked[0]) {
                    throw new SdoAbort(SdoAbort.DEVICE_STATE, "locked", "locked after reset");
                }
            }
        };
        SdoServer.attach(bus, NODE, node, () -> locked[0] = true);
        SdoClient client = SdoClient.on(bus);
        client.download(NODE, 0x6200, 1, new byte[] {1});
        client.resetNode(NODE);
        assertEquals(SdoAbort.DEVICE_STATE,
                assertThrows(SdoAbort.class, () -> client.download(NODE, 0x6200, 1, new byte[] {1})).abortCode());
    }
}
