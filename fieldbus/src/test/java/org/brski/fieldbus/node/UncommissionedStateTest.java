package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.brski.fieldbus.crypto.KeyId;
import org.junit.jupiter.api.Test;

/** EmSA WP-104 3.1: the uncommissioned state and the factory commissioning marker. */
class UncommissionedStateTest {
    private final Bench bench = Bench.fresh();
    private final FieldbusNode node = bench.node;

    @Test
    void factoryFreshNodeIsUncommissionedWithEmptySlots() throws Exception {
        assertEquals(NodeState.UNCOMMISSIONED, node.state());
        assertEquals(0, bench.securityState());
        for (KeyRole role : new KeyRole[] {KeyRole.PROVISIONING, KeyRole.INTEGRATOR, KeyRole.OPERATOR}) {
            assertEquals(KeyId.EMPTY, bench.readU32(NodeObjects.KEY_ID, role.code()));
        }
        assertArrayEquals(new byte[16], node.read(NodeObjects.SALT, 0));
        assertEquals(0, bench.counter(NodeObjects.COUNTER_RESTORES));
        assertEquals(0, bench.counter(NodeObjects.COUNTER_RESTORED_FLAG));
    }

    @Test
    void identityAndStateReadableWhileUncommissioned() throws SdoAbort, FieldbusException {
        assertEquals(NodeConfig.DEFAULT_DEVICE_TYPE, bench.readU32(NodeObjects.DEVICE_TYPE, 0));
        assertEquals(0x0A5A, bench.readU32(NodeObjects.IDENTITY, 1));
        assertEquals(0x104, bench.readU32(NodeObjects.IDENTITY, 2));
        assertEquals(100_001, bench.readU32(NodeObjects.IDENTITY, 4));
        assertArrayEquals(new byte[] {4}, node.read(NodeObjects.IDENTITY, 0));
        for (int sub = 1; sub <= 6; sub++) {
            bench.counter(sub);
        }
        assertArrayEquals(new byte[] {6}, node.read(NodeObjects.COUNTERS, 0));
    }

    @Test
    void otherReadsRefusedWhileUncommissioned() {
        int[][] refused = {{NodeObjects.PROTECTED_CONFIG, 0}, {NodeObjects.DIGITAL_OUTPUTS, 1},
            {NodeObjects.DIGITAL_OUTPUTS, 0}, {NodeObjects.SESSION_CHECK, 0}, {NodeObjects.KEY_INSTALL, 0}};
        for (int[] e : refused) {
            bench.assertRefused(SdoAbort.DEVICE_STATE, "uncommissioned", () -> node.read(e[0], e[1]));
        }
    }

    /** "It refuses all bus commands except the single command that installs the Provisioning Key." */
    @Test
    void everyWriteExceptPkInstallRefusedWhileUncommissioned() throws SdoAbort {
        SecureChannel marker = SecureChannel.forMarker(bench.readGeneration(), bench.nodeId(), bench.profile());
        byte[] install = NodeObjects.keyInstallPlaintext(Bench.newKey(), Bench.newKeyId());
        bench.assertRefused(SdoAbort.DEVICE_STATE, "uncommissioned",
                () -> node.write(NodeObjects.SALT, 0, SecureChannel.freshSalt(Bench.RANDOM)));
        bench.assertRefused(SdoAbort.DEVICE_STATE, "uncommissioned",
                () -> node.write(NodeObjects.KEY_INSTALL, 2, marker.seal(NodeObjects.KEY_INSTALL, 2, install)));
        bench.assertRefused(SdoAbort.DEVICE_STATE, "uncommissioned",
                () -> node.write(NodeObjects.KEY_INSTALL, 3, marker.seal(NodeObjects.KEY_INSTALL, 3, install)));
        bench.assertRefused(SdoAbort.DEVICE_STATE, "uncommissioned", () -> node.write(NodeObjects.FACTORY_RESTORE, 0,
                marker.seal(NodeObjects.FACTORY_RESTORE, 0, NodeObjects.restoreCommand())));
        bench.assertRefused(SdoAbort.DEVICE_STATE, "uncommissioned",
                () -> node.write(NodeObjects.SESSION_CHECK, 0, marker.seal(NodeObjects.SESSION_CHECK, 0, new byte[8])));
        bench.assertRefused(SdoAbort.DEVICE_STATE, "uncommissioned",
                () -> node.write(NodeObjects.PROTECTED_CONFIG, 0, marker.seal(NodeObjects.PROTECTED_CONFIG, 0, new byte[4])));
        bench.assertRefused(SdoAbort.DEVICE_STATE, "uncommissioned", () -> node.write(NodeObjects.SECURITY_STATE, 0, new byte[] {1}));
        assertEquals(NodeState.UNCOMMISSIONED, node.state());
    }

    /** "In this state it does not perform any operational input or output function." */
    @Test
    void operationalOutputRefusedWhileUncommissioned() throws Exception {
        bench.assertRefused(SdoAbort.DEVICE_STATE, "uncommissioned",
                () -> node.write(NodeObjects.DIGITAL_OUTPUTS, 1, new byte[] {1}));
        bench.installPk(Bench.newKey(), Bench.newKeyId());
        node.write(NodeObjects.DIGITAL_OUTPUTS, 1, new byte[] {(byte) 0xA5});
        assertArrayEquals(new byte[] {(byte) 0xA5}, node.read(NodeObjects.DIGITAL_OUTPUTS, 1));
    }

    /** The marker is "an unprotected write with a zero key": a MARKER message under the zero salt installs the PK. */
    @Test
    void markerSessionInstallsProvisioningKey() throws Exception {
        long id = Bench.newKeyId();
        bench.installPk(Bench.newKey(), id);
        assertEquals(NodeState.PROVISIONED, node.state());
        assertEquals(1, bench.securityState());
        assertEquals(id, bench.readU32(NodeObjects.KEY_ID, 1));
    }

    @Test
    void pkInstallMustUseTheMarkerRole() throws Exception {
        byte[] someKey = Bench.newKey();
        byte[] salt = SecureChannel.freshSalt(Bench.RANDOM);
        SecureChannel notMarker = SecureChannel.open(KeyRole.PROVISIONING, someKey, salt, bench.readGeneration(),
                bench.nodeId(), bench.profile());
        bench.assertRefused(SdoAbort.CANNOT_STORE, "role-not-allowed", () -> node.write(NodeObjects.KEY_INSTALL, 1,
                notMarker.seal(NodeObjects.KEY_INSTALL, 1, NodeObjects.keyInstallPlaintext(Bench.newKey(), 7))));
        assertEquals(NodeState.UNCOMMISSIONED, node.state());
    }

    /** The marker envelope still detects corruption; a corrupt install is refused and counted, but the marker never locks. */
    @Test
    void corruptedMarkerMessageRefusedWithoutLockingTheMarker() throws Exception {
        NodeConfig config = NodeConfig.builder(9).serialNumber(3).maxFailedVerifications(2).build();
        Bench small = new Bench(config);
        SecureChannel marker = SecureChannel.forMarker(small.readGeneration(), 9, config.profile());
        for (int i = 0; i < 3; i++) {
            byte[] msg = marker.seal(NodeObjects.KEY_INSTALL, 1, NodeObjects.keyInstallPlaintext(Bench.newKey(), 7));
            msg[7] ^= 0x40;
            small.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag", () -> small.node.write(NodeObjects.KEY_INSTALL, 1, msg));
        }
        assertEquals(3, small.counter(NodeObjects.COUNTER_FAILED_VERIFICATIONS));
        small.installPk(Bench.newKey(), 8);
        assertEquals(NodeState.PROVISIONED, small.node.state());
    }

    @Test
    void unknownObjectsAndSubIndicesRefused() {
        bench.assertRefused(SdoAbort.NO_OBJECT, "no-object", () -> node.read(0x2000, 0));
        bench.assertRefused(SdoAbort.NO_SUBINDEX, "no-subindex", () -> node.read(NodeObjects.IDENTITY, 3));
        bench.assertRefused(SdoAbort.NO_SUBINDEX, "no-subindex", () -> node.read(NodeObjects.KEY_ID, 4));
        bench.assertRefused(SdoAbort.NO_OBJECT, "no-object", () -> node.write(0x5F07, 0, new byte[1]));
    }
}
