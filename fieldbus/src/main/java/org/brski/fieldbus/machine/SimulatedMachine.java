package org.brski.fieldbus.machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.CanBus;
import org.brski.fieldbus.canopen.SdoClient;
import org.brski.fieldbus.canopen.SdoServer;
import org.brski.fieldbus.crypto.KeyId;
import org.brski.fieldbus.crypto.KeyStrength;
import org.brski.fieldbus.keys.PackagedKey;
import org.brski.fieldbus.node.FieldbusNode;
import org.brski.fieldbus.node.NodeConfig;
import org.brski.fieldbus.node.NodeObjects;
import org.brski.fieldbus.node.SecureChannel;
import org.brski.fieldbus.node.SessionProfile;

/**
 * A machine's fieldbus segment, simulated in this process: WP-104 nodes ({@link FieldbusNode}) as SDO servers on a
 * {@link CanBus}, with their non-volatile memory kept in a directory between runs (one image per node, mode 0600 —
 * the images stand for the devices' secure key storage and hold key bytes).
 *
 * <p>Node {@code i} (1..127) has serial number {@code serialBase + i} (object 0x1018:4).
 */
public final class SimulatedMachine {
    /** Most nodes on one CANopen segment (node ids 1..127, CiA 301). */
    public static final int MAX_NODES = 127;
    private static final String INDEX = "nodes.txt";

    private final CanBus bus;
    private final List<FieldbusNode> nodes;
    private final SdoClient client;

    private SimulatedMachine(CanBus bus, List<FieldbusNode> nodes) {
        this.bus = bus;
        this.nodes = List.copyOf(nodes);
        for (FieldbusNode node : this.nodes) {
            SdoServer.attach(bus, node.config().nodeId(), node, node::powerCycle);
        }
        this.client = SdoClient.on(bus);
    }

    /** {@code count} factory-fresh (uncommissioned) nodes with ids 1..count on {@code bus}. */
    public static SimulatedMachine create(CanBus bus, int count, long serialBase, SessionProfile profile) {
        checkCount(count);
        List<FieldbusNode> nodes = new ArrayList<>();
        for (int id = 1; id <= count; id++) {
            nodes.add(FieldbusNode.create(config(id, serialBase + id, profile)));
        }
        return new SimulatedMachine(Objects.requireNonNull(bus, "bus"), nodes);
    }

    /**
     * The nodes saved in {@code dir} by {@link #save}, powered up on {@code bus} (volatile state — salt, sessions —
     * starts empty, as after a power cycle).
     *
     * @throws FieldbusException {@code machine-state} when the directory holds no machine or an image is damaged
     */
    public static SimulatedMachine load(CanBus bus, Path dir, SessionProfile profile) throws FieldbusException {
        Path index = dir.resolve(INDEX);
        List<FieldbusNode> nodes = new ArrayList<>();
        try {
            if (!Files.isRegularFile(index)) {
                throw new FieldbusException("machine-state", exists(dir)
                        ? "node images without their index " + index + " in " + dir
                        : "no simulated machine in " + dir);
            }
            for (String line : Files.readAllLines(index, StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split(" ");
                if (f.length != 2 || nodes.size() >= MAX_NODES) {
                    throw new FieldbusException("machine-state", "damaged node index " + index);
                }
                int id = Integer.parseInt(f[0]);
                long serial = Long.parseLong(f[1], 16);
                if (nodes.stream().anyMatch(n -> n.config().nodeId() == id)) {
                    throw new FieldbusException("machine-state", "node id " + id + " listed twice in " + index);
                }
                nodes.add(loadNode(config(id, serial, profile), image(dir, id)));
            }
        } catch (NumberFormatException e) {
            throw new FieldbusException("machine-state", "damaged node index " + index + ": " + e.getMessage());
        } catch (IOException e) {
            throw new FieldbusException("machine-state", "cannot read " + index + ": " + ioReason(e));
        } catch (IllegalArgumentException e) {
            throw new FieldbusException("machine-state", "damaged node index " + index + ": " + e.getMessage());
        }
        return new SimulatedMachine(bus, nodes);
    }

    /** One node's image; a failure names the node and its file (a damaged image is one of 127). */
    private static FieldbusNode loadNode(NodeConfig config, Path file) throws FieldbusException {
        byte[] image;
        try {
            image = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FieldbusException("machine-state", "node " + config.nodeId() + ": cannot read " + file + ": "
                    + ioReason(e));
        }
        try {
            return FieldbusNode.fromMemory(config, image);
        } catch (FieldbusException e) {
            throw new FieldbusException("machine-state", "node " + config.nodeId() + ": damaged memory image " + file
                    + ": " + e.getMessage());
        }
    }

    private static String ioReason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "missing";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Writes every node's non-volatile memory to {@code dir} (created 0700 where POSIX permissions exist, an existing
     * directory is left as it is; images 0600, replaced atomically).
     */
    public void save(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            createPrivate(attributes -> Files.createDirectory(dir, attributes), "rwx------");
        }
        StringBuilder index = new StringBuilder();
        for (FieldbusNode node : nodes) {
            int id = node.config().nodeId();
            writePrivate(image(dir, id), node.exportMemory());
            index.append(id).append(' ').append(String.format("%08x", node.config().serialNumber())).append('\n');
        }
        writePrivate(dir.resolve(INDEX), index.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Deletes a machine saved in {@code dir} (its node images and index; nothing else). */
    public static void delete(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.equals(INDEX) || name.matches("node-[0-9]{3}\\.nvm(\\.tmp)?")) {
                    Files.delete(f);
                }
            }
        }
    }

    /**
     * Whether {@code dir} holds a saved machine, complete or not: its index or any node image. A directory with images
     * but no index is a damaged machine ({@link #load} says so), never an empty one to create afresh over the images.
     */
    public static boolean exists(Path dir) {
        if (Files.isRegularFile(dir.resolve(INDEX))) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("node-[0-9]{3}\\.nvm"));
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * The manufacturer's end-of-line step (EmSA WP-104 3.2, "installed by the manufacturer during production"): on its
     * own isolated factory bench, each uncommissioned node gets a fresh device-unique Provisioning Key and Key ID; the
     * returned keys are the label data delivered out of band to the integrator. The marker session uses the node's
     * session generation read from its dictionary (0x5F05:6).
     *
     * @throws FieldbusException when a node refuses the install or reports an exhausted generation
     */
    public List<PackagedKey> factoryProvision(SecureRandom random) throws FieldbusException {
        List<PackagedKey> labels = new ArrayList<>();
        for (FieldbusNode node : nodes) {
            if (node.keyId(KeyRole.PROVISIONING) != KeyId.EMPTY) {
                continue;
            }
            byte[] key = KeyStrength.generate(random, 16);
            long keyId = KeyId.random(random);
            int slot = NodeObjects.subIndex(KeyRole.PROVISIONING);
            // directly on the node's object dictionary: the factory bench is not this machine's bus
            long generation = NodeObjects.readGeneration(node.read(NodeObjects.COUNTERS, NodeObjects.COUNTER_GENERATION));
            node.write(NodeObjects.KEY_INSTALL, slot, SecureChannel.forMarker(generation, node.config().nodeId(),
                    node.config().profile()).seal(NodeObjects.KEY_INSTALL, slot,
                            NodeObjects.keyInstallPlaintext(key, keyId)));
            labels.add(PackagedKey.provisioning(node.config().serialNumber(), key, keyId));
        }
        return labels;
    }

    /**
     * The manufacturer's label data file: CSV {@code serial,provisioning-key,key-id} (serial and Key ID as {@code 0x}
     * and 8 hex digits, key in hex), the format the registrar's {@code fieldbus import-labels} reads.
     */
    public static String labelFile(List<PackagedKey> labels) {
        StringBuilder csv = new StringBuilder("serial,provisioning-key,key-id\n");
        for (PackagedKey pk : labels) {
            byte[] key = pk.key();
            csv.append(String.format(Locale.ROOT, "0x%08x,%s,0x%08x%n", pk.nodeSerial().orElseThrow(),
                    HexFormat.of().formatHex(key), pk.keyId()));
            Arrays.fill(key, (byte) 0);
        }
        return csv.toString();
    }

    public CanBus bus() {
        return bus;
    }

    /** An SDO client on this machine's bus, for the commissioning tool. */
    public SdoClient client() {
        return client;
    }

    public List<FieldbusNode> nodes() {
        return nodes;
    }

    /** Node ids on the bus, ascending. */
    public List<Integer> nodeIds() {
        List<Integer> ids = new ArrayList<>();
        nodes.forEach(n -> ids.add(n.config().nodeId()));
        Collections.sort(ids);
        return ids;
    }

    /** The node with this id. */
    public FieldbusNode node(int nodeId) {
        return nodes.stream().filter(n -> n.config().nodeId() == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeId + " on this machine"));
    }

    private static NodeConfig config(int id, long serial, SessionProfile profile) {
        return NodeConfig.builder(id).serialNumber(serial).profile(profile).build();
    }

    private static void checkCount(int count) {
        if (count < 1 || count > MAX_NODES) {
            throw new IllegalArgumentException("a CANopen segment has 1.." + MAX_NODES + " nodes");
        }
    }

    private static Path image(Path dir, int id) {
        return dir.resolve(String.format(Locale.ROOT, "node-%03d.nvm", id));
    }

    private static void writePrivate(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        createPrivate(attributes -> Files.createFile(tmp, attributes), "rw-------");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Creates a file or directory with POSIX {@code permissions}, or with the defaults where POSIX is unsupported. */
    private static void createPrivate(Creation creation, String permissions) throws IOException {
        FileAttribute<?> posix = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
        try {
            creation.create(posix);
        } catch (UnsupportedOperationException e) {
            creation.create();
        }
    }

    /** {@code Files.createFile} or {@code Files.createDirectory} with the given attributes. */
    @FunctionalInterface
    private interface Creation {
        void create(FileAttribute<?>... attributes) throws IOException;
    }

    @Override
    public String toString() {
        return nodes.size() + " simulated node(s) on " + bus;
    }
}
