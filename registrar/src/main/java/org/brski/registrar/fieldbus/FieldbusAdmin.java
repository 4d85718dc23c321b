package org.brski.registrar.fieldbus;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.crypto.KeyId;
import org.brski.fieldbus.crypto.KeyStrength;
import org.brski.fieldbus.keys.PackagedKey;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.voucher.VoucherService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's side of the domain key service: machines, label import, rotation, revocation and node removal
 * (key-management spec: rotation, revocation; WP-104 3.3: replacing a suspect node replaces the Integrator Key of the
 * whole machine). Shared by the admin API and the CLI. Every change is logged with machine, revision and Key IDs,
 * never key bytes. Thread-safe.
 */
public final class FieldbusAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(FieldbusAdmin.class);
    /** Most machines listed at once. */
    public static final int MAX_LIST = 10_000;
    /** Largest label file read. */
    public static final int MAX_LABEL_BYTES = 256 * 1024;
    /** The header line a label file must start with. */
    public static final String LABEL_HEADER = "serial,provisioning-key,key-id";
    private static final int MAX_ROTATION_ATTEMPTS = 5;
    /** Problem type of a Provisioning Key shared by two nodes (WP-104 3.2). */
    static final String DUPLICATE_KEY = "duplicate-key";
    /**
     * Report statuses meaning "the node holds the reported keys": {@code ok}, and the pledge Commissioner's
     * {@code commissioned} and {@code up-to-date}.
     */
    public static final Set<String> HOLDING = Set.of("ok", "commissioned", "up-to-date");

    private final FieldbusStore store;
    private final DomainKeyStore keys;

    private FieldbusAdmin(FieldbusStore store, DomainKeyStore keys) {
        this.store = store;
        this.keys = keys;
    }

    public static FieldbusAdmin of(FieldbusStore store, DomainKeyStore keys) {
        return new FieldbusAdmin(Objects.requireNonNull(store, "store"), Objects.requireNonNull(keys, "keys"));
    }

    FieldbusStore store() {
        return store;
    }

    DomainKeyStore keys() {
        return keys;
    }

    /**
     * Adds a machine at revision 1.
     *
     * @param controllers serial-numbers of the enrolled devices allowed to fetch its key package (1-16; they may enrol
     *                    later)
     * @throws RegistrarException 400 {@code bad-machine-id} / {@code bad-controllers}, 409 {@code machine-exists} /
     *                            {@code controller-taken}
     */
    public Machine addMachine(String id, List<String> controllers, boolean operatorKey) throws RegistrarException {
        FieldbusFormat.machineId(id);
        if (controllers == null || controllers.isEmpty() || controllers.size() > FieldbusFormat.MAX_CONTROLLERS) {
            throw RegistrarException.badRequest("bad-controllers", "a machine has 1-" + FieldbusFormat.MAX_CONTROLLERS
                    + " controllers (serial-numbers of enrolled devices)");
        }
        Set<String> unique = new TreeSet<>();
        for (String serial : controllers) {
            if (serial == null || serial.isEmpty() || serial.length() > VoucherService.MAX_SERIAL
                    || !serial.chars().allMatch(c -> c >= 0x20 && c < 0x7f) || !unique.add(serial)) {
                throw RegistrarException.badRequest("bad-controllers", "controller serial-numbers are distinct, 1-"
                        + VoucherService.MAX_SERIAL + " printable ASCII characters");
            }
        }
        PackagedKey ik = derive(KeyRole.INTEGRATOR, id, 1);
        OptionalLong ok = operatorKey ? OptionalLong.of(derive(KeyRole.OPERATOR, id, 1).keyId()) : OptionalLong.empty();
        store.addMachine(id, operatorKey, List.copyOf(unique), ik.keyId(), ok);
        LOG.info("fieldbus machine '{}' added: controllers {}, revision 1, IK {}{}", id, unique,
                FieldbusFormat.keyId(ik.keyId()), ok.isPresent() ? ", OK " + FieldbusFormat.keyId(ok.getAsLong()) : "");
        return machine(id);
    }

    public List<Machine> machines() throws RegistrarException {
        return store.machines(MAX_LIST);
    }

    /** The machine; 404 {@code unknown-machine}. */
    public Machine machine(String id) throws RegistrarException {
        return store.machine(FieldbusFormat.machineId(id)).orElseThrow(() -> RegistrarException.notFound(
                "unknown-machine", "no machine '" + id + "'"));
    }

    /** Revisions and nodes of the machine, each node marked stale unless it reported the current keys. */
    public MachineStatus status(String id) throws RegistrarException {
        Machine machine = machine(id);
        List<KeyRevision> revisions = store.revisions(id);
        KeyRevision current = revisions.stream().filter(r -> r.revision() == machine.currentRevision()).findFirst()
                .orElseThrow(() -> RegistrarException.unavailable("storage-inconsistent", "the machine's key state is"
                        + " unavailable", "machine " + id + " has no row for its current revision", null, null));
        Map<Long, NodeKey> stored = new HashMap<>();
        store.nodeKeys(id).forEach(k -> stored.put(k.nodeSerial(), k));
        Map<Long, NodeReport> reported = new HashMap<>();
        store.reports(id).forEach(r -> reported.put(r.nodeSerial(), r));
        Set<Long> serials = new TreeSet<>(stored.keySet());
        serials.addAll(reported.keySet());
        List<NodeStatus> nodes = new ArrayList<>();
        for (long serial : serials) {
            Optional<NodeKey> key = Optional.ofNullable(stored.get(serial));
            Optional<NodeReport> report = Optional.ofNullable(reported.get(serial));
            boolean fresh = report.isPresent() && HOLDING.contains(report.get().status())
                    && report.get().revision().isPresent()
                    && report.get().revision().getAsInt() == current.revision()
                    && report.get().integratorKeyId().equals(OptionalLong.of(current.integratorKeyId()))
                    && (!machine.operatorKey() || report.get().operatorKeyId().equals(current.operatorKeyId()));
            nodes.add(new NodeStatus(serial, key.map(k -> OptionalLong.of(k.keyId())).orElse(OptionalLong.empty()),
                    key.map(NodeKey::source), report, !fresh));
        }
        return new MachineStatus(machine, revisions, nodes);
    }

    /**
     * Imports the manufacturer's label data for nodes of the machine: CSV with the header {@value #LABEL_HEADER},
     * one node per line, serial and Key ID as decimal or {@code 0x} hex UNSIGNED32, the key as 32/48/64 hex digits.
     * All lines or none are stored; the first bad line is named.
     *
     * @return the number of keys stored
     * @throws RegistrarException 400 {@code bad-label-file}, {@code weak-key}, {@code wrong-key-length},
     *                            {@code reserved-key-id} naming the line; 409 {@code node-of-another-machine}
     */
    public int importLabels(String machineId, byte[] csv) throws RegistrarException {
        Machine machine = machine(machineId);
        if (csv.length > MAX_LABEL_BYTES) {
            throw RegistrarException.tooLarge("a label file has at most "
                    + MAX_LABEL_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.US_ASCII.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(csv)).toString();
        } catch (CharacterCodingException e) {
            throw labelError(0, "bad-label-file", "the label file is not ASCII text");
        }
        String[] lines = text.split("\r?\n", -1);
        int count = lines.length;
        if (count > 0 && lines[count - 1].isEmpty()) {
            count--;
        }
        if (count == 0 || !lines[0].equals(LABEL_HEADER)) {
            throw labelError(1, "bad-label-file", "the first line must be '" + LABEL_HEADER + "'");
        }
        if (count == 1) {
            throw labelError(2, "bad-label-file", "no node in the label file");
        }
        if (count - 1 > FieldbusFormat.MAX_NODES) {
            throw labelError(FieldbusFormat.MAX_NODES + 2, "bad-label-file", "at most " + FieldbusFormat.MAX_NODES
                    + " nodes per label file");
        }
        List<PackagedKey> parsed = new ArrayList<>();
        Set<Long> serials = new HashSet<>();
        for (int i = 1; i < count; i++) {
            int line = i + 1;
            String[] fields = lines[i].split(",", -1);
            if (fields.length != 3) {
                throw labelError(line, "bad-label-file", "expected 3 comma-separated fields");
            }
            long serial = unsigned32(fields[0], line, "serial");
            long keyId = unsigned32(fields[2], line, "key-id");
            byte[] key;
            try {
                key = HexFormat.of().parseHex(fields[1]);
            } catch (IllegalArgumentException e) {
                throw labelError(line, "bad-label-file", "provisioning-key is not hex");
            }
            try {
                checkProvisioningKey(key, keyId);
            } catch (FieldbusException e) {
                Arrays.fill(key, (byte) 0);
                throw labelError(line, e.reason(), e.getMessage());
            }
            if (!serials.add(serial)) {
                Arrays.fill(key, (byte) 0);
                throw labelError(line, "bad-label-file", "node " + serial + " appears twice");
            }
            PackagedKey pk = PackagedKey.provisioning(serial, key, keyId);
            Arrays.fill(key, (byte) 0);
            if (sharedKey(parsed, pk)) {
                throw labelError(line, DUPLICATE_KEY, "the provisioning-key of node " + serial + " is that of another"
                        + " node in the file (WP-104 3.2: unique per device)");
            }
            parsed.add(pk);
        }
        storeProvisioningKeys(machine.id(), parsed, KeySource.LABEL);
        LOG.info("fieldbus labels imported for machine '{}': {} node Provisioning Keys, Key IDs {}", machine.id(),
                parsed.size(), keyIds(parsed));
        return parsed.size();
    }

    private static RegistrarException labelError(int line, String slug, String detail) {
        return RegistrarException.badRequest(slug, (line > 0 ? "label file line " + line + ": " : "") + detail);
    }

    private static long unsigned32(String field, int line, String name) throws RegistrarException {
        try {
            return FieldbusFormat.unsigned32(field);
        } catch (NumberFormatException e) {
            throw labelError(line, "bad-label-file", name + " is not an UNSIGNED32 (decimal or 0x hex)");
        }
    }

    /** Whether {@code candidate} holds the key bytes of one of {@code others} (constant-time comparisons). */
    static boolean sharedKey(List<PackagedKey> others, PackagedKey candidate) {
        boolean shared = false;
        for (PackagedKey other : others) {
            shared |= other.sameKey(candidate);
        }
        return shared;
    }

    /** The rules every Provisioning Key entering the domain passes (DESIGN.md "Keys and roles"). */
    static void checkProvisioningKey(byte[] key, long keyId) throws FieldbusException {
        KeyStrength.check(key);
        KeyId.check(keyId);
    }

    /**
     * Wraps and stores Provisioning Keys for the machine's nodes, all or none. Keys were checked by the caller
     * (strength, Key ID) so that it can name the offending line or node.
     */
    void storeProvisioningKeys(String machineId, List<PackagedKey> pks, KeySource source) throws RegistrarException {
        if (source == KeySource.LABEL) {
            refuseStaleLabels(machineId, pks);
        }
        refuseKeysOfOtherNodes(machineId, pks);
        List<NodeKey> wrapped = new ArrayList<>();
        for (PackagedKey pk : pks) {
            long serial = pk.nodeSerial().orElseThrow();
            byte[] key = pk.key();
            try {
                wrapped.add(new NodeKey(serial, keys.wrapProvisioningKey(machineId, serial, key), pk.keyId(), source,
                        java.time.Instant.EPOCH));
            } catch (FieldbusException e) {
                throw keyStoreFailure(e);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        store.putNodeKeys(machineId, wrapped);
    }

    /**
     * A node re-commissioned on a bench holds the Provisioning Key its controller escrowed; the manufacturer's label
     * names the factory key it no longer has. 409 {@code escrowed-key-present} instead of silently going back to it
     * (remove the node first to start over from its label).
     */
    private void refuseStaleLabels(String machineId, List<PackagedKey> pks) throws RegistrarException {
        Map<Long, NodeKey> stored = new HashMap<>();
        store.nodeKeys(machineId).forEach(k -> stored.put(k.nodeSerial(), k));
        for (PackagedKey pk : pks) {
            NodeKey current = stored.get(pk.nodeSerial().orElseThrow());
            if (current != null && current.source() == KeySource.ESCROW && current.keyId() != pk.keyId()) {
                throw RegistrarException.of(409, "escrowed-key-present", "Conflict", "node "
                        + pk.nodeSerial().getAsLong() + " holds a Provisioning Key escrowed by its controller (Key ID "
                        + FieldbusFormat.keyId(current.keyId()) + "), newer than its label; remove the node first to"
                        + " import the label again");
            }
        }
    }

    /**
     * WP-104 3.2: a Provisioning Key is unique per device. 400 {@value #DUPLICATE_KEY} when one of {@code pks} equals
     * the stored key of another node of the machine (nodes in {@code pks} are being replaced and do not count).
     */
    private void refuseKeysOfOtherNodes(String machineId, List<PackagedKey> pks) throws RegistrarException {
        Set<Long> replaced = new HashSet<>();
        pks.forEach(pk -> replaced.add(pk.nodeSerial().orElseThrow()));
        for (NodeKey stored : store.nodeKeys(machineId)) {
            if (replaced.contains(stored.nodeSerial())) {
                continue;
            }
            byte[] key = null;
            try {
                key = keys.unwrapProvisioningKey(machineId, stored.nodeSerial(), stored.wrappedKey());
                PackagedKey existing = PackagedKey.provisioning(stored.nodeSerial(), key, stored.keyId());
                for (PackagedKey pk : pks) {
                    if (pk.sameKey(existing)) {
                        throw RegistrarException.badRequest(DUPLICATE_KEY, "the Provisioning Key of node "
                                + pk.nodeSerial().getAsLong() + " is that of another node of machine '" + machineId
                                + "' (WP-104 3.2: unique per device)");
                    }
                }
            } catch (FieldbusException e) {
                throw keyStoreFailure(e);
            } finally {
                if (key != null) {
                    Arrays.fill(key, (byte) 0);
                }
            }
        }
    }

    static String keyIds(List<PackagedKey> pks) {
        Set<String> ids = new LinkedHashSet<>();
        pks.forEach(k -> ids.add(k.nodeSerial().isPresent() ? k.nodeSerial().getAsLong() + ":"
                + FieldbusFormat.keyId(k.keyId()) : FieldbusFormat.keyId(k.keyId())));
        return ids.toString();
    }

    /** Starts a new revision: new Integrator (and Operator) Key and Key IDs; the previous revision is retired. */
    public KeyRevision rotate(String machineId) throws RegistrarException {
        return advance(machineId, "rotated", false, OptionalLong.empty());
    }

    /**
     * Revokes a revision: its packages are refused from now on. Revoking the current revision also rotates, so the
     * machine has a served revision again.
     *
     * @return the machine's current revision afterwards
     * @throws RegistrarException 404 {@code unknown-revision}
     */
    public KeyRevision revoke(String machineId, int revision) throws RegistrarException {
        for (int attempt = 0; attempt < MAX_ROTATION_ATTEMPTS; attempt++) {
            Machine machine = machine(machineId);
            KeyRevision target = store.revision(machine.id(), revision).orElseThrow(() -> RegistrarException
                    .notFound("unknown-revision", "machine '" + machineId + "' has no revision " + revision));
            if (revision == machine.currentRevision()) {
                return advance(machineId, "revision " + revision + " revoked", true, OptionalLong.empty());
            }
            // the store refuses when a concurrent rotation made the target current: read again, then rotate it away
            if (store.revoke(machine.id(), revision)) {
                LOG.info("fieldbus machine '{}' revision {} revoked (IK {}); current revision stays {}", machineId,
                        revision, FieldbusFormat.keyId(target.integratorKeyId()), machine.currentRevision());
                return store.revision(machine.id(), machine.currentRevision()).orElseThrow();
            }
        }
        throw RegistrarException.of(409, "concurrent-change", "Conflict", "machine '" + machineId
                + "' is being changed concurrently; try again");
    }

    /**
     * Removes a node (replaced or suspect): drops its Provisioning Key and report and rotates the machine's keys in the
     * same transaction (WP-104 3.3: the Integrator Key is replaced on every node of the machine).
     *
     * @throws RegistrarException 404 {@code unknown-node} when the machine does not know the node
     */
    public KeyRevision removeNode(String machineId, long nodeSerial) throws RegistrarException {
        MachineStatus status = status(machineId);
        if (status.nodes().stream().noneMatch(n -> n.nodeSerial() == nodeSerial)) {
            throw RegistrarException.notFound("unknown-node", "machine '" + machineId + "' has no node " + nodeSerial);
        }
        return advance(machineId, "node " + nodeSerial + " removed", false, OptionalLong.of(nodeSerial));
    }

    private KeyRevision advance(String machineId, String reason, boolean revokeCurrent, OptionalLong removeNode)
            throws RegistrarException {
        for (int attempt = 0; attempt < MAX_ROTATION_ATTEMPTS; attempt++) {
            Machine machine = machine(machineId);
            int from = machine.currentRevision();
            if (from == Integer.MAX_VALUE) {
                throw RegistrarException.of(409, "revisions-exhausted", "Conflict", "machine '" + machineId
                        + "' has used every key revision");
            }
            int next = from + 1;
            PackagedKey ik = derive(KeyRole.INTEGRATOR, machineId, next);
            OptionalLong ok = machine.operatorKey() ? OptionalLong.of(derive(KeyRole.OPERATOR, machineId, next).keyId())
                    : OptionalLong.empty();
            if (store.rotate(machineId, new Rotation(from, ik.keyId(), ok, reason, revokeCurrent, removeNode))) {
                LOG.info("fieldbus machine '{}' rotated to revision {} ({}): IK {}{}; revision {} {}", machineId, next,
                        reason, FieldbusFormat.keyId(ik.keyId()),
                        ok.isPresent() ? ", OK " + FieldbusFormat.keyId(ok.getAsLong()) : "", from,
                        revokeCurrent ? "revoked" : "retired");
                return store.revision(machineId, next).orElseThrow();
            }
        }
        throw RegistrarException.of(409, "concurrent-change", "Conflict", "machine '" + machineId
                + "' is being changed concurrently; try again");
    }

    /** The derived Integrator or Operator Key of a machine revision; a key store failure is a 500 problem. */
    PackagedKey derive(KeyRole role, String machineId, int revision) throws RegistrarException {
        try {
            return role == KeyRole.OPERATOR ? keys.operatorKey(machineId, revision)
                    : keys.integratorKey(machineId, revision);
        } catch (FieldbusException e) {
            throw keyStoreFailure(e);
        }
    }

    static RegistrarException keyStoreFailure(FieldbusException e) {
        return new RegistrarException(org.brski.voucher.Problem.of("key-store-failure", "Internal server error", 500,
                "the domain key store failed"), "domain key store failure: " + e.reason() + ": " + e.getMessage(), e,
                null);
    }
}
