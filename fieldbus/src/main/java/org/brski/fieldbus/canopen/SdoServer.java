package org.brski.fieldbus.canopen;

import java.util.Arrays;
import java.util.Objects;

/**
 * Serves an {@link ObjectDictionary} as CANopen node {@code nodeId} on a {@link CanBus}: the default SDO server of
 * CiA 301 7.2.4 (requests on COB-ID 0x600 + id, responses on 0x580 + id) with expedited and segmented download and
 * upload, and NMT "reset node" (CiA 301 7.2.8.3.1.1).
 *
 * <p>A download is handed to the dictionary only once the whole value arrived; an {@link SdoAbort} from the dictionary
 * goes back as an abort frame with its code, and so do protocol violations: unknown or out-of-place command
 * specifiers (0x05040001; block transfer is not supported), toggle errors (0x05030000), sizes that do not match the
 * announced size (0x06070010) and values above the size bound (0x05040005). On a CAN FD bus the segments carry up to 63
 * data bytes in the SDO-like profile of {@code fieldbus/CANOPEN.md} (not CiA 1301 USDO). After an NMT reset the node
 * runs the reset callback and sends its boot-up message (COB-ID 0x700 + id, data 0x00; CiA 301 7.2.8.3.2.1).
 *
 * <p>The server keeps one transfer at a time (the single default SDO channel); a new initiate request replaces an
 * unfinished transfer. It runs on the bus's delivery thread and needs no locking of its own.
 */
public final class SdoServer {
    /** The default bound on a value's size, in bytes. */
    public static final int DEFAULT_MAX_VALUE_BYTES = 4096;

    private final CanBus bus;
    private final int nodeId;
    private final ObjectDictionary dictionary;
    private final Runnable onReset;
    private final int maxValueBytes;
    private final CanBus.Subscription sdoSubscription;
    private final CanBus.Subscription nmtSubscription;
    private int index;
    private int subIndex;
    private SegmentReassembly download;
    private SegmentSource upload;
    /** The format of the request being answered: responses use the client's frame format. */
    private BusKind replyKind;

    private SdoServer(CanBus bus, int nodeId, ObjectDictionary dictionary, Runnable onReset, int maxValueBytes) {
        this.bus = bus;
        this.nodeId = nodeId;
        this.dictionary = dictionary;
        this.onReset = onReset;
        this.maxValueBytes = maxValueBytes;
        this.sdoSubscription = bus.attach(Sdo.RX_BASE + nodeId, this::onSdo);
        this.nmtSubscription = bus.attach(Nmt.COB_ID, this::onNmt);
    }

    /** Attaches {@code dictionary} as node {@code nodeId} (1..127) with the default value bound. */
    public static SdoServer attach(CanBus bus, int nodeId, ObjectDictionary dictionary, Runnable onReset) {
        return attach(bus, nodeId, dictionary, onReset, DEFAULT_MAX_VALUE_BYTES);
    }

    /** Attaches {@code dictionary} as node {@code nodeId}, refusing values above {@code maxValueBytes}. */
    public static SdoServer attach(CanBus bus, int nodeId, ObjectDictionary dictionary, Runnable onReset,
            int maxValueBytes) {
        Objects.requireNonNull(bus, "bus");
        Objects.requireNonNull(dictionary, "dictionary");
        Objects.requireNonNull(onReset, "onReset");
        Cia301.checkNodeId(nodeId);
        if (maxValueBytes < 0) {
            throw new IllegalArgumentException("maxValueBytes must not be negative");
        }
        return new SdoServer(bus, nodeId, dictionary, onReset, maxValueBytes);
    }

    public int nodeId() {
        return nodeId;
    }

    /** Leaves the bus: no more SDO or NMT frames reach this node. */
    public void detach() {
        sdoSubscription.close();
        nmtSubscription.close();
    }

    private void onSdo(CanFrame frame) {
        replyKind = frame.kind();
        if (frame.length() == 0) {
            abort(SdoAbort.GENERAL_ERROR);
            return;
        }
        switch (Sdo.commandSpecifier(frame)) {
            case Sdo.CCS_INITIATE_DOWNLOAD -> initiateDownload(frame);
            case Sdo.CCS_DOWNLOAD_SEGMENT -> downloadSegment(frame);
            case Sdo.CCS_INITIATE_UPLOAD -> initiateUpload(frame);
            case Sdo.CCS_UPLOAD_SEGMENT -> uploadSegment(frame);
            case Sdo.CS_ABORT -> idle();
            default -> abort(SdoAbort.UNKNOWN_COMMAND);
        }
    }

    private void initiateDownload(CanFrame frame) {
        if (!startTransfer(frame)) {
            return;
        }
        int command = frame.byteAt(0);
        boolean sized = (command & Sdo.SIZE_INDICATED) != 0;
        if ((command & Sdo.EXPEDITED) != 0) {
            int length = sized ? Sdo.EXPEDITED_MAX - ((command >>> 2) & 3) : Sdo.EXPEDITED_MAX;
            write(Arrays.copyOfRange(frame.data(), 4, 4 + length));
            return;
        }
        if (!sized && replyKind == BusKind.CAN_FD) {
            abort(SdoAbort.UNKNOWN_COMMAND);
            return;
        }
        long size = sized ? Sdo.data32(frame) : -1;
        if (size > maxValueBytes) {
            abort(SdoAbort.OUT_OF_MEMORY);
            return;
        }
        download = new SegmentReassembly(replyKind, size, maxValueBytes);
        respond(Sdo.initiate(replyKind, txId(), Sdo.SCS_INITIATE_DOWNLOAD << 5, index, subIndex, 0));
    }

    private void downloadSegment(CanFrame frame) {
        if (download == null) {
            abort(SdoAbort.UNKNOWN_COMMAND);
            return;
        }
        int toggle = download.toggle();
        int code = download.accept(frame);
        if (code != 0) {
            abort(code);
        } else if (download.complete()) {
            write(download.value());
        } else {
            respond(Sdo.command(replyKind, txId(), Sdo.SCS_DOWNLOAD_SEGMENT << 5 | toggle << 4));
        }
    }

    /** Applies a complete value and acknowledges the last frame of the download, or aborts with the refusal. */
    private void write(byte[] value) {
        int writtenIndex = index;
        int writtenSub = subIndex;
        boolean segmented = download != null;
        int toggle = segmented ? download.toggle() ^ 1 : 0;
        try {
            dictionary.write(index, subIndex, value);
        } catch (SdoAbort refused) {
            abort(refused.abortCode());
            return;
        }
        idle();
        respond(segmented
                ? Sdo.command(replyKind, txId(), Sdo.SCS_DOWNLOAD_SEGMENT << 5 | toggle << 4)
                : Sdo.initiate(replyKind, txId(), Sdo.SCS_INITIATE_DOWNLOAD << 5, writtenIndex, writtenSub, 0));
    }

    private void initiateUpload(CanFrame frame) {
        if (!startTransfer(frame)) {
            return;
        }
        byte[] value;
        try {
            value = dictionary.read(index, subIndex);
        } catch (SdoAbort refused) {
            abort(refused.abortCode());
            return;
        }
        if (value.length > maxValueBytes) {
            abort(SdoAbort.OUT_OF_MEMORY);
            return;
        }
        if (value.length >= 1 && value.length <= Sdo.EXPEDITED_MAX) {
            int command = Sdo.SCS_INITIATE_UPLOAD << 5 | (Sdo.EXPEDITED_MAX - value.length) << 2 | Sdo.EXPEDITED
                    | Sdo.SIZE_INDICATED;
            respond(Sdo.initiate(replyKind, txId(), command, index, subIndex, value));
            return;
        }
        upload = new SegmentSource(replyKind, value);
        respond(Sdo.initiate(replyKind, txId(), Sdo.SCS_INITIATE_UPLOAD << 5 | Sdo.SIZE_INDICATED, index,
                subIndex, value.length));
    }

    private void uploadSegment(CanFrame frame) {
        if (upload == null || !Sdo.lengthValid(frame, 1)) {
            abort(upload == null ? SdoAbort.UNKNOWN_COMMAND : SdoAbort.GENERAL_ERROR);
            return;
        }
        if (Sdo.toggleOf(frame.byteAt(0)) != upload.toggle()) {
            abort(SdoAbort.TOGGLE_NOT_ALTERNATED);
            return;
        }
        CanFrame segment = upload.next(txId());
        if (upload.done()) {
            idle();
        }
        respond(segment);
    }

    /** Reads index and sub-index of an initiate request and forgets any unfinished transfer. */
    private boolean startTransfer(CanFrame frame) {
        idle();
        if (!Sdo.lengthValid(frame, Sdo.INITIATE_LENGTH)) {
            abort(SdoAbort.GENERAL_ERROR);
            return false;
        }
        index = Sdo.index(frame);
        subIndex = Sdo.subIndex(frame);
        return true;
    }

    private void onNmt(CanFrame frame) {
        if (frame.length() >= 2 && frame.byteAt(0) == Nmt.RESET_NODE
                && (frame.byteAt(1) == 0 || frame.byteAt(1) == nodeId)) {
            idle();
            onReset.run();
            bus.send(CanFrame.of(bus.kind(), Nmt.BOOT_UP_BASE + nodeId, new byte[] {0}));
        }
    }

    private void abort(int code) {
        int abortIndex = index;
        int abortSub = subIndex;
        idle();
        respond(Sdo.abort(replyKind, txId(), abortIndex, abortSub, code));
    }

    private void idle() {
        download = null;
        upload = null;
        index = 0;
        subIndex = 0;
    }

    private void respond(CanFrame frame) {
        bus.send(frame);
    }

    private int txId() {
        return Sdo.TX_BASE + nodeId;
    }
}
