package org.brski.bench;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.CanBus;
import org.brski.fieldbus.canopen.SdoAbort;
import org.brski.fieldbus.crypto.KeyId;
import org.brski.fieldbus.crypto.KeyStrength;
import org.brski.fieldbus.keys.DomainKeyDerivation;
import org.brski.fieldbus.keys.PackagedKey;
import org.brski.fieldbus.keys.SymmetricKeyPackage;
import org.brski.fieldbus.machine.SimulatedMachine;
import org.brski.fieldbus.node.FieldbusNode;
import org.brski.fieldbus.node.NodeConfig;
import org.brski.fieldbus.node.NodeObjects;
import org.brski.fieldbus.node.SecureChannel;
import org.brski.fieldbus.node.SessionKeys;
import org.brski.fieldbus.node.SessionProfile;
import org.brski.pledge.fieldbus.Commissioner;
import org.brski.pledge.fieldbus.CommissioningReport;
import org.brski.pledge.fieldbus.NodeResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU cost of the EmSA WP-104 fieldbus code, one thread: session-key derivation (HKDF-SHA-256), a node accepting one
 * authenticated protected-configuration write (0x2100 under an Integrator session, parse + AES-128-GCM verify + replay
 * check, straight into {@link FieldbusNode#write}) per tag length, and the controller commissioning one whole 127-node
 * machine in process on a simulated classical CAN bus ({@link Commissioner} over {@link SimulatedMachine}). Bus time
 * is simulated and not slept, so the last figure is CPU only (see the README's "Fieldbus bus time" for the bus).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar FieldbusBenchmark}.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FieldbusBenchmark {
    private static final int NODE_ID = 5;

    /** Inputs of one session-key derivation, as a client and a node both do once per role and power cycle. */
    @State(Scope.Benchmark)
    public static class DeriveState {
        byte[] baseKey;
        byte[] salt;
        final SessionProfile profile = SessionProfile.defaults();

        @Setup
        public void setUp() {
            SecureRandom random = new SecureRandom();
            baseKey = KeyStrength.generate(random, 16);
            salt = SecureChannel.freshSalt(random);
        }
    }

    /**
     * One integrated node (Provisioning Key from the factory marker session, Integrator Key installed under the PK
     * session, salt written) and an Integrator channel. The writes of an iteration are sealed before it, with
     * strictly increasing counters, so the measured path is the node's alone.
     */
    @State(Scope.Benchmark)
    public static class WriteState {
        /** More than one 1-second iteration consumes here (~4× the measured rate); sealing them is most of the run time. */
        static final int MESSAGES = 600_000;

        @Param({"32", "128"})
        public int tagBits;

        FieldbusNode node;
        SecureChannel channel;
        final byte[][] sealed = new byte[MESSAGES][];
        int next;
        private final byte[] configuration = new byte[32];

        @Setup(Level.Trial)
        public void integrate() throws SdoAbort, FieldbusException {
            SecureRandom random = new SecureRandom();
            random.nextBytes(configuration);
            SessionProfile profile = SessionProfile.of(tagBits, true);
            node = FieldbusNode.create(NodeConfig.builder(NODE_ID).serialNumber(0x1000 + NODE_ID).profile(profile)
                    .build());
            byte[] pk = KeyStrength.generate(random, 16);
            byte[] ik = KeyStrength.generate(random, 16);
            int pkSlot = NodeObjects.subIndex(KeyRole.PROVISIONING);
            int ikSlot = NodeObjects.subIndex(KeyRole.INTEGRATOR);
            long generation = NodeObjects.readGeneration(
                    node.read(NodeObjects.COUNTERS, NodeObjects.COUNTER_GENERATION));
            node.write(NodeObjects.KEY_INSTALL, pkSlot, SecureChannel.forMarker(generation, NODE_ID, profile)
                    .seal(NodeObjects.KEY_INSTALL, pkSlot, NodeObjects.keyInstallPlaintext(pk, KeyId.random(random))));
            byte[] salt = SecureChannel.freshSalt(random);
            node.write(NodeObjects.SALT, 0, salt);
            generation = NodeObjects.readGeneration(node.read(NodeObjects.COUNTERS, NodeObjects.COUNTER_GENERATION));
            SecureChannel provisioning = SecureChannel.open(KeyRole.PROVISIONING, pk, salt, generation, NODE_ID,
                    profile);
            node.write(NodeObjects.KEY_INSTALL, ikSlot, provisioning.seal(NodeObjects.KEY_INSTALL, ikSlot,
                    NodeObjects.keyInstallPlaintext(ik, KeyId.random(random))));
            channel = SecureChannel.open(KeyRole.INTEGRATOR, ik, salt, generation, NODE_ID, profile);
        }

        @Setup(Level.Iteration)
        public void seal() {
            for (int i = 0; i < MESSAGES; i++) {
                sealed[i] = channel.seal(NodeObjects.PROTECTED_CONFIG, 0, configuration);
            }
            next = 0;
        }

        byte[] nextMessage() {
            if (next == MESSAGES) {
                throw new IllegalStateException("all " + MESSAGES + " sealed writes used in one iteration: raise "
                        + "WriteState.MESSAGES");
            }
            return sealed[next++];
        }
    }

    /**
     * A fresh machine per invocation: 127 factory-provisioned nodes on classical CAN at 500 kbit/s, the label data in
     * a key package with the machine's Integrator Key derived from a domain master key. Not measured.
     */
    @State(Scope.Benchmark)
    public static class MachineState {
        static final int NODES = SimulatedMachine.MAX_NODES;
        private static final String MACHINE_ID = "bench-machine";

        final SessionProfile profile = SessionProfile.defaults();
        final SecureRandom random = new SecureRandom();
        PackagedKey integratorKey;
        SimulatedMachine machine;
        SymmetricKeyPackage keyPackage;
        Commissioner commissioner;
        List<Integer> nodeIds;

        @Setup(Level.Trial)
        public void domain() {
            byte[] master = new byte[32];
            random.nextBytes(master);
            integratorKey = DomainKeyDerivation.of(master).integratorKey(MACHINE_ID, 1);
        }

        @Setup(Level.Invocation)
        public void freshMachine() throws FieldbusException {
            machine = SimulatedMachine.create(CanBus.classic(500_000), NODES, 0x10000, profile);
            List<PackagedKey> keys = new ArrayList<>(List.of(integratorKey));
            keys.addAll(machine.factoryProvision(random));
            keyPackage = SymmetricKeyPackage.of(MACHINE_ID, keys);
            commissioner = Commissioner.builder().sdo(machine.client()).profile(profile).random(random).build();
            nodeIds = machine.nodeIds();
        }
    }

    /** HKDF-SHA-256 of a 16-byte Integrator base key, 16-byte salt and per-node label to a 16-byte session key. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] deriveSessionKey(DeriveState s) {
        return SessionKeys.derive(KeyRole.INTEGRATOR, s.baseKey, s.salt, SessionKeys.FIRST_GENERATION, NODE_ID,
                s.profile);
    }

    /** The node side of one authenticated 32-byte write to 0x2100 (message parse, GCM open, counter, store). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void protectedConfigWrite(WriteState s) throws SdoAbort {
        s.node.write(NodeObjects.PROTECTED_CONFIG, 0, s.nextMessage());
    }

    /**
     * One whole machine: every node's reads, salt, PK session, IK install, Key ID read-back and IK session check. More
     * warm-up than the others: with two 1-second iterations the JIT was still compiling (first measured iteration up to
     * 2× the later ones).
     */
    @Benchmark
    @Warmup(iterations = 6, time = 1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public CommissioningReport commissionMachine(MachineState s) throws FieldbusException {
        CommissioningReport report = s.commissioner.commission(s.keyPackage, s.nodeIds);
        if (report.count(NodeResult.Status.COMMISSIONED) != MachineState.NODES) {
            throw new IllegalStateException("not every node commissioned: " + report);
        }
        return report;
    }
}
