package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.brski.fieldbus.crypto.Aead;
import org.brski.fieldbus.crypto.Hkdf;
import org.junit.jupiter.api.Test;

/**
 * EmSA WP-104 4.2 and chapter 5: {@code SK = HKDF-SHA-256(base key, salt, "WP104-SK" || role || generation ||
 * [node id])}.
 */
class SessionKeysTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
    private static final byte[] SALT = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    private static final long GEN = 0x01020304L;

    private static byte[] info(int role, long generation, Integer nodeId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("WP104-SK".getBytes(StandardCharsets.US_ASCII));
        out.write(role);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) generation).array());
        if (nodeId != null) {
            out.write(nodeId);
        }
        return out.toByteArray();
    }

    @Test
    void derivationFollowsTheDesignLabel() {
        assertArrayEquals(Hkdf.derive(KEY, SALT, info(2, GEN, 5), 16),
                SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, GEN, 5, SessionProfile.defaults()));
        assertArrayEquals(Hkdf.derive(KEY, SALT, info(3, GEN, null), 16),
                SessionKeys.derive(KeyRole.OPERATOR, KEY, SALT, GEN, 5, SessionProfile.of(64, false)));
        assertEquals(16, SessionKeys.derive(KeyRole.PROVISIONING, KEY, SALT, GEN, 1, SessionProfile.defaults()).length);
    }

    /** The node derives the same key: a message sealed directly with SessionKeys' output is accepted by it. */
    @Test
    void nodeUsesTheSharedDerivation() throws Exception {
        Bench bench = Bench.fresh();
        Bench.Keys keys = bench.commission(false);
        byte[] sk = SessionKeys.derive(KeyRole.INTEGRATOR, keys.ik, bench.salt, bench.generation, bench.nodeId(),
                bench.profile());
        Aead aead = Aead.of(sk, bench.profile().tagBits());
        byte[] msg = SecureMessage.seal(aead, bench.nodeId(), Direction.CLIENT_TO_NODE, KeyRole.INTEGRATOR, 1,
                NodeObjects.PROTECTED_CONFIG, 0, new byte[] {42}).encoded();
        bench.node.write(NodeObjects.PROTECTED_CONFIG, 0, msg);
        assertArrayEquals(new byte[] {42}, bench.node.read(NodeObjects.PROTECTED_CONFIG, 0));
    }

    @Test
    void saltRoleAndKeyChangeTheSessionKey() {
        SessionProfile p = SessionProfile.defaults();
        byte[] sk = SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, GEN, 5, p);
        byte[] otherSalt = SALT.clone();
        otherSalt[15] ^= 1;
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        assertFalse(Arrays.equals(sk, SessionKeys.derive(KeyRole.INTEGRATOR, KEY, otherSalt, GEN, 5, p)));
        assertFalse(Arrays.equals(sk, SessionKeys.derive(KeyRole.OPERATOR, KEY, SALT, GEN, 5, p)));
        assertFalse(Arrays.equals(sk, SessionKeys.derive(KeyRole.INTEGRATOR, otherKey, SALT, GEN, 5, p)));
    }

    /**
     * The session generation (0x5F05:6) changes the session key: the same base key and salt in another power cycle give
     * another key, so a salt recurring across resets (WP-104 4.4) never repeats a (key, nonce) pair.
     */
    @Test
    void generationChangesTheSessionKey() {
        SessionProfile p = SessionProfile.defaults();
        byte[] sk = SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, GEN, 5, p);
        assertFalse(Arrays.equals(sk, SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, GEN + 1, 5, p)));
        assertFalse(Arrays.equals(SessionKeys.derive(KeyRole.MARKER, new byte[16], new byte[16], 1, 5, p),
                SessionKeys.derive(KeyRole.MARKER, new byte[16], new byte[16], 2, 5, p)), "the marker too");
        assertArrayEquals(Hkdf.derive(KEY, SALT, info(2, 0xFFFFFFFEL, 5), 16),
                SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, 0xFFFFFFFEL, 5, p), "the last usable generation");
    }

    /** A node never reports 0; 0xFFFFFFFF is the exhausted node, which refuses sessions; nothing above UNSIGNED32. */
    @Test
    void generationsOutsideTheUsableRangeRefused() {
        SessionProfile p = SessionProfile.defaults();
        for (long bad : new long[] {0, SessionKeys.EXHAUSTED_GENERATION, 0x1_0000_0000L, -1}) {
            assertFalse(SessionKeys.isValidGeneration(bad));
            assertThrows(IllegalArgumentException.class, () -> SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, bad, 5, p));
            assertThrows(IllegalArgumentException.class,
                    () -> SessionKeys.derive(KeyRole.MARKER, new byte[16], new byte[16], bad, 5, p));
            assertThrows(IllegalArgumentException.class,
                    () -> SecureChannel.open(KeyRole.INTEGRATOR, KEY, SALT, bad, 5, p));
        }
    }

    /**
     * WP-104 4.2: without a peer identifier "two servers given the same salt derive the identical session key"; binding
     * the node id into the label gives "each pairing ... a distinct session key". On by default, can be switched off.
     */
    @Test
    void perNodeSeparationChangesTheSessionKeyAndCanBeSwitchedOff() {
        SessionProfile separated = SessionProfile.defaults();
        SessionProfile shared = SessionProfile.of(64, false);
        assertFalse(Arrays.equals(SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, GEN, 5, separated),
                SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, GEN, 6, separated)));
        assertArrayEquals(SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, GEN, 5, shared),
                SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, GEN, 6, shared));
        assertFalse(Arrays.equals(SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, GEN, 5, shared),
                SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, GEN, 5, separated)));
    }

    /** Two nodes of one machine with the same IK and salt answer one client; per node the session keys differ. */
    @Test
    void twoNodesSameIntegratorKeyAndSalt() throws Exception {
        for (boolean separated : new boolean[] {true, false}) {
            SessionProfile p = SessionProfile.of(64, separated);
            byte[] pk5 = Bench.newKey();
            byte[] pk6 = Bench.newKey();
            byte[] ik = Bench.newKey();
            byte[] salt = SecureChannel.freshSalt(Bench.RANDOM);
            Bench n5 = new Bench(NodeConfig.builder(5).serialNumber(5).profile(p).build());
            Bench n6 = new Bench(NodeConfig.builder(6).serialNumber(6).profile(p).build());
            for (Bench b : new Bench[] {n5, n6}) {
                b.installPk(b == n5 ? pk5 : pk6, 1);
                b.node.write(NodeObjects.SALT, 0, salt);
                b.useSalt(salt);
                b.install(b.channel(KeyRole.PROVISIONING, b == n5 ? pk5 : pk6), KeyRole.INTEGRATOR, ik, 2);
            }
            assertEquals(!separated, Arrays.equals(SessionKeys.derive(KeyRole.INTEGRATOR, ik, salt, GEN, 5, p),
                    SessionKeys.derive(KeyRole.INTEGRATOR, ik, salt, GEN, 6, p)));
            // either way a message addressed to node 5 is refused by node 6 (node id in nonce and AAD)
            byte[] to5 = n5.channel(KeyRole.INTEGRATOR, ik).seal(NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1});
            Bench.assertRefused(n6.node, SdoAbort.CANNOT_STORE, "bad-tag", () -> n6.node.write(NodeObjects.PROTECTED_CONFIG, 0, to5));
            n5.node.write(NodeObjects.PROTECTED_CONFIG, 0, to5);
        }
    }

    /** WP-104 3.5: the Key ID "does not feed the key derivation function, it does not affect the derived session key". */
    @Test
    void keyIdDoesNotAffectTheSessionKey() throws Exception {
        byte[] ik = Bench.newKey();
        byte[] salt = SecureChannel.freshSalt(Bench.RANDOM);
        Bench a = new Bench(NodeConfig.builder(5).serialNumber(1).build());
        Bench b = new Bench(NodeConfig.builder(5).serialNumber(2).build());
        long id = 0x100;
        for (Bench x : new Bench[] {a, b}) {
            byte[] pk = Bench.newKey();
            x.installPk(pk, 1);
            x.node.write(NodeObjects.SALT, 0, salt);
            x.useSalt(salt);
            x.install(x.channel(KeyRole.PROVISIONING, pk), KeyRole.INTEGRATOR, ik, id++);
        }
        // one message, sealed once, is accepted by both nodes although their Key IDs differ
        byte[] msg = a.channel(KeyRole.INTEGRATOR, ik).seal(NodeObjects.PROTECTED_CONFIG, 0, new byte[] {7});
        a.node.write(NodeObjects.PROTECTED_CONFIG, 0, msg);
        b.node.write(NodeObjects.PROTECTED_CONFIG, 0, msg);
        assertFalse(a.node.keyId(KeyRole.INTEGRATOR) == b.node.keyId(KeyRole.INTEGRATOR));
    }

    @Test
    void markerIsTheZeroKeyUnderTheZeroSalt() {
        SessionProfile p = SessionProfile.defaults();
        assertArrayEquals(Hkdf.derive(new byte[16], new byte[16], info(0, GEN, 5), 16),
                SessionKeys.derive(KeyRole.MARKER, new byte[16], new byte[16], GEN, 5, p));
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.derive(KeyRole.MARKER, KEY, new byte[16], GEN, 5, p));
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.derive(KeyRole.MARKER, new byte[16], SALT, GEN, 5, p));
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.derive(KeyRole.MARKER, new byte[32], new byte[16], GEN, 5, p));
    }

    @Test
    void invalidInputsRefused() {
        SessionProfile p = SessionProfile.defaults();
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.derive(KeyRole.INTEGRATOR, KEY, new byte[16], GEN, 5, p));
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.derive(KeyRole.INTEGRATOR, KEY, new byte[15], GEN, 5, p));
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.derive(KeyRole.INTEGRATOR, new byte[20], SALT, GEN, 5, p));
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, GEN, 0, p));
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.derive(KeyRole.INTEGRATOR, KEY, SALT, GEN, 128, p));
        assertThrows(IllegalArgumentException.class, () -> SessionProfile.of(96, true));
    }
}
