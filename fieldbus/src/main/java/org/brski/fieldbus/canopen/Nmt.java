package org.brski.fieldbus.canopen;

/**
 * CANopen network management as far as this model needs it (CiA 301 7.2.8.3): the NMT master's node control frame
 * on COB-ID 0x000 ({@code [command, node id]}, node id 0 = all nodes) with the "reset node" command, and the boot-up
 * message a node sends after a reset (COB-ID 0x700 + node id, one data byte 0x00). The NMT state machine itself
 * (pre-operational, operational, stopped) is not modelled: SDO is served in every state.
 */
public final class Nmt {
    /** COB-ID of NMT node control. */
    public static final int COB_ID = 0x000;
    /** Command specifier "reset node". */
    public static final int RESET_NODE = 0x81;
    /** Node id addressing every node. */
    public static final int ALL_NODES = 0;
    /** Base COB-ID of the boot-up (NMT error control) message. */
    public static final int BOOT_UP_BASE = 0x700;

    private Nmt() {
    }

    /**
     * The NMT "reset node" frame for {@code nodeId} (1..127, or {@link #ALL_NODES}), in the bus's frame format.
     *
     * @throws IllegalArgumentException for a node id outside 0..127
     */
    public static CanFrame resetNode(BusKind kind, int nodeId) {
        if (nodeId != ALL_NODES) {
            Cia301.checkNodeId(nodeId);
        }
        return CanFrame.of(kind, COB_ID, new byte[] {(byte) RESET_NODE, (byte) nodeId});
    }
}
