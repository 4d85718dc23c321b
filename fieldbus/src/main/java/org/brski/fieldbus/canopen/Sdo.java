package org.brski.fieldbus.canopen;

/**
 * The SDO wire format shared by {@link SdoClient} and {@link SdoServer} (CiA 301 7.2.4.3): command specifiers, COB-IDs,
 * and the 8-byte initiate/abort frame layout {@code command, index (LE 16), sub-index, 4 data bytes}. See
 * {@code fieldbus/CANOPEN.md} for the frame layouts of both profiles.
 */
final class Sdo {
    /** Client → server COB-ID base (CiA 301 7.3.5, predefined connection set). */
    static final int RX_BASE = 0x600;
    /** Server → client COB-ID base. */
    static final int TX_BASE = 0x580;

    /** Client command specifiers (bits 7..5 of byte 0). */
    static final int CCS_DOWNLOAD_SEGMENT = 0;
    static final int CCS_INITIATE_DOWNLOAD = 1;
    static final int CCS_INITIATE_UPLOAD = 2;
    static final int CCS_UPLOAD_SEGMENT = 3;
    /** Abort transfer, both directions. */
    static final int CS_ABORT = 4;
    /** Server command specifiers. */
    static final int SCS_UPLOAD_SEGMENT = 0;
    static final int SCS_DOWNLOAD_SEGMENT = 1;
    static final int SCS_INITIATE_UPLOAD = 2;
    static final int SCS_INITIATE_DOWNLOAD = 3;

    /** Expedited bit (e) of an initiate command. */
    static final int EXPEDITED = 0x02;
    /** Size-indicated bit (s) of an initiate command. */
    static final int SIZE_INDICATED = 0x01;
    /** Most data bytes an expedited transfer carries. */
    static final int EXPEDITED_MAX = 4;
    /** Length of initiate and abort frames in both profiles (and of every classical SDO frame). */
    static final int INITIATE_LENGTH = 8;

    private Sdo() {
    }

    static int commandSpecifier(CanFrame frame) {
        return frame.byteAt(0) >>> 5;
    }

    static int toggleOf(int command) {
        return (command >>> 4) & 1;
    }

    static int index(CanFrame frame) {
        return frame.byteAt(1) | frame.byteAt(2) << 8;
    }

    static int subIndex(CanFrame frame) {
        return frame.byteAt(3);
    }

    /** Bytes 4..7, little-endian, unsigned. */
    static long data32(CanFrame frame) {
        return Cia301.unsigned32(frame.data(), 4);
    }

    /** An 8-byte initiate or abort frame. */
    static CanFrame initiate(BusKind kind, int cobId, int command, int index, int subIndex, byte[] data) {
        byte[] bytes = new byte[INITIATE_LENGTH];
        bytes[0] = (byte) command;
        bytes[1] = (byte) index;
        bytes[2] = (byte) (index >>> 8);
        bytes[3] = (byte) subIndex;
        System.arraycopy(data, 0, bytes, 4, Math.min(data.length, 4));
        return CanFrame.of(kind, cobId, bytes);
    }

    static CanFrame initiate(BusKind kind, int cobId, int command, int index, int subIndex, long data32) {
        return initiate(kind, cobId, command, index, subIndex, Cia301.unsigned32(data32));
    }

    /** A segment acknowledgement or request: the command byte alone (classical: padded to 8 with zeros). */
    static CanFrame command(BusKind kind, int cobId, int command) {
        byte[] bytes = new byte[kind == BusKind.CAN ? INITIATE_LENGTH : 1];
        bytes[0] = (byte) command;
        return CanFrame.of(kind, cobId, bytes);
    }

    static CanFrame abort(BusKind kind, int cobId, int index, int subIndex, int abortCode) {
        return initiate(kind, cobId, CS_ABORT << 5, index, subIndex, abortCode & 0xFFFFFFFFL);
    }

    /** Whether an SDO frame has the length its profile requires at least: classical 8 bytes, FD 1 + data. */
    static boolean lengthValid(CanFrame frame, int needed) {
        return frame.kind() == BusKind.CAN ? frame.length() == INITIATE_LENGTH : frame.length() >= needed;
    }

    static void requireAddress(int index, int subIndex) {
        if (index < 0 || index > 0xFFFF || subIndex < 0 || subIndex > 0xFF) {
            throw new IllegalArgumentException(String.format("no object %X:%X", index, subIndex));
        }
    }

    /** Most data bytes one segment carries: 7 (classical) or 63 (FD profile). */
    static int segmentCapacity(BusKind kind) {
        return kind.maxDataBytes() - 1;
    }
}
