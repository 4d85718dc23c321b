package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.brski.fieldbus.crypto.KeyId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EmSA WP-104 3.3, 3.4, 3.5 and 6: Integrator and Operator Key installs, Key IDs. */
class IntegratorOperatorKeyTest {
    private final Bench bench = Bench.fresh();
    private final FieldbusNode node = bench.node;
    private final Bench.Keys keys = new Bench.Keys();
    private SecureChannel pk;

    @BeforeEach
    void provision() throws SdoAbort {
        bench.installPk(keys.pk, keys.pkId);
        bench.writeSalt();
        pk = bench.channel(KeyRole.PROVISIONING, keys.pk);
    }

    /** "The Integrator Key can be installed (or overwritten) only if that write access is authenticated by the PK." */
    @Test
    void integratorKeyInstalledAndOverwrittenUnderPk() throws Exception {
        bench.install(pk, KeyRole.INTEGRATOR, keys.ik, keys.ikId);
        assertEquals(NodeState.INTEGRATED, node.state());
        assertEquals(2, bench.securityState());
        assertEquals(keys.ikId, bench.readU32(NodeObjects.KEY_ID, 2));
        byte[] newIk = Bench.newKey();
        bench.install(pk, KeyRole.INTEGRATOR, newIk, 0x22);
        assertEquals(0x22, bench.readU32(NodeObjects.KEY_ID, 2));
        // the new IK is the one that works now; the old IK's session is gone
        bench.writeSecure(bench.channel(KeyRole.INTEGRATOR, newIk), NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1});
        SecureChannel oldIk = bench.rogue(KeyRole.INTEGRATOR, keys.ik);
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag",
                () -> bench.writeSecure(oldIk, NodeObjects.PROTECTED_CONFIG, 0, new byte[] {2}));
    }

    @Test
    void integratorKeyInstallRefusedUnderIntegratorOrOperatorKey() throws Exception {
        bench.install(pk, KeyRole.INTEGRATOR, keys.ik, keys.ikId);
        bench.install(pk, KeyRole.OPERATOR, keys.ok, keys.okId);
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        SecureChannel ok = bench.channel(KeyRole.OPERATOR, keys.ok);
        bench.assertRefused(SdoAbort.CANNOT_STORE, "role-not-allowed",
                () -> bench.install(ik, KeyRole.INTEGRATOR, Bench.newKey(), 5));
        bench.assertRefused(SdoAbort.CANNOT_STORE, "role-not-allowed",
                () -> bench.install(ok, KeyRole.INTEGRATOR, Bench.newKey(), 5));
        assertEquals(keys.ikId, node.keyId(KeyRole.INTEGRATOR));
    }

    @Test
    void markerIsInvalidOnceCommissioned() throws SdoAbort {
        SecureChannel marker = SecureChannel.forMarker(bench.readGeneration(), bench.nodeId(), bench.profile());
        bench.assertRefused(SdoAbort.CANNOT_STORE, "role-not-allowed", () -> bench.install(marker, KeyRole.INTEGRATOR, keys.ik, 5));
        bench.assertRefused(SdoAbort.CANNOT_STORE, "role-not-allowed", () -> bench.install(marker, KeyRole.OPERATOR, keys.ok, 5));
    }

    /** "The Operator Key ... can be installed (or overwritten) only if authenticated by the PK or the IK." */
    @Test
    void operatorKeyInstalledUnderIntegratorKey() throws Exception {
        bench.install(pk, KeyRole.INTEGRATOR, keys.ik, keys.ikId);
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        bench.install(ik, KeyRole.OPERATOR, keys.ok, keys.okId);
        assertEquals(NodeState.OPERATOR, node.state());
        assertEquals(keys.okId, bench.readU32(NodeObjects.KEY_ID, 3));
        bench.install(ik, KeyRole.OPERATOR, Bench.newKey(), 0x33);
        assertEquals(0x33, node.keyId(KeyRole.OPERATOR));
    }

    @Test
    void operatorKeyInstalledUnderPkEvenWithoutIk() throws Exception {
        bench.install(pk, KeyRole.OPERATOR, keys.ok, keys.okId);
        assertEquals(NodeState.OPERATOR, node.state());
        assertEquals(3, bench.securityState());
    }

    @Test
    void operatorKeyInstallRefusedUnderOperatorKey() throws Exception {
        bench.install(pk, KeyRole.OPERATOR, keys.ok, keys.okId);
        SecureChannel ok = bench.channel(KeyRole.OPERATOR, keys.ok);
        bench.assertRefused(SdoAbort.CANNOT_STORE, "role-not-allowed", () -> bench.install(ok, KeyRole.OPERATOR, Bench.newKey(), 9));
        assertEquals(keys.okId, node.keyId(KeyRole.OPERATOR));
    }

    /** The AAD binds a message to its slot: an IK install payload written into the OK slot does not verify. */
    @Test
    void integratorPayloadReplayedIntoOperatorSlotFails() throws Exception {
        byte[] ikInstall = pk.seal(NodeObjects.KEY_INSTALL, 2, NodeObjects.keyInstallPlaintext(keys.ik, keys.ikId));
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag", () -> node.write(NodeObjects.KEY_INSTALL, 3, ikInstall));
        assertEquals(KeyId.EMPTY, node.keyId(KeyRole.OPERATOR));
        node.write(NodeObjects.KEY_INSTALL, 2, ikInstall);
        assertEquals(keys.ikId, node.keyId(KeyRole.INTEGRATOR));
    }

    @Test
    void sessionsNeedAKeyOfTheirRole() {
        SecureChannel ikWithoutInstall = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        bench.assertRefused(SdoAbort.CANNOT_STORE, "no-key",
                () -> bench.install(ikWithoutInstall, KeyRole.OPERATOR, keys.ok, keys.okId));
    }

    @Test
    void weakWrongLengthAndReservedIdRefusedForIkAndOk() {
        for (KeyRole target : new KeyRole[] {KeyRole.INTEGRATOR, KeyRole.OPERATOR}) {
            bench.assertRefused(SdoAbort.INVALID_VALUE, "weak-key", () -> bench.install(pk, target, new byte[16], 5));
            bench.assertRefused(SdoAbort.INVALID_VALUE, "reserved-key-id", () -> bench.install(pk, target, keys.ik, 0));
            bench.assertRefused(SdoAbort.LENGTH_MISMATCH, "wrong-key-length", () -> bench.writeSecure(pk,
                    NodeObjects.KEY_INSTALL, target.code(), new byte[21]));
            assertEquals(KeyId.EMPTY, node.keyId(target));
        }
        assertEquals(NodeState.PROVISIONED, node.state());
    }

    /** A new base key must differ from every installed one: PK = IK or IK = OK would void the separation of 3.3/3.4. */
    @Test
    void duplicateKeysRefused() throws Exception {
        bench.assertRefused(SdoAbort.INVALID_VALUE, "duplicate-key", () -> bench.install(pk, KeyRole.INTEGRATOR, keys.pk, 5));
        bench.install(pk, KeyRole.INTEGRATOR, keys.ik, keys.ikId);
        bench.assertRefused(SdoAbort.INVALID_VALUE, "duplicate-key", () -> bench.install(pk, KeyRole.OPERATOR, keys.ik, 6));
        bench.assertRefused(SdoAbort.INVALID_VALUE, "duplicate-key",
                () -> bench.install(pk, KeyRole.INTEGRATOR, keys.ik, 7));
        assertEquals(keys.ikId, node.keyId(KeyRole.INTEGRATOR));
    }

    /** WP-104 3.5: Key IDs are readable even by a session that holds no valid key, and read-only. */
    @Test
    void keyIdsReadableWithoutAuthenticationAndReadOnly() throws Exception {
        bench.install(pk, KeyRole.INTEGRATOR, keys.ik, keys.ikId);
        bench.node.powerCycle(); // no salt, no session at all
        assertEquals(keys.pkId, bench.readU32(NodeObjects.KEY_ID, 1));
        assertEquals(keys.ikId, bench.readU32(NodeObjects.KEY_ID, 2));
        assertEquals(KeyId.EMPTY, bench.readU32(NodeObjects.KEY_ID, 3));
        assertEquals(new byte[] {3}[0], node.read(NodeObjects.KEY_ID, 0)[0]);
        bench.assertRefused(SdoAbort.READ_ONLY, "read-only", () -> node.write(NodeObjects.KEY_ID, 2, NodeObjects.u32(5)));
        assertEquals(keys.ikId, node.keyId(KeyRole.INTEGRATOR));
    }

    @Test
    void readOnlyEntriesRefuseWrites() {
        bench.assertRefused(SdoAbort.READ_ONLY, "read-only", () -> node.write(NodeObjects.DEVICE_TYPE, 0, new byte[4]));
        bench.assertRefused(SdoAbort.READ_ONLY, "read-only", () -> node.write(NodeObjects.IDENTITY, 4, new byte[4]));
        bench.assertRefused(SdoAbort.READ_ONLY, "read-only", () -> node.write(NodeObjects.SECURITY_STATE, 0, new byte[1]));
        bench.assertRefused(SdoAbort.READ_ONLY, "read-only", () -> node.write(NodeObjects.COUNTERS, 1, new byte[4]));
        bench.assertRefused(SdoAbort.READ_ONLY, "read-only",
                () -> node.write(NodeObjects.COUNTERS, NodeObjects.COUNTER_GENERATION, new byte[4]));
    }
}
