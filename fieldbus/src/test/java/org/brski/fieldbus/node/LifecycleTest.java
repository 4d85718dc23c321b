package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.brski.fieldbus.crypto.KeyId;
import org.junit.jupiter.api.Test;

/** EmSA WP-104 Figure 1 end to end, through the object dictionary only. */
class LifecycleTest {
    @Test
    void markerPkSaltIkOkCheckConfigPowerCycleRestore() throws Exception {
        Bench bench = Bench.fresh();
        FieldbusNode node = bench.node;
        Bench.Keys keys = new Bench.Keys();

        // factory: uncommissioned; the commissioning bench installs the PK with the marker
        assertEquals(0, bench.securityState());
        bench.installPk(keys.pk, keys.pkId);
        assertEquals(1, bench.securityState());

        // session: salt, then the PK session installs the IK
        bench.writeSalt();
        SecureChannel pk = bench.channel(KeyRole.PROVISIONING, keys.pk);
        bench.install(pk, KeyRole.INTEGRATOR, keys.ik, keys.ikId);
        assertEquals(2, bench.securityState());

        // the IK session installs the OK, checks the session and writes the protected configuration
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        bench.install(ik, KeyRole.OPERATOR, keys.ok, keys.okId);
        assertEquals(3, bench.securityState());
        byte[] challenge = "8 bytes!".getBytes(StandardCharsets.US_ASCII);
        node.write(NodeObjects.SESSION_CHECK, 0, ik.sessionCheckRequest(challenge));
        assertEquals(keys.ikId, ik.verifySessionCheck(challenge, node.read(NodeObjects.SESSION_CHECK, 0)));
        byte[] cfg = "cfg-v1".getBytes(StandardCharsets.US_ASCII);
        bench.writeSecure(ik, NodeObjects.PROTECTED_CONFIG, 0, cfg);
        node.write(NodeObjects.DIGITAL_OUTPUTS, 1, new byte[] {1});

        // power cycle: keys and configuration stay, salt and sessions go; a new salt opens new sessions
        node.powerCycle();
        assertArrayEquals(new byte[16], node.read(NodeObjects.SALT, 0));
        assertEquals(3, bench.securityState());
        assertArrayEquals(cfg, node.read(NodeObjects.PROTECTED_CONFIG, 0));
        bench.writeSalt();
        SecureChannel ok = bench.channel(KeyRole.OPERATOR, keys.ok);
        node.write(NodeObjects.SESSION_CHECK, 0, ok.sessionCheckRequest(challenge));
        assertEquals(keys.okId, ok.verifySessionCheck(challenge, node.read(NodeObjects.SESSION_CHECK, 0)));

        // decommission by the PK: uncommissioned again, restore visible
        bench.writeSecure(bench.channel(KeyRole.PROVISIONING, keys.pk), NodeObjects.FACTORY_RESTORE, 0,
                NodeObjects.restoreCommand());
        assertEquals(0, bench.securityState());
        assertEquals(KeyId.EMPTY, bench.readU32(NodeObjects.KEY_ID, 1));
        assertEquals(1, bench.counter(NodeObjects.COUNTER_RESTORES));
        assertEquals(1, bench.counter(NodeObjects.COUNTER_RESTORED_FLAG));
        bench.assertRefused(SdoAbort.DEVICE_STATE, "uncommissioned", () -> node.write(NodeObjects.DIGITAL_OUTPUTS, 1, new byte[] {1}));
    }

    /**
     * WP-104 3.5 and 4: base keys "can never be read back" and the session key "is never transmitted": no readable entry,
     * in any state, contains a base key or a session key, and an IK install on the wire does not contain the IK.
     */
    @Test
    void noReadableEntryRevealsKeyMaterial() throws Exception {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(true);
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        byte[] challenge = new byte[8];
        bench.node.write(NodeObjects.SESSION_CHECK, 0, ik.sessionCheckRequest(challenge));
        List<byte[]> secrets = new ArrayList<>();
        for (KeyRole role : new KeyRole[] {KeyRole.PROVISIONING, KeyRole.INTEGRATOR, KeyRole.OPERATOR}) {
            secrets.add(keys.key(role));
            secrets.add(SessionKeys.derive(role, keys.key(role), bench.salt, bench.generation, bench.nodeId(),
                    bench.profile()));
        }
        int[][] entries = {{0x1000, 0}, {0x1018, 0}, {0x1018, 1}, {0x1018, 2}, {0x1018, 4}, {0x5F00, 0}, {0x5F01, 0},
            {0x5F02, 0}, {0x5F02, 1}, {0x5F02, 2}, {0x5F02, 3}, {0x5F03, 0}, {0x5F05, 0}, {0x5F05, 1}, {0x5F05, 2},
            {0x5F05, 3}, {0x5F05, 4}, {0x5F05, 5}, {0x5F05, 6}, {0x5F06, 0}, {0x2100, 0}, {0x6200, 0}, {0x6200, 1}};
        for (int[] e : entries) {
            byte[] value = bench.node.read(e[0], e[1]);
            for (byte[] secret : secrets) {
                assertEquals(-1, indexOf(value, secret, 4), String.format("0x%04X:%d", e[0], e[1]));
            }
        }
        byte[] newIk = Bench.newKey();
        byte[] onWire = bench.channel(KeyRole.PROVISIONING, keys.pk).seal(NodeObjects.KEY_INSTALL, 2,
                NodeObjects.keyInstallPlaintext(newIk, 5));
        assertEquals(-1, indexOf(onWire, newIk, 4));
    }

    /** Whether any {@code window}-byte run of {@code secret} occurs in {@code value}. */
    private static int indexOf(byte[] value, byte[] secret, int window) {
        for (int s = 0; s + window <= secret.length; s++) {
            for (int i = 0; i + window <= value.length; i++) {
                if (java.util.Arrays.equals(value, i, i + window, secret, s, s + window)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Concurrent SDO servers may call the node from several threads: every access is atomic. */
    @Test
    void concurrentAccessIsSerialized() throws Exception {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(false);
        SecureChannel ik = bench.channel(KeyRole.INTEGRATOR, keys.ik);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] msg = ik.seal(NodeObjects.PROTECTED_CONFIG, 0, new byte[] {(byte) i});
                results.add(pool.submit(() -> {
                    try {
                        bench.node.write(NodeObjects.PROTECTED_CONFIG, 0, msg);
                        return true;
                    } catch (SdoAbort e) {
                        assertEquals("replayed-counter", e.reason());
                        return false;
                    }
                }));
            }
            int accepted = 0;
            for (Future<Boolean> f : results) {
                accepted += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(200, accepted + bench.node.replaysRefused());
            assertEquals(0, bench.node.failedVerifications());
        } finally {
            pool.shutdownNow();
        }
    }
}
