package org.brski.fieldbus.canopen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.brski.fieldbus.node.NodeConfig;
import org.junit.jupiter.api.Test;

/** The CiA 301 rules shared by transport and node: node ids 1..127, UNSIGNED32 little-endian. */
class Cia301Test {
    @Test
    void nodeIdsAreOneTo127ForTransportAndNodeAlike() {
        assertEquals(1, Cia301.checkNodeId(1));
        assertEquals(127, Cia301.checkNodeId(127));
        for (int bad : new int[] {0, 128, -1}) {
            assertThrows(IllegalArgumentException.class, () -> Cia301.checkNodeId(bad));
            assertThrows(IllegalArgumentException.class, () -> NodeConfig.checkNodeId(bad));
            assertThrows(IllegalArgumentException.class, () -> Nmt.resetNode(BusKind.CAN, bad == 0 ? 128 : bad));
        }
    }

    @Test
    void unsigned32IsLittleEndianAndBounded() {
        assertArrayEquals(new byte[] {0x78, 0x56, 0x34, 0x12}, Cia301.unsigned32(0x12345678L));
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, Cia301.unsigned32(0xFFFFFFFFL));
        assertEquals(0xFFFFFFFEL, Cia301.unsigned32(new byte[] {9, -2, -1, -1, -1}, 1));
        assertEquals(0x12345678L, Cia301.unsigned32(Cia301.unsigned32(0x12345678L), 0));
        assertThrows(IllegalArgumentException.class, () -> Cia301.unsigned32(-1));
        assertThrows(IllegalArgumentException.class, () -> Cia301.unsigned32(0x1_0000_0000L));
        assertThrows(IndexOutOfBoundsException.class, () -> Cia301.unsigned32(new byte[4], 1));
    }
}
