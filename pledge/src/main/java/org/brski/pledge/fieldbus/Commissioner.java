package org.brski.pledge.fieldbus;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.brski.fieldbus.canopen.SdoClient;
import org.brski.fieldbus.crypto.KeyId;
import org.brski.fieldbus.crypto.KeyStrength;
import org.brski.fieldbus.keys.PackagedKey;
import org.brski.fieldbus.keys.SymmetricKeyPackage;
import org.brski.fieldbus.node.NodeObjects;
import org.brski.fieldbus.node.SecureChannel;
import org.brski.fieldbus.node.SessionProfile;
import org.brski.pkix.Crypto;
import org.brski.pledge.fieldbus.NodeResult.Status;

/**
 * The machine controller's commissioning tool (EmSA WP-104 chapters 3 and 4): after BRSKI onboarding it takes the
 * machine's key package and brings every fieldbus node to the package's keys over CANopen SDO.
 *
 * <p>Per node: read its identity (0x1018:4) and security state; an uncommissioned node gets a freshly generated,
 * device-unique Provisioning Key only in isolated-bench mode (WP-104 3.1: that single command is safe only without
 * untrusted nodes on the bus), otherwise it is refused; a commissioned node's Provisioning Key comes from the package,
 * matched by serial number and checked against the Key ID the node reports before any authenticated write (a wrong
 * key would only count failed verifications towards the node's lockout). Then a fresh salt (after an NMT reset when
 * the slot is already locked this power cycle, WP-104 4.1) and the node's session generation (0x5F05:6, read once
 * after the salt write and used for every session of that power cycle: it keeps a recurring salt from recurring
 * session keys, DESIGN.md "Session keys"), the Integrator Key — and the Operator Key when the machine uses one —
 * installed under a Provisioning Key session unless the node already reports their Key IDs, a read-back of every Key
 * ID, and a challenge-response session check under each installed key proving node and tool derive the same session
 * key (WP-104 4.2). Keys never cross the bus outside AES-GCM install messages; session keys never cross it at all.
 *
 * <p>Not thread-safe: one commissioner drives one bus.
 */
public final class Commissioner {
    private static final int IDENTITY = NodeObjects.IDENTITY;
    private static final int STATE = NodeObjects.SECURITY_STATE;
    private static final int KEY_INSTALL = NodeObjects.KEY_INSTALL;
    private static final int KEY_IDS = NodeObjects.KEY_ID;
    private static final int SALT = NodeObjects.SALT;
    private static final int RESTORE = NodeObjects.FACTORY_RESTORE;
    private static final int SESSION_CHECK = NodeObjects.SESSION_CHECK;
    private static final int COUNTERS = NodeObjects.COUNTERS;

    private final SdoClient sdo;
    private final SessionProfile profile;
    private final boolean isolatedBench;
    private final SecureRandom random;
    private final Consumer<NodeResult> listener;

    private Commissioner(Builder b) {
        this.sdo = Objects.requireNonNull(b.sdo, "sdo");
        this.profile = Objects.requireNonNull(b.profile, "profile");
        this.isolatedBench = b.isolatedBench;
        this.random = b.random == null ? Crypto.newSecureRandom() : b.random;
        this.listener = b.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Commissions the nodes with these ids.
     *
     * @throws FieldbusException {@code incomplete-key-package} when the package has no Integrator Key
     */
    public CommissioningReport commission(SymmetricKeyPackage pkg, Collection<Integer> nodeIds)
            throws FieldbusException {
        PackagedKey ik = pkg.key(KeyRole.INTEGRATOR).orElseThrow(() -> new FieldbusException(
                "incomplete-key-package", "the key package holds no Integrator Key (EmSA WP-104 3.3)"));
        Optional<PackagedKey> ok = pkg.key(KeyRole.OPERATOR);
        List<NodeResult> results = new ArrayList<>();
        List<PackagedKey> generated = new ArrayList<>();
        for (int nodeId : nodeIds) {
            NodeResult result = commissionNode(nodeId, pkg, ik, ok, generated);
            results.add(result);
            listener.accept(result);
        }
        SymmetricKeyPackage escrow = generated.isEmpty() ? null : SymmetricKeyPackage.of(pkg.machineId(), generated);
        return new CommissioningReport(pkg.machineId(), ik.revision(), results, escrow);
    }

    /**
     * Factory restore by remote command, authenticated by the node's Provisioning Key (WP-104 3.6, path A): the node
     * erases every key and returns to the uncommissioned state. Verified by reading state and Key IDs back.
     */
    public NodeResult restore(SymmetricKeyPackage pkg, int nodeId) {
        long serial;
        try {
            serial = sdo.readUnsigned32(nodeId, IDENTITY, 4);
        } catch (FieldbusException e) {
            return NodeResult.absent(nodeId, e.reason() + ": " + e.getMessage());
        }
        try {
            Optional<PackagedKey> pk = pkg.provisioningKey(serial);
            if (pk.isEmpty()) {
                return result(nodeId, serial, Status.FAILED, "no-provisioning-key: the domain holds no Provisioning Key"
                        + " for this node; use the local restore action (WP-104 3.6 path B)", -1, false);
            }
            long[] before = keyIds(nodeId);
            if (before[0] == KeyId.EMPTY) {
                return result(nodeId, serial, Status.FAILED, "uncommissioned: the node holds no Provisioning Key, so"
                        + " no restore command can be authorised; it is in the factory state already", -1, false);
            }
            if (before[0] != pk.get().keyId()) {
                return result(nodeId, serial, Status.FAILED, "provisioning-key-mismatch: the node reports Key ID "
                        + KeyId.hex(before[0]) + ", the domain holds " + KeyId.hex(pk.get().keyId()), -1, false);
            }
            byte[] salt = freshSalt(nodeId);
            long generation = generation(nodeId);
            byte[] key = pk.get().key();
            try {
                SecureChannel channel = SecureChannel.open(KeyRole.PROVISIONING, key, salt, generation, nodeId,
                        profile);
                sdo.download(nodeId, RESTORE, 0, channel.seal(RESTORE, 0, NodeObjects.restoreCommand()));
            } finally {
                Arrays.fill(key, (byte) 0);
            }
            return checkRestored(nodeId);
        } catch (FieldbusException e) {
            return result(nodeId, serial, Status.FAILED, e.reason() + ": " + e.getMessage(), -1, false);
        }
    }

    /**
     * Whether the node is back in the factory state (WP-104 3.6): uncommissioned, every Key ID the no-key value — after
     * the restore command, or after someone used the local action (button, jumper) on it.
     */
    public NodeResult checkRestored(int nodeId) {
        long serial;
        try {
            serial = sdo.readUnsigned32(nodeId, IDENTITY, 4);
        } catch (FieldbusException e) {
            return NodeResult.absent(nodeId, e.reason() + ": " + e.getMessage());
        }
        try {
            int state = sdo.upload(nodeId, STATE, 0)[0] & 0xFF;
            long[] ids = keyIds(nodeId);
            if (state != 0 || ids[0] != KeyId.EMPTY || ids[1] != KeyId.EMPTY || ids[2] != KeyId.EMPTY) {
                return NodeResult.of(nodeId, serial, Status.FAILED, "restore-not-verified: the node reports state "
                        + state + " and still holds keys", ids, -1, false);
            }
            return NodeResult.of(nodeId, serial, Status.RESTORED, "", ids, -1, false);
        } catch (FieldbusException e) {
            return result(nodeId, serial, Status.FAILED, e.reason() + ": " + e.getMessage(), -1, false);
        }
    }

    private NodeResult commissionNode(int nodeId, SymmetricKeyPackage pkg, PackagedKey ik, Optional<PackagedKey> ok,
            List<PackagedKey> generated) {
        long serial;
        try {
            serial = sdo.readUnsigned32(nodeId, IDENTITY, 4);
        } catch (FieldbusException e) {
            return NodeResult.absent(nodeId, e.reason() + ": " + e.getMessage());
        }
        boolean generatedHere = false;
        try {
            int state = sdo.upload(nodeId, STATE, 0)[0] & 0xFF;
            PackagedKey pk;
            long pkId;
            if (state == 0) {
                if (!isolatedBench) {
                    return result(nodeId, serial, Status.REFUSED, "uncommissioned: the Provisioning Key may only be"
                            + " installed in an isolated commissioning environment (EmSA WP-104 3.1); run in"
                            + " isolated-bench mode", -1, false);
                }
                pk = installProvisioningKey(nodeId, serial);
                pkId = pk.keyId();
                generated.add(pk);
                generatedHere = true;
            } else {
                Optional<PackagedKey> known = pkg.provisioningKey(serial);
                if (known.isEmpty()) {
                    return result(nodeId, serial, Status.FAILED, "no-provisioning-key: the key package holds no"
                            + " Provisioning Key for serial " + KeyId.hex(serial), -1, false);
                }
                pk = known.get();
                pkId = keyId(nodeId, KeyRole.PROVISIONING);
                if (pkId != pk.keyId()) {
                    return result(nodeId, serial, Status.FAILED, "provisioning-key-mismatch: the node reports Key ID "
                            + KeyId.hex(pkId) + ", the package holds " + KeyId.hex(pk.keyId()), -1, false);
                }
            }
            // Key IDs name what a node holds (WP-104 3.5): install only what differs
            boolean needIk = keyId(nodeId, KeyRole.INTEGRATOR) != ik.keyId();
            boolean needOk = ok.isPresent() && keyId(nodeId, KeyRole.OPERATOR) != ok.get().keyId();
            byte[] salt = freshSalt(nodeId);
            long generation = generation(nodeId);
            if (needIk || needOk) {
                // one session per base key and salt: the node refuses a counter it has seen (replay, DESIGN.md)
                byte[] base = pk.key();
                try {
                    SecureChannel channel = SecureChannel.open(KeyRole.PROVISIONING, base, salt, generation, nodeId,
                            profile);
                    if (needIk) {
                        install(nodeId, channel, 2, ik);
                    }
                    if (needOk) {
                        install(nodeId, channel, 3, ok.get());
                    }
                } finally {
                    Arrays.fill(base, (byte) 0);
                }
            }
            long[] after = { pkId, keyId(nodeId, KeyRole.INTEGRATOR), keyId(nodeId, KeyRole.OPERATOR) };
            if (after[1] != ik.keyId() || (ok.isPresent() && after[2] != ok.get().keyId())) {
                return result(nodeId, serial, Status.FAILED, "key-id-mismatch: the node reports Integrator Key ID "
                        + KeyId.hex(after[1]) + " after the install", -1, generatedHere);
            }
            sessionCheck(nodeId, KeyRole.INTEGRATOR, ik, salt, generation);
            if (ok.isPresent()) {
                sessionCheck(nodeId, KeyRole.OPERATOR, ok.get(), salt, generation);
            }
            Status status = needIk || needOk || generatedHere ? Status.COMMISSIONED : Status.UP_TO_DATE;
            return NodeResult.of(nodeId, serial, status, "", after, ik.revision(), generatedHere);
        } catch (FieldbusException e) {
            return result(nodeId, serial, Status.FAILED, e.reason() + ": " + e.getMessage(), -1, generatedHere);
        }
    }

    /** WP-104 3.2: a device-unique, strong key and a Key ID, installed by the one command the marker allows. */
    private PackagedKey installProvisioningKey(int nodeId, long serial) throws FieldbusException {
        byte[] key = KeyStrength.generate(random, 16);
        long keyId = KeyId.random(random);
        try {
            SecureChannel marker = SecureChannel.forMarker(generation(nodeId), nodeId, profile);
            sdo.download(nodeId, KEY_INSTALL, 1, marker.seal(KEY_INSTALL, 1, NodeObjects.keyInstallPlaintext(key, keyId)));
            long reported = sdo.readUnsigned32(nodeId, KEY_IDS, NodeObjects.subIndex(KeyRole.PROVISIONING));
            if (reported != keyId) {
                throw new FieldbusException("key-id-mismatch", "the node reports Provisioning Key ID "
                        + KeyId.hex(reported) + " after the install");
            }
            return PackagedKey.provisioning(serial, key, keyId);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private void install(int nodeId, SecureChannel authority, int slot, PackagedKey key) throws FieldbusException {
        byte[] value = key.key();
        byte[] plaintext = NodeObjects.keyInstallPlaintext(value, key.keyId());
        try {
            sdo.download(nodeId, KEY_INSTALL, slot, authority.seal(KEY_INSTALL, slot, plaintext));
        } finally {
            Arrays.fill(value, (byte) 0);
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** WP-104 4.2: both sides derive the session key; the node proves it by answering a challenge under it. */
    private void sessionCheck(int nodeId, KeyRole role, PackagedKey key, byte[] salt, long generation)
            throws FieldbusException {
        byte[] base = key.key();
        try {
            SecureChannel channel = SecureChannel.open(role, base, salt, generation, nodeId, profile);
            byte[] challenge = new byte[NodeObjects.CHALLENGE_LENGTH];
            random.nextBytes(challenge);
            sdo.download(nodeId, SESSION_CHECK, 0, channel.sessionCheckRequest(challenge));
            long keyId = channel.verifySessionCheck(challenge, sdo.upload(nodeId, SESSION_CHECK, 0));
            if (keyId != key.keyId()) {
                throw new FieldbusException("session-check-failed", "the node answered the session check with Key ID "
                        + KeyId.hex(keyId) + ", not " + KeyId.hex(key.keyId()));
            }
        } finally {
            Arrays.fill(base, (byte) 0);
        }
    }

    /** A fresh random salt in the node's write-once slot, resetting the node first when the slot is locked (4.1). */
    private byte[] freshSalt(int nodeId) throws FieldbusException {
        byte[] salt = SecureChannel.freshSalt(random);
        try {
            sdo.download(nodeId, SALT, 0, salt);
        } catch (SdoAbort locked) {
            if (locked.abortCode() != SdoAbort.DEVICE_STATE) {
                throw locked;
            }
            // written before in this power cycle (by us, or by someone racing us: WP-104 4.4): reset, then retry once
            sdo.resetNode(nodeId);
            sdo.download(nodeId, SALT, 0, salt);
        }
        return salt;
    }

    /**
     * The node's session generation (0x5F05:6) for the sessions of this power cycle; {@code generation-exhausted} when
     * the node can hold no session any more.
     */
    private long generation(int nodeId) throws FieldbusException {
        return NodeObjects.readGeneration(sdo.upload(nodeId, COUNTERS, NodeObjects.COUNTER_GENERATION));
    }

    private long keyId(int nodeId, KeyRole role) throws FieldbusException {
        return sdo.readUnsigned32(nodeId, KEY_IDS, NodeObjects.subIndex(role));
    }

    private long[] keyIds(int nodeId) throws FieldbusException {
        return new long[] { sdo.readUnsigned32(nodeId, KEY_IDS, NodeObjects.subIndex(KeyRole.PROVISIONING)), sdo.readUnsigned32(nodeId, KEY_IDS, 2),
            sdo.readUnsigned32(nodeId, KEY_IDS, 3) };
    }

    private NodeResult result(int nodeId, long serial, Status status, String detail, int revision,
            boolean generated) {
        long[] ids;
        try {
            ids = keyIds(nodeId);
        } catch (FieldbusException e) {
            ids = new long[] { KeyId.EMPTY, KeyId.EMPTY, KeyId.EMPTY };
        }
        return NodeResult.of(nodeId, serial, status, detail, ids, revision, generated);
    }

    /** Configures a {@link Commissioner}. */
    public static final class Builder {
        private SdoClient sdo;
        private SessionProfile profile;
        private boolean isolatedBench;
        private SecureRandom random;
        private Consumer<NodeResult> listener = r -> { };

        private Builder() {
        }

        /** The SDO client on the machine's bus. */
        public Builder sdo(SdoClient value) {
            this.sdo = value;
            return this;
        }

        /** Tag length and context separation, as configured on the nodes. */
        public Builder profile(SessionProfile value) {
            this.profile = value;
            return this;
        }

        /**
         * Allows installing Provisioning Keys on uncommissioned nodes. Only on an isolated commissioning bench or a new
         * machine with no other node powered (EmSA WP-104 3.1, 3.2).
         */
        public Builder isolatedBench(boolean value) {
            this.isolatedBench = value;
            return this;
        }

        public Builder random(SecureRandom value) {
            this.random = value;
            return this;
        }

        /** Called after each node, e.g. for progress output. */
        public Builder listener(Consumer<NodeResult> value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        public Commissioner build() {
            return new Commissioner(this);
        }
    }
}
