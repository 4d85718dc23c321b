package org.brski.pledge.fieldbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.BusStats;
import org.brski.fieldbus.canopen.CanBus;
import org.brski.fieldbus.crypto.KeyId;
import org.brski.fieldbus.keys.DomainKeyDerivation;
import org.brski.fieldbus.keys.PackagedKey;
import org.brski.fieldbus.keys.SymmetricKeyPackage;
import org.brski.fieldbus.machine.SimulatedMachine;
import org.brski.fieldbus.node.FieldbusNode;
import org.brski.fieldbus.node.NodeState;
import org.brski.fieldbus.node.SessionProfile;
import org.brski.pledge.fieldbus.NodeResult.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The commissioning tool against simulated WP-104 nodes on a simulated CAN bus: every check the tool makes is judged
 * by the nodes themselves (their Key IDs, state and counters), never by the tool's own account.
 */
class CommissionerTest {
    private static final DomainKeyDerivation DOMAIN = DomainKeyDerivation.of(new SecureRandom().generateSeed(32));
    private static final SessionProfile PROFILE = SessionProfile.defaults();
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    private static SymmetricKeyPackage pkg(String machine, int revision, List<PackagedKey> pks, boolean operator) {
        List<PackagedKey> keys = new ArrayList<>(List.of(DOMAIN.integratorKey(machine, revision)));
        if (operator) {
            keys.add(DOMAIN.operatorKey(machine, revision));
        }
        keys.addAll(pks);
        return SymmetricKeyPackage.of(machine, keys);
    }

    private Commissioner commissioner(SimulatedMachine machine, boolean bench) {
        return Commissioner.builder().sdo(machine.client()).profile(PROFILE).isolatedBench(bench).random(random)
                .build();
    }

    @Test
    void factoryProvisionedNodesGetTheMachineIntegratorKey() throws FieldbusException {
        SimulatedMachine machine = SimulatedMachine.create(CanBus.classic(500_000), 5, 0x1000, PROFILE);
        List<PackagedKey> labels = machine.factoryProvision(random);
        SymmetricKeyPackage pkg = pkg("m1", 1, labels, false);
        CommissioningReport report = commissioner(machine, false).commission(pkg, machine.nodeIds());
        assertEquals(5, report.count(Status.COMMISSIONED), report.toString());
        long ikId = pkg.key(KeyRole.INTEGRATOR).orElseThrow().keyId();
        for (FieldbusNode node : machine.nodes()) {
            assertEquals(ikId, node.keyId(KeyRole.INTEGRATOR));
            assertEquals(NodeState.INTEGRATED, node.state());
            assertEquals(0, node.failedVerifications());
        }
        assertTrue(report.generatedProvisioningKeys().isEmpty());
        // a second run finds every node current and proves it with a session check only
        CommissioningReport again = commissioner(machine, false).commission(pkg, machine.nodeIds());
        assertEquals(5, again.count(Status.UP_TO_DATE), again.toString());
    }

    @Test
    void uncommissionedNodesAreRefusedOutsideAnIsolatedBench() throws FieldbusException {
        SimulatedMachine machine = SimulatedMachine.create(CanBus.classic(500_000), 3, 0x2000, PROFILE);
        CommissioningReport report = commissioner(machine, false).commission(pkg("m1", 1, List.of(), false),
                machine.nodeIds());
        assertEquals(3, report.count(Status.REFUSED));
        machine.nodes().forEach(n -> assertEquals(NodeState.UNCOMMISSIONED, n.state()));
    }

    @Test
    void benchModeGeneratesUniqueProvisioningKeysForEscrow() throws FieldbusException {
        SimulatedMachine machine = SimulatedMachine.create(CanBus.classic(500_000), 4, 0x3000, PROFILE);
        // past their first power-up: the marker session must use the generation each node reports (0x5F05:6)
        machine.nodes().forEach(FieldbusNode::powerCycle);
        machine.node(2).powerCycle();
        CommissioningReport report = commissioner(machine, true).commission(pkg("m1", 1, List.of(), true),
                machine.nodeIds());
        assertEquals(4, report.count(Status.COMMISSIONED), report.nodes().toString());
        SymmetricKeyPackage escrow = report.generatedProvisioningKeys().orElseThrow();
        assertEquals(4, escrow.keys().size());
        for (FieldbusNode node : machine.nodes()) {
            PackagedKey pk = escrow.provisioningKey(node.config().serialNumber()).orElseThrow();
            assertEquals(pk.keyId(), node.keyId(KeyRole.PROVISIONING));
            assertEquals(NodeState.OPERATOR, node.state());
        }
        for (PackagedKey a : escrow.keys()) {
            for (PackagedKey b : escrow.keys()) {
                assertTrue(a == b || !a.sameKey(b), "Provisioning Keys must be device-unique (WP-104 3.2)");
            }
        }
        assertFalse(new String(report.toJson()).contains("provisioning-key\""), "the JSON report carries no keys");
    }

    @Test
    void rotationInstallsTheNewRevisionUnderTheProvisioningKey() throws FieldbusException {
        SimulatedMachine machine = SimulatedMachine.create(CanBus.classic(500_000), 3, 0x4000, PROFILE);
        List<PackagedKey> labels = machine.factoryProvision(random);
        commissioner(machine, false).commission(pkg("m1", 1, labels, false), machine.nodeIds());
        SymmetricKeyPackage next = pkg("m1", 2, labels, false);
        CommissioningReport report = commissioner(machine, false).commission(next, machine.nodeIds());
        assertEquals(3, report.count(Status.COMMISSIONED));
        assertEquals(2, report.revision());
        long newId = next.key(KeyRole.INTEGRATOR).orElseThrow().keyId();
        machine.nodes().forEach(n -> assertEquals(newId, n.keyId(KeyRole.INTEGRATOR)));
    }

    @Test
    void aWrongProvisioningKeyIsDetectedByKeyIdBeforeAnyAuthenticatedWrite() throws FieldbusException {
        SimulatedMachine machine = SimulatedMachine.create(CanBus.classic(500_000), 2, 0x5000, PROFILE);
        List<PackagedKey> labels = machine.factoryProvision(random);
        PackagedKey wrong = PackagedKey.provisioning(labels.get(0).nodeSerial().getAsLong(),
                new SecureRandom().generateSeed(16), labels.get(0).keyId() ^ 1);
        CommissioningReport report = commissioner(machine, false).commission(
                pkg("m1", 1, List.of(wrong, labels.get(1)), false), machine.nodeIds());
        NodeResult first = report.nodes().get(0);
        assertEquals(Status.FAILED, first.status());
        assertTrue(first.detail().startsWith("provisioning-key-mismatch"), first.detail());
        assertEquals(0, machine.node(1).failedVerifications(), "no forged write may reach the node");
        assertEquals(KeyId.EMPTY, machine.node(1).keyId(KeyRole.INTEGRATOR));
        assertEquals(Status.COMMISSIONED, report.nodes().get(1).status());
    }

    @Test
    void aNodeMissingFromThePackageOrTheBusIsReported() throws FieldbusException {
        SimulatedMachine machine = SimulatedMachine.create(CanBus.classic(500_000), 2, 0x6000, PROFILE);
        List<PackagedKey> labels = machine.factoryProvision(random);
        CommissioningReport report = commissioner(machine, false).commission(pkg("m1", 1, labels.subList(0, 1),
                false), List.of(1, 2, 3));
        assertEquals(Status.COMMISSIONED, report.nodes().get(0).status());
        assertTrue(report.nodes().get(1).detail().startsWith("no-provisioning-key"));
        assertEquals(Status.ABSENT, report.nodes().get(2).status());
    }

    @Test
    void aLockedSaltSlotIsResetBeforeANewSession() throws FieldbusException {
        SimulatedMachine machine = SimulatedMachine.create(CanBus.classic(500_000), 1, 0x7000, PROFILE);
        List<PackagedKey> labels = machine.factoryProvision(random);
        // someone (an attacker, WP-104 4.4) wrote the salt first this power cycle
        machine.client().download(1, 0x5F03, 0, new SecureRandom().generateSeed(16));
        CommissioningReport report = commissioner(machine, false).commission(pkg("m1", 1, labels, false),
                machine.nodeIds());
        assertEquals(Status.COMMISSIONED, report.nodes().get(0).status(), report.nodes().get(0).detail());
    }

    @Test
    void restoreByProvisioningKeyReturnsTheNodeToUncommissioned() throws FieldbusException {
        SimulatedMachine machine = SimulatedMachine.create(CanBus.classic(500_000), 2, 0x8000, PROFILE);
        List<PackagedKey> labels = machine.factoryProvision(random);
        SymmetricKeyPackage pkg = pkg("m1", 1, labels, true);
        commissioner(machine, false).commission(pkg, machine.nodeIds());
        NodeResult restored = commissioner(machine, false).restore(pkg, 2);
        assertEquals(Status.RESTORED, restored.status(), restored.detail());
        assertEquals(NodeState.UNCOMMISSIONED, machine.node(2).state());
        assertEquals(1, machine.node(2).restoreCount());
        assertEquals(NodeState.OPERATOR, machine.node(1).state());
        // the Provisioning Key is gone with everything else: a second restore by that key cannot be authorised
        NodeResult again = commissioner(machine, false).restore(pkg, 2);
        assertEquals(Status.FAILED, again.status());
        assertTrue(again.detail().startsWith("uncommissioned: the node holds no Provisioning Key"), again.detail());
        // the local action needs no key; the tool verifies its effect over the bus
        assertEquals(Status.FAILED, commissioner(machine, false).checkRestored(1).status());
        machine.node(1).localFactoryRestore();
        NodeResult local = commissioner(machine, false).checkRestored(1);
        assertEquals(Status.RESTORED, local.status(), local.detail());
        assertEquals(KeyId.EMPTY, local.provisioningKeyId());
    }

    @Test
    void stateSurvivesSaveAndLoadLikeFlash() throws Exception {
        SimulatedMachine machine = SimulatedMachine.create(CanBus.classic(500_000), 3, 0x9000, PROFILE);
        List<PackagedKey> labels = machine.factoryProvision(random);
        SymmetricKeyPackage pkg = pkg("m1", 1, labels, false);
        commissioner(machine, false).commission(pkg, machine.nodeIds());
        machine.save(dir);
        SimulatedMachine again = SimulatedMachine.load(CanBus.classic(500_000), dir, PROFILE);
        assertEquals(3, commissioner(again, false).commission(pkg, again.nodeIds()).count(Status.UP_TO_DATE));
    }

    @ParameterizedTest
    @ValueSource(ints = { 32, 48, 64, 128 })
    void everyTagLengthCommissions(int tagBits) throws FieldbusException {
        SessionProfile profile = SessionProfile.of(tagBits, true);
        SimulatedMachine machine = SimulatedMachine.create(CanBus.fd(500_000, 2_000_000), 2, 0xA000, profile);
        List<PackagedKey> labels = machine.factoryProvision(random);
        CommissioningReport report = Commissioner.builder().sdo(machine.client()).profile(profile).build()
                .commission(pkg("m1", 1, labels, false), machine.nodeIds());
        assertEquals(2, report.count(Status.COMMISSIONED));
    }

    @Test
    void aProfileMismatchFailsWithoutCommissioning() throws FieldbusException {
        SimulatedMachine machine = SimulatedMachine.create(CanBus.classic(500_000), 1, 0xB000, PROFILE);
        List<PackagedKey> labels = machine.factoryProvision(random);
        CommissioningReport report = Commissioner.builder().sdo(machine.client())
                .profile(SessionProfile.of(32, true)).build().commission(pkg("m1", 1, labels, false), List.of(1));
        assertEquals(Status.FAILED, report.nodes().get(0).status());
        assertEquals(KeyId.EMPTY, machine.node(1).keyId(KeyRole.INTEGRATOR));
    }

    @Test
    void a127NodeMachineOnCanAndCanFd() throws FieldbusException {
        BusStats can = full(CanBus.classic(500_000));
        BusStats fd = full(CanBus.fd(500_000, 2_000_000));
        assertTrue(fd.busTimeNanos() < can.busTimeNanos(), can + " vs " + fd);
        assertTrue(can.minimumBusTimeNanos() < can.busTimeNanos());
        assertEquals(can.payloadBytes(), fd.payloadBytes());
    }

    private BusStats full(CanBus bus) throws FieldbusException {
        SimulatedMachine machine = SimulatedMachine.create(bus, 127, 0xC000, PROFILE);
        List<PackagedKey> labels = machine.factoryProvision(random);
        bus.resetStats();
        CommissioningReport report = commissioner(machine, false).commission(pkg("m1", 1, labels, false),
                machine.nodeIds());
        assertEquals(127, report.count(Status.COMMISSIONED), report.toString());
        return bus.stats();
    }
}
