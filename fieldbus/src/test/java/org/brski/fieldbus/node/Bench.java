package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.brski.fieldbus.crypto.KeyId;
import org.brski.fieldbus.crypto.KeyStrength;
import org.junit.jupiter.api.function.Executable;

/**
 * A commissioning bench for one node: drives it only through {@code ObjectDictionary.read/write} with values built by
 * {@link SecureChannel}, as the SDO transport will.
 */
final class Bench {
    static final SecureRandom RANDOM = new SecureRandom();

    final FieldbusNode node;
    final NodeConfig config;
    byte[] salt;
    /** The node's session generation read after the last {@link #writeSalt()}, as a client reads it. */
    long generation;
    private final Map<KeyRole, SecureChannel> channels = new EnumMap<>(KeyRole.class);
    private final Map<KeyRole, byte[]> channelKeys = new EnumMap<>(KeyRole.class);
    private long rogueCounter = 1_000_000;

    Bench(NodeConfig config) {
        this(FieldbusNode.create(config));
    }

    Bench(FieldbusNode node) {
        this.node = node;
        this.config = node.config();
    }

    static Bench fresh() {
        return new Bench(NodeConfig.builder(5).vendorId(0x0000_0A5A).productCode(0x104).serialNumber(100_001).build());
    }

    static Bench withProfile(SessionProfile profile) {
        return new Bench(NodeConfig.builder(5).serialNumber(100_002).profile(profile).build());
    }

    static byte[] newKey() {
        return KeyStrength.generate(RANDOM, 16);
    }

    static long newKeyId() {
        return KeyId.random(RANDOM);
    }

    int nodeId() {
        return config.nodeId();
    }

    SessionProfile profile() {
        return config.profile();
    }

    /** The marker-session PK install (WP-104 3.1). */
    void installPk(byte[] pk, long keyId) throws SdoAbort {
        SecureChannel marker = SecureChannel.forMarker(readGeneration(), nodeId(), profile());
        node.write(NodeObjects.KEY_INSTALL, 1, marker.seal(NodeObjects.KEY_INSTALL, 1, NodeObjects.keyInstallPlaintext(pk, keyId)));
    }

    /** The session generation as a client reads it (0x5F05:6, plain, every state). */
    long readGeneration() throws SdoAbort {
        try {
            return NodeObjects.readGeneration(node.read(NodeObjects.COUNTERS, NodeObjects.COUNTER_GENERATION));
        } catch (SdoAbort e) {
            throw e;
        } catch (FieldbusException e) {
            throw new AssertionError("the node reports no usable generation", e);
        }
    }

    /** A fresh random salt, written plainly (WP-104 4.1), then the generation of this power cycle read back. */
    byte[] writeSalt() throws SdoAbort {
        byte[] s = SecureChannel.freshSalt(RANDOM);
        node.write(NodeObjects.SALT, 0, s);
        return useSalt(s);
    }

    /**
     * Sessions from now on use {@code s}, already in the node's slot (written by this client or another one), and the
     * generation read now; earlier channels are dropped.
     */
    byte[] useSalt(byte[] s) throws SdoAbort {
        salt = s;
        generation = readGeneration();
        channels.clear();
        channelKeys.clear();
        return s;
    }

    /**
     * The legitimate client's session for {@code role} in this power cycle (one per role and salt: the node keeps one
     * counter per role, so a second channel starting at counter 1 would be a replay).
     */
    SecureChannel channel(KeyRole role, byte[] baseKey) {
        SecureChannel c = channels.get(role);
        if (c == null || !Arrays.equals(channelKeys.get(role), baseKey)) {
            c = SecureChannel.open(role, baseKey, salt, generation, nodeId(), profile());
            channels.put(role, c);
            channelKeys.put(role, baseKey.clone());
        }
        return c;
    }

    /** Another client (an attacker, or one holding a wrong key) whose counters are fresh, so that its tags are judged. */
    SecureChannel rogue(KeyRole role, byte[] baseKey) {
        SecureChannel c = SecureChannel.open(role, baseKey, salt, generation, nodeId(), profile());
        rogueCounter += 1_000;
        c.advanceTo(rogueCounter);
        return c;
    }

    /** Installs {@code key} into {@code target}'s slot under {@code under}'s session. */
    void install(SecureChannel under, KeyRole target, byte[] key, long keyId) throws SdoAbort {
        node.write(NodeObjects.KEY_INSTALL, target.code(),
                under.seal(NodeObjects.KEY_INSTALL, target.code(), NodeObjects.keyInstallPlaintext(key, keyId)));
    }

    /** Writes a sealed value through {@code channel}. */
    void writeSecure(SecureChannel channel, int index, int sub, byte[] plaintext) throws SdoAbort {
        node.write(index, sub, channel.seal(index, sub, plaintext));
    }

    long readU32(int index, int sub) throws SdoAbort, FieldbusException {
        return NodeObjects.readU32(node.read(index, sub));
    }

    long counter(int sub) throws SdoAbort, FieldbusException {
        return readU32(NodeObjects.COUNTERS, sub);
    }

    int securityState() throws SdoAbort {
        byte[] v = node.read(NodeObjects.SECURITY_STATE, 0);
        assertEquals(1, v.length);
        return v[0];
    }

    /** Asserts the access is refused with {@code abortCode} and the node records {@code reason}. */
    static SdoAbort assertRefused(FieldbusNode node, int abortCode, String reason, Executable access) {
        SdoAbort abort = assertThrows(SdoAbort.class, access);
        assertEquals(String.format("0x%08X", abortCode), String.format("0x%08X", abort.abortCode()), abort.getMessage());
        assertEquals(reason, abort.reason());
        assertEquals(reason, node.lastRefusal().orElseThrow());
        return abort;
    }

    SdoAbort assertRefused(int abortCode, String reason, Executable access) {
        return assertRefused(node, abortCode, reason, access);
    }

    /** PK, salt, IK and (optionally) OK installed; returns the keys by role code. */
    Keys commission(boolean withOperator) throws SdoAbort {
        Keys k = new Keys();
        installPk(k.pk, k.pkId);
        writeSalt();
        install(channel(KeyRole.PROVISIONING, k.pk), KeyRole.INTEGRATOR, k.ik, k.ikId);
        if (withOperator) {
            install(channel(KeyRole.INTEGRATOR, k.ik), KeyRole.OPERATOR, k.ok, k.okId);
        }
        return k;
    }

    /** One set of fresh base keys and Key IDs. */
    static final class Keys {
        final byte[] pk = newKey();
        final byte[] ik = newKey();
        final byte[] ok = newKey();
        final long pkId = newKeyId();
        final long ikId = newKeyId();
        final long okId = newKeyId();

        byte[] key(KeyRole role) {
            return switch (role) {
                case PROVISIONING -> pk;
                case INTEGRATOR -> ik;
                case OPERATOR -> ok;
                case MARKER -> SecureChannel.marker();
            };
        }
    }
}
