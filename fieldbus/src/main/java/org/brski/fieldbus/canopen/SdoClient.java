package org.brski.fieldbus.canopen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.brski.fieldbus.FieldbusException;

/**
 * The SDO client of CiA 301 7.2.4 on a {@link CanBus}: reads (upload) and writes (download) whole values of a node's
 * object dictionary, expedited for 1..4 bytes and segmented otherwise (7 data bytes per segment on classical CAN, 63
 * in the CAN FD profile of {@code fieldbus/CANOPEN.md}); and NMT reset node.
 *
 * <p>Failures are {@link FieldbusException}s: an abort frame from the node becomes {@link SdoAbort#received(int)} with
 * the node's code; no answer (no node with that id) is {@code no-response}; a node that breaks the protocol (wrong
 * command specifier, toggle, index or size, more than one answer) is {@code sdo-protocol}, after the client sent it an
 * abort frame; a value above the client's bound is {@code value-too-large}. Completed transfers report their value's
 * size to {@link CanBus#countPayload(long)}.
 *
 * <p>Calls are serialized per client; the node's single default SDO channel means one transfer per node at a time.
 * The client waits for a response inside {@link CanBus#send}, so it must not be called from a bus receiver (the
 * response would be queued behind the receiver and the call would report {@code no-response}).
 */
public final class SdoClient {
    private final CanBus bus;
    private final int maxValueBytes;
    private final List<CanFrame> mailbox = new ArrayList<>();

    private SdoClient(CanBus bus, int maxValueBytes) {
        this.bus = bus;
        this.maxValueBytes = maxValueBytes;
    }

    /** A client with the default value bound {@link SdoServer#DEFAULT_MAX_VALUE_BYTES}. */
    public static SdoClient on(CanBus bus) {
        return on(bus, SdoServer.DEFAULT_MAX_VALUE_BYTES);
    }

    /** A client that neither sends nor accepts values above {@code maxValueBytes}. */
    public static SdoClient on(CanBus bus, int maxValueBytes) {
        Objects.requireNonNull(bus, "bus");
        if (maxValueBytes < 0) {
            throw new IllegalArgumentException("maxValueBytes must not be negative");
        }
        return new SdoClient(bus, maxValueBytes);
    }

    /** SDO upload: the complete value of {@code index:subIndex} on node {@code nodeId}. */
    public synchronized byte[] upload(int nodeId, int index, int subIndex) throws FieldbusException {
        Cia301.checkNodeId(nodeId);
        Sdo.requireAddress(index, subIndex);
        Exchange exchange = new Exchange(nodeId, index, subIndex);
        try (CanBus.Subscription ignored = bus.attach(Sdo.TX_BASE + nodeId, mailbox::add)) {
            byte[] value = exchange.upload();
            bus.countPayload(value.length);
            return value;
        } finally {
            mailbox.clear();
        }
    }

    /** SDO download: writes {@code value} to {@code index:subIndex} on node {@code nodeId}. */
    public synchronized void download(int nodeId, int index, int subIndex, byte[] value) throws FieldbusException {
        Cia301.checkNodeId(nodeId);
        Sdo.requireAddress(index, subIndex);
        Objects.requireNonNull(value, "value");
        if (value.length > maxValueBytes) {
            throw new FieldbusException("value-too-large",
                    "a " + value.length + "-byte value exceeds the SDO bound of " + maxValueBytes + " bytes");
        }
        Exchange exchange = new Exchange(nodeId, index, subIndex);
        try (CanBus.Subscription ignored = bus.attach(Sdo.TX_BASE + nodeId, mailbox::add)) {
            exchange.download(value);
            bus.countPayload(value.length);
        } finally {
            mailbox.clear();
        }
    }

    /** Reads an UNSIGNED32 entry (little-endian, CiA 301 7.1.2); a value of another length is {@code sdo-protocol}. */
    public long readUnsigned32(int nodeId, int index, int subIndex) throws FieldbusException {
        byte[] value = upload(nodeId, index, subIndex);
        if (value.length != 4) {
            throw new FieldbusException("sdo-protocol", String.format(
                    "%X:%X on node %d is %d bytes long, not an UNSIGNED32", index, subIndex, nodeId, value.length));
        }
        return Cia301.unsigned32(value, 0);
    }

    /** Writes an UNSIGNED32 entry (little-endian). */
    public void writeUnsigned32(int nodeId, int index, int subIndex, long value) throws FieldbusException {
        download(nodeId, index, subIndex, Cia301.unsigned32(value));
    }

    /** NMT reset node for {@code nodeId} (1..127, or 0 for every node); no answer is awaited. */
    public void resetNode(int nodeId) {
        bus.send(Nmt.resetNode(bus.kind(), nodeId));
    }

    /** One transfer with one node; request and response frames alternate. */
    private final class Exchange {
        private final int nodeId;
        private final int index;
        private final int subIndex;
        private final BusKind kind = bus.kind();

        Exchange(int nodeId, int index, int subIndex) {
            this.nodeId = nodeId;
            this.index = index;
            this.subIndex = subIndex;
        }

        byte[] upload() throws FieldbusException {
            CanFrame response = request(Sdo.initiate(kind, rxId(), Sdo.CCS_INITIATE_UPLOAD << 5, index, subIndex, 0),
                    Sdo.SCS_INITIATE_UPLOAD, Sdo.INITIATE_LENGTH);
            requireSameObject(response);
            int command = response.byteAt(0);
            boolean sized = (command & Sdo.SIZE_INDICATED) != 0;
            if ((command & Sdo.EXPEDITED) != 0) {
                int length = sized ? Sdo.EXPEDITED_MAX - ((command >>> 2) & 3) : Sdo.EXPEDITED_MAX;
                return Arrays.copyOfRange(response.data(), 4, 4 + length);
            }
            if (!sized && kind == BusKind.CAN_FD) {
                throw violation(SdoAbort.LENGTH_MISMATCH, "segmented upload without size indication");
            }
            long size = sized ? Sdo.data32(response) : -1;
            if (size > maxValueBytes) {
                throw tooLarge("announced a " + size + "-byte value");
            }
            SegmentReassembly segments = new SegmentReassembly(kind, size, maxValueBytes);
            while (!segments.complete()) {
                int toggle = segments.toggle();
                CanFrame segment = request(Sdo.command(kind, rxId(), Sdo.CCS_UPLOAD_SEGMENT << 5 | toggle << 4),
                        Sdo.SCS_UPLOAD_SEGMENT, 1);
                int code = segments.accept(segment);
                if (code == SdoAbort.OUT_OF_MEMORY) {
                    // only reachable without size indication (classical CAN): the value grew past the bound
                    throw tooLarge("sent more than " + maxValueBytes + " bytes without indicating the size");
                }
                if (code != 0) {
                    throw violation(code, "bad upload segment " + segment);
                }
            }
            return segments.value();
        }

        void download(byte[] value) throws FieldbusException {
            if (value.length >= 1 && value.length <= Sdo.EXPEDITED_MAX) {
                int command = Sdo.CCS_INITIATE_DOWNLOAD << 5 | (Sdo.EXPEDITED_MAX - value.length) << 2
                        | Sdo.EXPEDITED | Sdo.SIZE_INDICATED;
                requireSameObject(request(Sdo.initiate(kind, rxId(), command, index, subIndex, value),
                        Sdo.SCS_INITIATE_DOWNLOAD, Sdo.INITIATE_LENGTH));
                return;
            }
            requireSameObject(request(Sdo.initiate(kind, rxId(), Sdo.CCS_INITIATE_DOWNLOAD << 5 | Sdo.SIZE_INDICATED,
                    index, subIndex, value.length), Sdo.SCS_INITIATE_DOWNLOAD, Sdo.INITIATE_LENGTH));
            SegmentSource segments = new SegmentSource(kind, value);
            while (!segments.done()) {
                int toggle = segments.toggle();
                CanFrame ack = request(segments.next(rxId()), Sdo.SCS_DOWNLOAD_SEGMENT, 1);
                if (Sdo.toggleOf(ack.byteAt(0)) != toggle) {
                    throw violation(SdoAbort.TOGGLE_NOT_ALTERNATED, "segment acknowledged with the wrong toggle");
                }
            }
        }

        /** Sends a request and returns the single response, which must carry {@code expectedSpecifier}. */
        private CanFrame request(CanFrame frame, int expectedSpecifier, int minimumLength) throws FieldbusException {
            mailbox.clear();
            send(frame);
            if (mailbox.isEmpty()) {
                throw new FieldbusException("no-response", String.format(
                        "no SDO response from node %d (COB-ID 0x%03X) for %X:%X", nodeId, Sdo.TX_BASE + nodeId,
                        index, subIndex));
            }
            if (mailbox.size() > 1) {
                throw violation(SdoAbort.GENERAL_ERROR, mailbox.size() + " responses to one request (duplicate node id?)");
            }
            CanFrame response = mailbox.get(0);
            if (response.length() >= 1 && Sdo.commandSpecifier(response) == Sdo.CS_ABORT) {
                if (response.length() < Sdo.INITIATE_LENGTH) {
                    throw protocol("short abort frame " + response);
                }
                throw SdoAbort.received((int) Sdo.data32(response));
            }
            if (response.length() < 1 || Sdo.commandSpecifier(response) != expectedSpecifier) {
                throw violation(SdoAbort.UNKNOWN_COMMAND, "unexpected response " + response);
            }
            if (!Sdo.lengthValid(response, minimumLength)) {
                throw violation(SdoAbort.GENERAL_ERROR, "response of wrong length " + response);
            }
            return response;
        }

        private void requireSameObject(CanFrame response) throws FieldbusException {
            if (Sdo.index(response) != index || Sdo.subIndex(response) != subIndex) {
                throw violation(SdoAbort.GENERAL_ERROR, "response for another object " + response);
            }
        }

        /** Aborts the upload of a value above the client's bound (out of memory) and returns {@code value-too-large}. */
        private FieldbusException tooLarge(String detail) {
            send(Sdo.abort(kind, rxId(), index, subIndex, SdoAbort.OUT_OF_MEMORY));
            return new FieldbusException("value-too-large", String.format("node %d %s for %X:%X, above the bound of %d"
                    + " bytes", nodeId, detail, index, subIndex, maxValueBytes));
        }

        /** Aborts the transfer towards the node and returns the exception to throw. */
        private FieldbusException violation(int abortCode, String detail) {
            send(Sdo.abort(kind, rxId(), index, subIndex, abortCode));
            return protocol(detail);
        }

        private FieldbusException protocol(String detail) {
            return new FieldbusException("sdo-protocol",
                    String.format("node %d broke the SDO protocol on %X:%X: %s", nodeId, index, subIndex, detail));
        }

        private void send(CanFrame frame) {
            bus.send(frame);
        }

        private int rxId() {
            return Sdo.RX_BASE + nodeId;
        }
    }
}
