package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Node configuration: CANopen node id range, UNSIGNED32 identity, failure budget, defaults. */
class NodeConfigTest {
    @Test
    void defaults() {
        NodeConfig c = NodeConfig.of(1, 0xFFFFFFFFL);
        assertEquals(SessionProfile.defaults(), c.profile());
        assertEquals(64, c.profile().tagBits());
        assertEquals(true, c.profile().perNodeContext());
        assertEquals(16, c.maxFailedVerifications());
        assertEquals(16, NodeConfig.SALT_LENGTH);
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.hashCode(), c.toBuilder().build().hashCode());
    }

    @Test
    void outOfRangeValuesRefused() {
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.of(0, 1));
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.of(128, 1));
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.of(5, -1));
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.of(5, 0x1_0000_0000L));
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.builder(5).vendorId(-1).build());
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.builder(5).productCode(1L << 32).build());
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.builder(5).maxFailedVerifications(0).build());
        assertThrows(NullPointerException.class, () -> NodeConfig.builder(5).profile(null).build());
    }
}
