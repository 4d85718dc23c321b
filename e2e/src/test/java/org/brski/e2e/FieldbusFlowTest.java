package org.brski.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import org.brski.cli.demo.DemoServices;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.BusStats;
import org.brski.fieldbus.canopen.CanBus;
import org.brski.fieldbus.keys.PackagedKey;
import org.brski.fieldbus.keys.SymmetricKeyPackage;
import org.brski.fieldbus.machine.SimulatedMachine;
import org.brski.fieldbus.node.FieldbusNode;
import org.brski.fieldbus.node.NodeState;
import org.brski.fieldbus.node.SessionProfile;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pledge.OnboardingResult;
import org.brski.pledge.Pledge;
import org.brski.pledge.PledgeException;
import org.brski.pledge.PledgeOptions;
import org.brski.pledge.fieldbus.Commissioner;
import org.brski.pledge.fieldbus.CommissioningReport;
import org.brski.pledge.fieldbus.DomainKeyClient;
import org.brski.pledge.fieldbus.NodeResult.Status;
import org.brski.registrar.fieldbus.FieldbusAdmin;
import org.brski.registrar.fieldbus.FileDomainKeyStore;
import org.brski.registrar.fieldbus.MachineStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 end to end in this JVM: a controller onboards by BRSKI (MASA voucher, EST LDevID), fetches its machine's key
 * package from the registrar's fieldbus key service over LDevID TLS, commissions 127 simulated CANopen nodes, reports
 * what they hold; then a rotation, a bench-commissioned replacement node with Provisioning Key escrow, and the
 * refusals a foreign device meets.
 */
class FieldbusFlowTest {
    private static final SessionProfile PROFILE = SessionProfile.defaults();

    @TempDir
    Path dir;

    @Test
    void controllerCommissions127NodesThenRotatesAndReplacesOne() throws Exception {
        TestPki pki = TestPki.builder().pledges(2).build();
        String controllerSerial = pki.serials().get(0);
        String otherSerial = pki.serials().get(1);
        FileDomainKeyStore keys = FileDomainKeyStore.create(dir.resolve("master.p12"), "secret-pass".toCharArray());
        try (DemoServices domain = DemoServices.start(pki, dir, DemoServices.Databases.h2Memory(), 0, 0, keys)) {
            domain.register(pki, pki.serials());
            FieldbusAdmin admin = domain.registrar().registrar().fieldbus().orElseThrow().admin();
            admin.addMachine("press-1", List.of(controllerSerial), false);
            OnboardingResult controller = onboard(pki, controllerSerial, domain);
            OnboardingResult other = onboard(pki, otherSerial, domain);

            SecureRandom random = new SecureRandom();
            SimulatedMachine machine = SimulatedMachine.create(CanBus.classic(500_000), 127, 0x4E000000L, PROFILE);
            List<PackagedKey> labels = machine.factoryProvision(random);
            admin.importLabels("press-1", SimulatedMachine.labelFile(labels).getBytes(StandardCharsets.US_ASCII));

            SymmetricKeyPackage pkg;
            try (DomainKeyClient client = DomainKeyClient.open(controller, PledgeOptions.defaults())) {
                pkg = client.keyPackage();
                assertEquals("press-1", pkg.machineId());
                assertEquals(128, pkg.keys().size(), "the Integrator Key and 127 Provisioning Keys");
                machine.bus().resetStats();
                CommissioningReport report = commissioner(machine, false).commission(pkg, machine.nodeIds());
                assertEquals(127, report.count(Status.COMMISSIONED), report.toString());
                client.report(report);
            }
            long ik1 = pkg.key(KeyRole.INTEGRATOR).orElseThrow().keyId();
            for (FieldbusNode node : machine.nodes()) {
                assertEquals(ik1, node.keyId(KeyRole.INTEGRATOR));
            }
            BusStats stats = machine.bus().stats();
            assertTrue(stats.busTimeNanos() > stats.minimumBusTimeNanos(), stats.toString());
            MachineStatus status = admin.status("press-1");
            assertEquals(127, status.nodes().size());
            assertTrue(status.nodes().stream().noneMatch(n -> n.stale()), "every node reported the current key");

            // a device that is no controller of the machine gets nothing
            try (DomainKeyClient client = DomainKeyClient.open(other, PledgeOptions.defaults())) {
                PledgeException refused = assertThrows(PledgeException.class, client::keyPackage);
                assertTrue(refused.getMessage().contains("403"), refused.getMessage());
            }

            // rotation: the domain moves to revision 2, every node is stale until it reports the new key
            admin.rotate("press-1");
            assertTrue(admin.status("press-1").nodes().stream().allMatch(n -> n.stale()));
            try (DomainKeyClient client = DomainKeyClient.open(controller, PledgeOptions.defaults())) {
                SymmetricKeyPackage rotated = client.keyPackage();
                assertEquals(2, rotated.key(KeyRole.INTEGRATOR).orElseThrow().revision());
                CommissioningReport report = commissioner(machine, false).commission(rotated, machine.nodeIds());
                assertEquals(127, report.count(Status.COMMISSIONED));
                client.report(report);
                long ik2 = rotated.key(KeyRole.INTEGRATOR).orElseThrow().keyId();
                machine.nodes().forEach(n -> assertEquals(ik2, n.keyId(KeyRole.INTEGRATOR)));
                assertFalse(ik1 == ik2);
            }
            assertTrue(admin.status("press-1").nodes().stream().noneMatch(n -> n.stale()));

            // node 9 is restored by its owner and recommissioned on an isolated bench: its new Provisioning Key is
            // escrowed, replaces the label key at the domain, and is in the next package
            machine.node(9).localFactoryRestore();
            assertEquals(NodeState.UNCOMMISSIONED, machine.node(9).state());
            try (DomainKeyClient client = DomainKeyClient.open(controller, PledgeOptions.defaults())) {
                CommissioningReport report = commissioner(machine, true).commission(client.keyPackage(),
                        machine.nodeIds());
                assertEquals(1, report.count(Status.COMMISSIONED));
                assertEquals(126, report.count(Status.UP_TO_DATE));
                try (DomainKeyClient fresh = DomainKeyClient.open(controller, PledgeOptions.defaults())) {
                    // escrow as the first exchange of a connection: enveloped to the registrar it then talks to
                    fresh.escrow(report.generatedProvisioningKeys().orElseThrow());
                }
                client.report(report);
                long serial9 = machine.node(9).config().serialNumber();
                PackagedKey escrowed = client.keyPackage().provisioningKey(serial9).orElseThrow();
                assertEquals(machine.node(9).keyId(KeyRole.PROVISIONING), escrowed.keyId());
                assertTrue(escrowed.sameKey(report.generatedProvisioningKeys().get().provisioningKey(serial9)
                        .orElseThrow()));
            }
        }
    }

    private static Commissioner commissioner(SimulatedMachine machine, boolean bench) {
        return Commissioner.builder().sdo(machine.client()).profile(PROFILE).isolatedBench(bench).build();
    }

    private static OnboardingResult onboard(TestPki pki, String serial, DemoServices domain) throws PledgeException {
        HeldCertificate idevid = pki.pledge(serial);
        return Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                .masaAnchors(List.of(pki.manufacturerCa().certificate())).options(PledgeOptions.defaults()).build()
                .onboard(domain.registrarUri());
    }
}
