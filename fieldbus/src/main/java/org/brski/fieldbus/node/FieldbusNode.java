package org.brski.fieldbus.node;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.ObjectDictionary;
import org.brski.fieldbus.canopen.SdoAbort;
import org.brski.fieldbus.crypto.Aead;
import org.brski.fieldbus.crypto.KeyId;
import org.brski.fieldbus.crypto.KeyStrength;
import org.brski.fieldbus.crypto.SecretKeyBytes;

/**
 * A constrained fieldbus node that follows the EmSA WP-104 key provisioning model, served as a CANopen object
 * dictionary (the entries and rules of DESIGN.md "Object dictionary"). Transport free: the SDO server hands it whole
 * values.
 *
 * <ul>
 * <li>Uncommissioned (3.1): no operational I/O; every write except the Provisioning Key install (0x5F01:1, a
 * {@link KeyRole#MARKER} message under the zero salt) is refused with 0x08000022; reads limited to identity, state,
 * Key IDs, salt and counters.</li>
 * <li>Provisioning Key (3.2): installed only while uncommissioned; wrong lengths, weak keys and reserved Key IDs refused.
 * Integrator Key (3.3, 6) installed or overwritten only under a PK session; Operator Key (3.4, 6) under PK or IK. Key IDs
 * readable without authentication, 0xFFFFFFFF when empty (3.5, 6).</li>
 * <li>Salt (4.1, 6): zero after power-up/reset, exactly one plain write per power cycle; sessions need it (4.2).</li>
 * <li>Session generation (4.2-4.4, DESIGN.md): a persistent count of power-ups and resets (0x5F05:6), an input of
 * every session key, so a salt that recurs across power cycles never brings back an earlier session key while the
 * counters restart; at 0xFFFFFFFF the node refuses secure messages.</li>
 * <li>Factory restore (3.6): by PK over the bus (0x5F04) or {@link #localFactoryRestore()}; erases keys, Key IDs,
 * configuration, outputs, salt, sessions and failure counts; keeps a non-erasable restore counter and raises the
 * restored flag (the "diagnostic bit"); the session generation is not erased either, it goes up as at a reset.</li>
 * <li>Truncated tags (5): failed verifications are counted per base key, and a key is locked after
 * {@link NodeConfig#maxFailedVerifications()} failures until replaced or the node is restored.</li>
 * </ul>
 * A refused access changes nothing except the failure and replay counters and {@link #lastRefusal()}. The bus only sees
 * the abort code; the reason token stays here. Thread-safe (every method is {@code synchronized}).
 */
public final class FieldbusNode implements ObjectDictionary {
    private static final Set<KeyRole> BASE_ROLES = Set.copyOf(NodeObjects.SLOTS);
    private static final Set<KeyRole> SESSION_CHECK_ROLES = BASE_ROLES;

    private final NodeConfig config;
    // Simulated secure NVM (exported by exportMemory).
    private final Map<KeyRole, Slot> slots = new EnumMap<>(KeyRole.class);
    private byte[] configuration = new byte[0];
    private long restoreCount;
    private boolean restoredFlag;
    private long failedVerifications;
    private long replaysRefused;
    /** Power-ups and resets since manufacture (0 = never powered); saturates at the exhausted value. */
    private long generation;
    // Volatile state (lost at power cycle, never exported).
    private final byte[] salt = new byte[SessionKeys.SALT_LENGTH];
    private boolean saltLocked;
    private final Map<KeyRole, Session> sessions = new EnumMap<>(KeyRole.class);
    /** Counters of a role whose key changed in this power cycle: {last client counter, last node counter}. */
    private final Map<KeyRole, long[]> counterFloors = new EnumMap<>(KeyRole.class);
    private byte[] pendingSessionCheck;
    private int outputs;
    private String lastRefusal;

    private FieldbusNode(NodeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        for (KeyRole role : NodeObjects.SLOTS) {
            slots.put(role, new Slot());
        }
    }

    /** A node as it leaves the factory: uncommissioned, every slot empty (WP-104 3.1). */
    public static FieldbusNode create(NodeConfig config) {
        FieldbusNode node = new FieldbusNode(config);
        node.nextGeneration();
        return node;
    }

    /**
     * A node powered up from a simulated flash image written by {@link #exportMemory()}: NVM restored, salt zero, no
     * sessions, session generation one above the image's (as after a power cycle).
     *
     * @throws FieldbusException {@code bad-memory-image} for a damaged, inconsistent or foreign-format image,
     *                           {@code memory-mismatch} for the image of another serial number
     */
    public static FieldbusNode fromMemory(NodeConfig config, byte[] image) throws FieldbusException {
        FieldbusNode node = new FieldbusNode(config);
        NodeMemory.load(image, config, node.new Loader());
        node.nextGeneration();
        return node;
    }

    // ---------------------------------------------------------------------------------------------- ObjectDictionary

    @Override
    public synchronized byte[] read(int index, int subIndex) throws SdoAbort {
        Entry entry = entry(index, subIndex);
        if (state() == NodeState.UNCOMMISSIONED && !entry.readableUncommissioned) {
            throw refuse(SdoAbort.DEVICE_STATE, "uncommissioned", "uncommissioned: only identity, state, Key IDs, "
                    + "salt and counters are readable (WP-104 3.1)");
        }
        if (!entry.access.readable) {
            throw refuse(SdoAbort.WRITE_ONLY, "write-only", String.format("0x%04X:%d is write-only", index, subIndex));
        }
        return switch (entry) {
            case DEVICE_TYPE -> NodeObjects.u32(config.deviceType());
            case IDENTITY_COUNT -> new byte[] {4};
            case VENDOR_ID -> NodeObjects.u32(config.vendorId());
            case PRODUCT_CODE -> NodeObjects.u32(config.productCode());
            case SERIAL_NUMBER -> NodeObjects.u32(config.serialNumber());
            case SECURITY_STATE -> new byte[] {(byte) state().code()};
            case KEY_INSTALL_COUNT, KEY_ID_COUNT -> new byte[] {3};
            case KEY_ID_PK, KEY_ID_IK, KEY_ID_OK -> NodeObjects.u32(slot(entry.role).keyId);
            case SALT -> salt.clone();
            case COUNTERS_COUNT -> new byte[] {6};
            case RESTORES -> NodeObjects.u32(NodeObjects.saturate(restoreCount));
            case FAILED_VERIFICATIONS -> NodeObjects.u32(NodeObjects.saturate(failedVerifications));
            case REPLAYS -> NodeObjects.u32(NodeObjects.saturate(replaysRefused));
            case LOCKED_KEYS -> NodeObjects.u32(lockedMask());
            case RESTORED_FLAG -> NodeObjects.u32(restoredFlag ? 1 : 0);
            case GENERATION -> NodeObjects.u32(generation);
            case SESSION_CHECK -> readSessionCheck();
            case PROTECTED_CONFIG -> configuration.clone();
            case OUTPUTS_COUNT -> new byte[] {1};
            case OUTPUTS -> new byte[] {(byte) outputs};
            default -> throw new IllegalStateException("readable entry without a value: " + entry);
        };
    }

    @Override
    public synchronized void write(int index, int subIndex, byte[] value) throws SdoAbort {
        Objects.requireNonNull(value, "value");
        Entry entry = entry(index, subIndex);
        if (state() == NodeState.UNCOMMISSIONED && entry != Entry.INSTALL_PK) {
            throw refuse(SdoAbort.DEVICE_STATE, "uncommissioned",
                    "uncommissioned: only the Provisioning Key install is accepted (WP-104 3.1)");
        }
        if (!entry.access.writable) {
            throw refuse(SdoAbort.READ_ONLY, "read-only", String.format("0x%04X:%d is read-only", index, subIndex));
        }
        switch (entry) {
            case INSTALL_PK -> installProvisioningKey(value);
            case INSTALL_IK -> installKey(KeyRole.INTEGRATOR, EnumSet.of(KeyRole.PROVISIONING), value);
            case INSTALL_OK -> installKey(KeyRole.OPERATOR, EnumSet.of(KeyRole.PROVISIONING, KeyRole.INTEGRATOR), value);
            case SALT -> writeSalt(value);
            case FACTORY_RESTORE -> remoteRestore(value);
            case SESSION_CHECK -> writeSessionCheck(value);
            case PROTECTED_CONFIG -> writeConfiguration(value);
            case OUTPUTS -> writeOutputs(value);
            default -> throw new IllegalStateException("writable entry without a handler: " + entry);
        }
    }

    // ------------------------------------------------------------------------------------------------- lifecycle API

    /**
     * Power cycle or NMT "reset node" (WP-104 4.1): the salt slot returns to zero and unlocks, sessions with their
     * counters and any pending session-check response are forgotten, outputs return to 0, the session generation goes
     * up by one; NVM is kept.
     */
    public synchronized void powerCycle() {
        restart();
    }

    /**
     * The deliberate local restore path of WP-104 3.6 (reset button held 10 s, or hardware jumper): needs no key, so it
     * also recovers a node whose Provisioning Key is lost or locked.
     */
    public synchronized void localFactoryRestore() {
        factoryRestore();
    }

    /** The security state (object 0x5F00). */
    public synchronized NodeState state() {
        if (slot(KeyRole.PROVISIONING).key == null) {
            return NodeState.UNCOMMISSIONED;
        }
        if (slot(KeyRole.OPERATOR).key != null) {
            return NodeState.OPERATOR;
        }
        return slot(KeyRole.INTEGRATOR).key != null ? NodeState.INTEGRATED : NodeState.PROVISIONED;
    }

    /** The Key ID of {@code role}'s slot, {@link KeyId#EMPTY} when empty (WP-104 3.5). */
    public synchronized long keyId(KeyRole role) {
        return slot(role).keyId;
    }

    /** Restore events since manufacture; survives restores (WP-104 3.6). */
    public synchronized long restoreCount() {
        return restoreCount;
    }

    /** Whether the node was restored and no Provisioning Key was installed since (WP-104 3.6 "diagnostic bit"). */
    public synchronized boolean restoredFlag() {
        return restoredFlag;
    }

    /** Failed verifications (bad tags) since manufacture or the last restore, all roles. */
    public synchronized long failedVerifications() {
        return failedVerifications;
    }

    /** Failed verifications counted against {@code role}'s current base key. */
    public synchronized long failedVerifications(KeyRole role) {
        return slot(role).failures;
    }

    /** Whether {@code role}'s base key is locked by the failure budget. */
    public synchronized boolean isLocked(KeyRole role) {
        Slot s = slot(role);
        return s.key != null && s.failures >= config.maxFailedVerifications();
    }

    /**
     * The session generation (0x5F05:6): power-ups, resets and restores since manufacture, 1 after the first power-up,
     * never erased; at {@link SessionKeys#EXHAUSTED_GENERATION} the node refuses secure messages.
     */
    public synchronized long generation() {
        return generation;
    }

    /** Messages refused for a counter not above the last accepted one, since manufacture or the last restore. */
    public synchronized long replaysRefused() {
        return replaysRefused;
    }

    /** The reason token of the last refused access (for tests and diagnostics; never sent on the bus). */
    public synchronized Optional<String> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    public NodeConfig config() {
        return config;
    }

    /**
     * The simulated secure non-volatile memory of the device (keys, Key IDs, failure counts, restore counter and flag,
     * session generation, configuration) in the versioned format of {@link NodeMemory}. <strong>It contains the base
     * keys in clear</strong>: it stands for the device's protected flash and must be handled like key material.
     * Volatile state (salt, sessions, outputs) is never part of it.
     */
    public synchronized byte[] exportMemory() {
        NodeMemory.Image image = new NodeMemory.Image(config.serialNumber(), restoreCount, restoredFlag,
                failedVerifications, replaysRefused, generation, configuration);
        for (KeyRole role : NodeObjects.SLOTS) {
            Slot s = slot(role);
            image.slot(role, s.key == null ? null : s.key.bytes(), s.keyId, s.failures);
        }
        return NodeMemory.write(image);
    }

    @Override
    public synchronized String toString() {
        return "FieldbusNode[node " + config.nodeId() + ", serial " + config.serialNumber() + ", " + state()
                + ", keys redacted]";
    }

    // ------------------------------------------------------------------------------------------------------- writes

    private void installProvisioningKey(byte[] value) throws SdoAbort {
        if (state() != NodeState.UNCOMMISSIONED) {
            throw refuse(SdoAbort.DEVICE_STATE, "already-commissioned",
                    "the Provisioning Key is installed only while uncommissioned (WP-104 3.2, 6)");
        }
        Verified v = verify(NodeObjects.KEY_INSTALL, KeyRole.PROVISIONING.code(), value, EnumSet.of(KeyRole.MARKER));
        byte[] key = checkedKey(v.plaintext, KeyRole.PROVISIONING);
        v.accept();
        store(KeyRole.PROVISIONING, key, keyIdOf(v.plaintext));
        restoredFlag = false;
        dropSession(KeyRole.MARKER);
    }

    private void installKey(KeyRole target, Set<KeyRole> authorizedBy, byte[] value) throws SdoAbort {
        Verified v = verify(NodeObjects.KEY_INSTALL, target.code(), value, authorizedBy);
        byte[] key = checkedKey(v.plaintext, target);
        v.accept();
        store(target, key, keyIdOf(v.plaintext));
    }

    /** Length, strength, Key ID and distinctness of an install plaintext {@code key || Key ID}; nothing is changed. */
    private byte[] checkedKey(byte[] plaintext, KeyRole target) throws SdoAbort {
        byte[] key = Arrays.copyOf(plaintext, Math.max(0, plaintext.length - 4));
        try {
            KeyStrength.check(key);
            KeyId.check(keyIdOf(plaintext));
        } catch (FieldbusException e) {
            Arrays.fill(key, (byte) 0);
            int code = "wrong-key-length".equals(e.reason()) ? SdoAbort.LENGTH_MISMATCH : SdoAbort.INVALID_VALUE;
            throw refuse(code, e.reason(), e.getMessage());
        }
        for (KeyRole role : BASE_ROLES) {
            Slot s = slot(role);
            if (s.key != null && s.key.matches(key)) {
                Arrays.fill(key, (byte) 0);
                throw refuse(SdoAbort.INVALID_VALUE, "duplicate-key", "a new " + target
                        + " key must differ from every installed base key, its own predecessor included");
            }
        }
        return key;
    }

    private static long keyIdOf(byte[] plaintext) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(plaintext, plaintext.length - 4, 4).getInt());
    }

    private void store(KeyRole role, byte[] key, long keyId) {
        Slot s = slot(role);
        s.erase();
        s.key = SecretKeyBytes.of(key);
        Arrays.fill(key, (byte) 0);
        s.keyId = keyId;
        rekey(role);
    }

    private void writeSalt(byte[] value) throws SdoAbort {
        if (value.length != SessionKeys.SALT_LENGTH) {
            throw refuse(SdoAbort.LENGTH_MISMATCH, "wrong-salt-length", "the salt is " + SessionKeys.SALT_LENGTH + " bytes");
        }
        if (saltLocked) {
            throw refuse(SdoAbort.DEVICE_STATE, "salt-locked",
                    "the salt accepts one write per power cycle (WP-104 4.1); reset the node for a new one");
        }
        if (KeyStrength.isAllZero(value)) {
            throw refuse(SdoAbort.INVALID_VALUE, "zero-salt", "a zero salt means \"no session\" (WP-104 4.1)");
        }
        System.arraycopy(value, 0, salt, 0, salt.length);
        saltLocked = true;
    }

    private void remoteRestore(byte[] value) throws SdoAbort {
        Verified v = verify(NodeObjects.FACTORY_RESTORE, 0, value, EnumSet.of(KeyRole.PROVISIONING));
        if (!MessageDigest.isEqual(v.plaintext, NodeObjects.restoreCommand())) {
            throw refuse(SdoAbort.INVALID_VALUE, "bad-restore-command", "the restore command is ASCII RESTORE");
        }
        v.accept();
        factoryRestore();
    }

    private void writeSessionCheck(byte[] value) throws SdoAbort {
        Verified v = verify(NodeObjects.SESSION_CHECK, 0, value, SESSION_CHECK_ROLES);
        if (v.plaintext.length != NodeObjects.CHALLENGE_LENGTH) {
            throw refuse(SdoAbort.LENGTH_MISMATCH, "wrong-challenge-length",
                    "the challenge is " + NodeObjects.CHALLENGE_LENGTH + " bytes");
        }
        if (v.session.lastNodeCounter >= SecureMessage.MAX_COUNTER) {
            throw refuse(SdoAbort.DEVICE_STATE, "counter-exhausted", "node counter exhausted; reset the node");
        }
        v.accept();
        long counter = ++v.session.lastNodeCounter;
        byte[] reply = ByteBuffer.allocate(NodeObjects.CHALLENGE_LENGTH + 4).put(v.plaintext)
                .putInt((int) slot(v.role).keyId).array();
        pendingSessionCheck = SecureMessage.seal(v.session.aead, config.nodeId(), Direction.NODE_TO_CLIENT, v.role,
                counter, NodeObjects.SESSION_CHECK, 0, reply).encoded();
    }

    private byte[] readSessionCheck() throws SdoAbort {
        if (pendingSessionCheck == null) {
            throw refuse(SdoAbort.DEVICE_STATE, "no-session-check", "write a challenge to 0x5F06 first");
        }
        return pendingSessionCheck.clone();
    }

    private void writeConfiguration(byte[] value) throws SdoAbort {
        Verified v = verify(NodeObjects.PROTECTED_CONFIG, 0, value, EnumSet.of(KeyRole.INTEGRATOR, KeyRole.OPERATOR));
        v.accept();
        configuration = v.plaintext;
    }

    private void writeOutputs(byte[] value) throws SdoAbort {
        if (value.length != 1) {
            throw refuse(SdoAbort.LENGTH_MISMATCH, "wrong-length", "0x6200:1 is UNSIGNED8");
        }
        outputs = Byte.toUnsignedInt(value[0]);
    }

    // ------------------------------------------------------------------------------------------ message verification

    /**
     * Parses and verifies an authenticated write without changing any state but the failure and replay counters. The
     * caller validates the plaintext and then calls {@link Verified#accept()}, which records the counter.
     */
    private Verified verify(int index, int subIndex, byte[] value, Set<KeyRole> allowed) throws SdoAbort {
        SecureMessage m;
        try {
            m = SecureMessage.parse(value, config.profile().tagBits());
        } catch (FieldbusException e) {
            throw refuse(SdoAbort.LENGTH_MISMATCH, e.reason(), e.getMessage());
        }
        KeyRole role = m.role();
        if (!allowed.contains(role)) {
            throw refuse(SdoAbort.CANNOT_STORE, "role-not-allowed",
                    String.format("0x%04X:%d does not accept %s messages", index, subIndex, role));
        }
        if (!SessionKeys.isValidGeneration(generation)) {
            throw refuse(SdoAbort.DEVICE_STATE, "generation-exhausted",
                    "session generation exhausted: no new session key can be derived (DESIGN.md)");
        }
        if (role != KeyRole.MARKER) {
            if (slot(role).key == null) {
                throw refuse(SdoAbort.CANNOT_STORE, "no-key", "no " + role + " key installed");
            }
            if (isLocked(role)) {
                throw refuse(SdoAbort.CANNOT_STORE, "key-locked",
                        role + " key locked after " + config.maxFailedVerifications() + " failed verifications");
            }
            if (!saltLocked) {
                throw refuse(SdoAbort.DEVICE_STATE, "no-salt", "no salt written since reset: no session (WP-104 4.1)");
            }
        }
        Session session = session(role);
        if (m.counter() <= session.lastClientCounter) {
            replaysRefused++;
            throw refuse(SdoAbort.CANNOT_STORE, "replayed-counter",
                    "counter " + m.counter() + " not above " + session.lastClientCounter);
        }
        try {
            byte[] plaintext = m.open(session.aead, config.nodeId(), Direction.CLIENT_TO_NODE, index, subIndex);
            return new Verified(role, m.counter(), plaintext, session);
        } catch (FieldbusException e) {
            failedVerifications++;
            if (role != KeyRole.MARKER) {
                slot(role).failures++;
            }
            throw refuse(SdoAbort.CANNOT_STORE, "bad-tag", "authentication failed under " + role);
        }
    }

    private Session session(KeyRole role) {
        Session s = sessions.get(role);
        if (s == null) {
            byte[] base = role == KeyRole.MARKER ? new byte[SessionKeys.MARKER_LENGTH] : slot(role).key.bytes();
            byte[] sk = SessionKeys.derive(role, base, role == KeyRole.MARKER ? new byte[SessionKeys.SALT_LENGTH] : salt,
                    generation, config.nodeId(), config.profile());
            s = new Session(Aead.of(sk, config.profile().tagBits()));
            long[] floor = counterFloors.get(role);
            if (floor != null) {
                s.lastClientCounter = floor[0];
                s.lastNodeCounter = floor[1];
            }
            Arrays.fill(base, (byte) 0);
            Arrays.fill(sk, (byte) 0);
            sessions.put(role, s);
        }
        return s;
    }

    // ---------------------------------------------------------------------------------------------------- internals

    private void factoryRestore() {
        for (Slot s : slots.values()) {
            s.erase();
        }
        configuration = new byte[0];
        failedVerifications = 0;
        replaysRefused = 0;
        restoreCount++;
        restoredFlag = true;
        restart();
    }

    /**
     * Every session ends (power cycle, reset, restore): the volatile state is cleared and a new session generation
     * begins, because the counters restart and a salt may recur (WP-104 4.4).
     */
    private void restart() {
        clearVolatile();
        nextGeneration();
    }

    /** Power-up: the next session generation, saturating at the exhausted value (never wrapping to reused values). */
    private void nextGeneration() {
        generation = NodeObjects.saturate(generation + 1);
    }

    private void clearVolatile() {
        Arrays.fill(salt, (byte) 0);
        saltLocked = false;
        for (Session s : sessions.values()) {
            s.aead.destroy();
        }
        sessions.clear();
        counterFloors.clear();
        pendingSessionCheck = null;
        outputs = 0;
    }

    /**
     * A new key for {@code role}: its derived session key goes, its counters stay until the next power cycle (DESIGN.md
     * "one counter per role and direction per power cycle"). A key installed again in the same power cycle derives the
     * same session key under the same salt; restarting the counters would repeat the node's GCM nonces and accept
     * replays of that key's earlier messages (WP-104 4.3, 4.4: nonce uniqueness is this protocol's job).
     */
    private void rekey(KeyRole role) {
        Session old = sessions.get(role);
        if (old != null) {
            counterFloors.put(role, new long[] {old.lastClientCounter, old.lastNodeCounter});
        }
        dropSession(role);
    }

    private void dropSession(KeyRole role) {
        Session s = sessions.remove(role);
        if (s != null) {
            s.aead.destroy();
        }
        pendingSessionCheck = null;
    }

    private Slot slot(KeyRole role) {
        Slot s = slots.get(Objects.requireNonNull(role, "role"));
        if (s == null) {
            throw new IllegalArgumentException("the commissioning marker has no key slot");
        }
        return s;
    }

    private long lockedMask() {
        long mask = 0;
        for (KeyRole role : BASE_ROLES) {
            if (isLocked(role)) {
                mask |= 1L << role.code();
            }
        }
        return mask;
    }

    private Entry entry(int index, int subIndex) throws SdoAbort {
        boolean indexKnown = false;
        for (Entry e : Entry.values()) {
            if (e.index == index) {
                indexKnown = true;
                if (e.subIndex == subIndex) {
                    return e;
                }
            }
        }
        throw indexKnown
                ? refuse(SdoAbort.NO_SUBINDEX, "no-subindex", String.format("0x%04X has no sub-index %d", index, subIndex))
                : refuse(SdoAbort.NO_OBJECT, "no-object", String.format("no object 0x%04X", index));
    }

    private SdoAbort refuse(int abortCode, String reason, String message) {
        lastRefusal = reason;
        return new SdoAbort(abortCode, reason, message);
    }

    /** Restores NVM from a parsed image (used by {@link NodeMemory#load}). */
    final class Loader {
        void counters(long restores, boolean restored, long failed, long replays, long generationBefore) {
            restoreCount = restores;
            restoredFlag = restored;
            failedVerifications = failed;
            replaysRefused = replays;
            generation = generationBefore;
        }

        void slot(KeyRole role, byte[] key, long keyId, long failures) {
            Slot s = FieldbusNode.this.slot(role);
            s.key = key == null ? null : SecretKeyBytes.of(key);
            s.keyId = keyId;
            s.failures = failures;
        }

        void configuration(byte[] value) {
            configuration = value.clone();
        }
    }

    /** An authenticated, not yet accepted client message. */
    private static final class Verified {
        final KeyRole role;
        final long counter;
        final byte[] plaintext;
        final Session session;

        Verified(KeyRole role, long counter, byte[] plaintext, Session session) {
            this.role = role;
            this.counter = counter;
            this.plaintext = plaintext;
            this.session = session;
        }

        /** Records the counter: from now on this and every lower counter is a replay. */
        void accept() {
            session.lastClientCounter = counter;
        }
    }

    /** A base-key slot of the simulated NVM. */
    private static final class Slot {
        SecretKeyBytes key;
        long keyId = KeyId.EMPTY;
        long failures;

        void erase() {
            if (key != null) {
                key.destroy();
            }
            key = null;
            keyId = KeyId.EMPTY;
            failures = 0;
        }
    }

    /** Volatile per-role session: the derived key and both directions' counters. */
    private static final class Session {
        final Aead aead;
        long lastClientCounter;
        long lastNodeCounter;

        Session(Aead aead) {
            this.aead = aead;
        }
    }

    private enum Access {
        RO(true, false), WO(false, true), RW(true, true);

        final boolean readable;
        final boolean writable;

        Access(boolean readable, boolean writable) {
            this.readable = readable;
            this.writable = writable;
        }
    }

    /** The object dictionary of DESIGN.md; the last flag says whether it is readable while uncommissioned. */
    private enum Entry {
        DEVICE_TYPE(0x1000, 0, Access.RO, true, null),
        IDENTITY_COUNT(0x1018, 0, Access.RO, true, null),
        VENDOR_ID(0x1018, 1, Access.RO, true, null),
        PRODUCT_CODE(0x1018, 2, Access.RO, true, null),
        SERIAL_NUMBER(0x1018, 4, Access.RO, true, null),
        SECURITY_STATE(0x5F00, 0, Access.RO, true, null),
        KEY_INSTALL_COUNT(0x5F01, 0, Access.RO, false, null),
        INSTALL_PK(0x5F01, 1, Access.WO, false, KeyRole.PROVISIONING),
        INSTALL_IK(0x5F01, 2, Access.WO, false, KeyRole.INTEGRATOR),
        INSTALL_OK(0x5F01, 3, Access.WO, false, KeyRole.OPERATOR),
        KEY_ID_COUNT(0x5F02, 0, Access.RO, true, null),
        KEY_ID_PK(0x5F02, 1, Access.RO, true, KeyRole.PROVISIONING),
        KEY_ID_IK(0x5F02, 2, Access.RO, true, KeyRole.INTEGRATOR),
        KEY_ID_OK(0x5F02, 3, Access.RO, true, KeyRole.OPERATOR),
        SALT(0x5F03, 0, Access.RW, true, null),
        FACTORY_RESTORE(0x5F04, 0, Access.WO, false, null),
        COUNTERS_COUNT(0x5F05, 0, Access.RO, true, null),
        RESTORES(0x5F05, 1, Access.RO, true, null),
        FAILED_VERIFICATIONS(0x5F05, 2, Access.RO, true, null),
        REPLAYS(0x5F05, 3, Access.RO, true, null),
        LOCKED_KEYS(0x5F05, 4, Access.RO, true, null),
        RESTORED_FLAG(0x5F05, 5, Access.RO, true, null),
        GENERATION(0x5F05, 6, Access.RO, true, null),
        SESSION_CHECK(0x5F06, 0, Access.RW, false, null),
        PROTECTED_CONFIG(0x2100, 0, Access.RW, false, null),
        OUTPUTS_COUNT(0x6200, 0, Access.RO, false, null),
        OUTPUTS(0x6200, 1, Access.RW, false, null);

        final int index;
        final int subIndex;
        final Access access;
        final boolean readableUncommissioned;
        final KeyRole role;

        Entry(int index, int subIndex, Access access, boolean readableUncommissioned, KeyRole role) {
            this.index = index;
            this.subIndex = subIndex;
            this.access = access;
            this.readableUncommissioned = readableUncommissioned;
            this.role = role;
        }
    }
}
