package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.brski.fieldbus.crypto.KeyId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** EmSA WP-104 3.2 and 6: the device-unique Provisioning Key. */
class ProvisioningKeyTest {
    private final Bench bench = Bench.fresh();
    private final FieldbusNode node = bench.node;
    /** A factory-fresh node is in its first session generation. */
    private final SecureChannel marker = SecureChannel.forMarker(SessionKeys.FIRST_GENERATION, bench.nodeId(),
            bench.profile());

    private void writeMarkerInstall(byte[] plaintext) throws SdoAbort {
        node.write(NodeObjects.KEY_INSTALL, 1, marker.seal(NodeObjects.KEY_INSTALL, 1, plaintext));
    }

    private static byte[] rawInstall(byte[] key, long keyId) {
        return ByteBuffer.allocate(key.length + 4).put(key).putInt((int) keyId).array();
    }

    /** "The Provisioning Key can be installed only if the device is in the uncommissioned state." */
    @Test
    void secondPkInstallRefusedOnceCommissioned() throws Exception {
        long firstId = Bench.newKeyId();
        bench.installPk(Bench.newKey(), firstId);
        bench.assertRefused(SdoAbort.DEVICE_STATE, "already-commissioned",
                () -> writeMarkerInstall(NodeObjects.keyInstallPlaintext(Bench.newKey(), Bench.newKeyId())));
        assertEquals(firstId, node.keyId(KeyRole.PROVISIONING));
    }

    /** "The device shall enforce the key length required by the Cryptographic Primitives chapter." */
    @ParameterizedTest
    @ValueSource(ints = {0, 8, 15, 17, 20, 31, 33, 40})
    void wrongKeyLengthRefused(int length) {
        byte[] key = new byte[length];
        Bench.RANDOM.nextBytes(key);
        bench.assertRefused(SdoAbort.LENGTH_MISMATCH, "wrong-key-length", () -> writeMarkerInstall(rawInstall(key, 7)));
        assertEquals(NodeState.UNCOMMISSIONED, node.state());
        assertEquals(KeyId.EMPTY, node.keyId(KeyRole.PROVISIONING));
    }

    @Test
    void truncatedInstallPayloadRefused() {
        bench.assertRefused(SdoAbort.LENGTH_MISMATCH, "wrong-key-length", () -> writeMarkerInstall(new byte[3]));
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 24, 32})
    void keysOf128To256BitsAccepted(int length) throws Exception {
        bench.installPk(org.brski.fieldbus.crypto.KeyStrength.generate(Bench.RANDOM, length), 42);
        assertEquals(NodeState.PROVISIONED, node.state());
    }

    /** "... and shall refuse trivially weak Provisioning Keys, such as all-zero or known-default values." */
    @ParameterizedTest
    @ValueSource(strings = {"00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff",
        "deadbeefdeadbeefdeadbeefdeadbeef", "000102030405060708090a0b0c0d0e0f", "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0"})
    void weakKeyRefused(String hex) {
        bench.assertRefused(SdoAbort.INVALID_VALUE, "weak-key",
                () -> writeMarkerInstall(NodeObjects.keyInstallPlaintext(HexFormat.of().parseHex(hex), 7)));
        assertEquals(NodeState.UNCOMMISSIONED, node.state());
    }

    /** WP-104 6: "the reserved values 0 and 0xFFFFFFFF indicate that no valid key is installed". */
    @ParameterizedTest
    @ValueSource(longs = {0L, 0xFFFFFFFFL})
    void reservedKeyIdRefused(long keyId) {
        bench.assertRefused(SdoAbort.INVALID_VALUE, "reserved-key-id",
                () -> writeMarkerInstall(NodeObjects.keyInstallPlaintext(Bench.newKey(), keyId)));
        assertEquals(NodeState.UNCOMMISSIONED, node.state());
    }

    /** A refused install changes nothing: the next valid install (higher counter) still succeeds. */
    @Test
    void refusedInstallLeavesNodeUntouched() throws Exception {
        bench.assertRefused(SdoAbort.INVALID_VALUE, "weak-key",
                () -> writeMarkerInstall(NodeObjects.keyInstallPlaintext(new byte[16], 7)));
        writeMarkerInstall(NodeObjects.keyInstallPlaintext(Bench.newKey(), 9));
        assertEquals(9, node.keyId(KeyRole.PROVISIONING));
    }

    /** Key slots are write-only: installed keys cannot be read back (WP-104 3.5 "write-only and can never be read"). */
    @Test
    void keySlotsAreWriteOnly() throws Exception {
        bench.installPk(Bench.newKey(), 7);
        for (int sub = 1; sub <= 3; sub++) {
            int s = sub;
            bench.assertRefused(SdoAbort.WRITE_ONLY, "write-only", () -> node.read(NodeObjects.KEY_INSTALL, s));
        }
        bench.assertRefused(SdoAbort.WRITE_ONLY, "write-only", () -> node.read(NodeObjects.FACTORY_RESTORE, 0));
    }
}
