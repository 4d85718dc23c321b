package org.brski.cli.fieldbus;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.brski.cli.demo.DemoException;
import org.brski.cli.demo.DemoServices;
import org.brski.cli.demo.Workspace;
import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.canopen.BusStats;
import org.brski.fieldbus.canopen.CanBus;
import org.brski.fieldbus.keys.PackagedKey;
import org.brski.fieldbus.keys.SymmetricKeyPackage;
import org.brski.fieldbus.machine.SimulatedMachine;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.Crypto;
import org.brski.pledge.OnboardingResult;
import org.brski.pledge.Pledge;
import org.brski.pledge.PledgeException;
import org.brski.pledge.PledgeOptions;
import org.brski.pledge.fieldbus.Commissioner;
import org.brski.pledge.fieldbus.CommissioningReport;
import org.brski.pledge.fieldbus.DomainKeyClient;
import org.brski.pledge.fieldbus.NodeResult;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.fieldbus.FieldbusAdmin;
import org.brski.registrar.fieldbus.FileDomainKeyStore;

/**
 * A machine controller and its simulated fieldbus segment in a workspace whose domain (MASA and registrar with the
 * fieldbus key service) runs in this process — the whole of issue 8 end to end: the controller (pledge
 * {@code BRSKI-0001}) onboards by BRSKI once and keeps its LDevID in the workspace; each run fetches the machine's key
 * package over TLS with that LDevID, commissions the nodes over CANopen SDO, escrows bench-generated Provisioning Keys
 * and reports the Key IDs the nodes hold; the nodes' memories persist in {@code DIR/fieldbus/MACHINE/}.
 */
public final class FieldbusSession {
    /** Default machine identifier. */
    public static final String MACHINE = "machine-1";
    /** Serial numbers of simulated node {@code i}: {@code SERIAL_BASE + i}. */
    static final long SERIAL_BASE = 0x4E000000L;
    private static final String KEY_STORE = "master.p12";
    private static final String KEY_STORE_PASSWORD = "master.pass";

    private final Workspace ws;
    private final DemoServices services;
    private final OnboardingResult controller;
    private final String controllerSerial;
    private final PrintWriter out;
    private final SecureRandom random = Crypto.newSecureRandom();

    private FieldbusSession(Workspace ws, DemoServices services, OnboardingResult controller, String controllerSerial,
            PrintWriter out) {
        this.ws = ws;
        this.services = services;
        this.controller = controller;
        this.controllerSerial = controllerSerial;
        this.out = out;
    }

    /**
     * The domain master key store of the workspace ({@code DIR/fieldbus/master.p12}), created with a random password
     * (in {@code master.pass}, mode 0600) on first use.
     */
    public static FileDomainKeyStore keyStore(Workspace ws) throws DemoException {
        Path dir = ws.fieldbusDir();
        Path store = dir.resolve(KEY_STORE);
        Path password = dir.resolve(KEY_STORE_PASSWORD);
        try {
            if (!Files.exists(store)) {
                Files.createDirectories(dir);
                byte[] secret = new byte[24];
                new SecureRandom().nextBytes(secret);
                writePrivate(password, HexFormat.of().formatHex(secret).getBytes(StandardCharsets.US_ASCII));
                return FileDomainKeyStore.create(store, FileDomainKeyStore.readPassword(password));
            }
            return FileDomainKeyStore.load(store, FileDomainKeyStore.readPassword(password));
        } catch (IOException | FieldbusException e) {
            throw new DemoException("the fieldbus domain key store in " + Workspace.show(dir) + " is unusable: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The session of a workspace whose services run: the controller's saved onboarding state, or a BRSKI onboarding
     * of pledge {@code controllerSerial} now (saved for later runs).
     */
    public static FieldbusSession open(Workspace ws, TestPki pki, DemoServices services, String controllerSerial,
            PrintWriter out) throws DemoException {
        Path state = ws.pledgeState(controllerSerial);
        OnboardingResult controller;
        try {
            if (Files.isDirectory(state)) {
                controller = OnboardingResult.load(state);
                out.println("controller " + controllerSerial + ": onboarded, LDevID in " + Workspace.show(state));
            } else {
                HeldCertificate idevid = pki.pledge(controllerSerial);
                controller = Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                        .masaAnchors(List.of(pki.manufacturerCa().certificate()))
                        .options(PledgeOptions.builder().exchangeTimeout(Duration.ofSeconds(30)).build()).build()
                        .onboard(services.registrarUri());
                controller.save(state);
                out.println("controller " + controllerSerial + ": onboarded by BRSKI (voucher, LDevID by EST)");
            }
        } catch (PledgeException e) {
            throw new DemoException("the machine controller " + controllerSerial + " could not onboard: "
                    + e.getMessage(), e);
        }
        return new FieldbusSession(ws, services, controller, controllerSerial, out);
    }

    /** What one commissioning run did and what it cost on the bus. */
    public record Outcome(CommissioningReport report, BusStats stats, String bus, int tagBits) {
    }

    /**
     * Commissions the machine: creates it (nodes fresh from the factory, their label file imported, or uncommissioned
     * for the isolated bench) on its first run, otherwise loads it; fetches the key package; commissions; escrows;
     * reports; saves the nodes.
     */
    public Outcome commission(String machineId, int nodes, BusOptions options, boolean isolatedBench,
            boolean operatorKey) throws DemoException {
        FieldbusAdmin admin = admin();
        ensureMachine(admin, machineId, operatorKey);
        CanBus bus = options.newBus();
        Path dir = machineDir(machineId);
        SimulatedMachine machine;
        try {
            if (SimulatedMachine.exists(dir)) {
                machine = SimulatedMachine.load(bus, dir, options.profile());
                out.println("machine " + machineId + ": " + machine.nodes().size() + " node(s) from "
                        + Workspace.show(dir));
            } else {
                machine = SimulatedMachine.create(bus, nodes, SERIAL_BASE, options.profile());
                if (isolatedBench) {
                    out.println("machine " + machineId + ": " + nodes + " uncommissioned node(s) on an isolated"
                            + " commissioning bench (EmSA WP-104 3.1)");
                } else {
                    // the manufacturer's label data (WP-104 3.2, out of band): imported into the domain key
                    // service, where Provisioning Keys are kept wrapped; the clear copy is not kept
                    List<PackagedKey> labels = machine.factoryProvision(random);
                    int imported = admin.importLabels(machineId, SimulatedMachine.labelFile(labels)
                            .getBytes(StandardCharsets.US_ASCII));
                    out.println("machine " + machineId + ": " + nodes + " node(s) with factory Provisioning Keys;"
                            + " their label data (" + imported + " keys) imported by the registrar (WP-104 3.2)");
                }
            }
        } catch (FieldbusException | RegistrarException e) {
            throw new DemoException("preparing machine " + machineId + " failed: " + e.getMessage(), e);
        }
        return run(machine, machineId, options, isolatedBench);
    }

    /** A new key revision for the machine at the registrar (WP-104 3.3), then a commissioning run installing it. */
    public Outcome rotate(String machineId, BusOptions options) throws DemoException {
        // the nodes first: a rotation the nodes cannot follow would leave every node stale at the domain
        SimulatedMachine machine = load(machineId, options);
        try {
            int revision = admin().rotate(machineId).revision();
            out.println("registrar: machine " + machineId + " rotated to key revision " + revision);
        } catch (RegistrarException e) {
            throw new DemoException("rotating machine " + machineId + " failed: " + e.getMessage(), e);
        }
        return run(machine, machineId, options, false);
    }

    /**
     * Factory restore of one node (WP-104 3.6): by the authenticated remote command under its Provisioning Key from
     * the key package, or by the local action (button held 10 s or jumper) when {@code local}.
     */
    public NodeResult restore(String machineId, int nodeId, BusOptions options, boolean local) throws DemoException {
        SimulatedMachine machine = load(machineId, options);
        if (!machine.nodeIds().contains(nodeId)) {
            throw new DemoException("machine " + machineId + " has no node " + nodeId + " (nodes 1.."
                    + machine.nodes().size() + ")");
        }
        NodeResult result;
        Commissioner commissioner = commissioner(machine, options, false);
        if (local) {
            machine.node(nodeId).localFactoryRestore();
            result = commissioner.checkRestored(nodeId);
        } else {
            result = commissioner.restore(keyPackage(), nodeId);
        }
        save(machine, machineId);
        return result;
    }

    private Outcome run(SimulatedMachine machine, String machineId, BusOptions options, boolean isolatedBench)
            throws DemoException {
        if (options.frames) {
            machine.bus().onFrame(frame -> out.println("  " + frame));
        }
        try (DomainKeyClient client = DomainKeyClient.open(controller, services.registrarUri(),
                PledgeOptions.defaults())) {
            SymmetricKeyPackage pkg = client.keyPackage();
            if (!pkg.machineId().equals(machineId)) {
                throw new DemoException("the registrar sent the key package of machine " + pkg.machineId()
                        + ", not of " + machineId + ": this controller serves another machine");
            }
            out.println("key package: machine " + pkg.machineId() + ", " + pkg.keys().size() + " key(s) (RFC 6031,"
                    + " CMS EnvelopedData to the controller's LDevID)");
            machine.bus().resetStats();
            CommissioningReport report;
            try {
                report = commissioner(machine, options, isolatedBench).commission(pkg, machine.nodeIds());
            } catch (FieldbusException e) {
                throw new DemoException("commissioning failed: " + e.getMessage(), e);
            }
            BusStats stats = machine.bus().stats();
            save(machine, machineId);
            if (report.generatedProvisioningKeys().isPresent()) {
                client.escrow(report.generatedProvisioningKeys().get());
                out.println("escrowed " + report.generatedProvisioningKeys().get().keys().size() + " bench-generated"
                        + " Provisioning Key(s) to the domain key service (enveloped to the registrar)");
            }
            if (report.nodes().stream().anyMatch(n -> n.status() != NodeResult.Status.ABSENT)) {
                client.report(report);
            }
            return new Outcome(report, stats, options.describe(), options.tagBits);
        } catch (PledgeException e) {
            throw new DemoException("talking to the domain key service failed: " + e.getMessage(), e);
        }
    }

    private Commissioner commissioner(SimulatedMachine machine, BusOptions options, boolean isolatedBench) {
        return Commissioner.builder().sdo(machine.client()).profile(options.profile()).isolatedBench(isolatedBench)
                .random(random).build();
    }

    private SymmetricKeyPackage keyPackage() throws DemoException {
        try (DomainKeyClient client = DomainKeyClient.open(controller, services.registrarUri(), PledgeOptions.defaults())) {
            return client.keyPackage();
        } catch (PledgeException e) {
            throw new DemoException("fetching the key package failed: " + e.getMessage(), e);
        }
    }

    private SimulatedMachine load(String machineId, BusOptions options) throws DemoException {
        Path dir = machineDir(machineId);
        if (!SimulatedMachine.exists(dir)) {
            throw new DemoException("no simulated machine in " + dir + "; run 'brski fieldbus commission' first");
        }
        try {
            return SimulatedMachine.load(options.newBus(), dir, options.profile());
        } catch (FieldbusException e) {
            // a damaged machine: commissioning would refuse it too (--fresh forgets the node memories)
            throw new DemoException("machine " + machineId + ": " + e.getMessage(), e);
        }
    }

    private void save(SimulatedMachine machine, String machineId) throws DemoException {
        try {
            machine.save(machineDir(machineId));
        } catch (IOException e) {
            throw new DemoException("saving the nodes' memories failed: " + e.getMessage(), e);
        }
    }

    private void ensureMachine(FieldbusAdmin admin, String machineId, boolean operatorKey) throws DemoException {
        try {
            if (admin.machines().stream().noneMatch(m -> m.id().equals(machineId))) {
                admin.addMachine(machineId, List.of(controllerSerial), operatorKey);
                out.println("registrar: machine " + machineId + " added, controller " + controllerSerial
                        + (operatorKey ? ", with an Operator Key" : ""));
            }
        } catch (RegistrarException e) {
            throw new DemoException("registering machine " + machineId + " failed: " + e.getMessage(), e);
        }
    }

    private FieldbusAdmin admin() throws DemoException {
        return services.registrar().registrar().fieldbus().orElseThrow(() -> new DemoException(
                "the registrar runs without its fieldbus key service")).admin();
    }

    private Path machineDir(String machineId) {
        return ws.fieldbusDir().resolve(Objects.requireNonNull(machineId, "machineId"));
    }

    private static void writePrivate(Path file, byte[] bytes) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.write(file, bytes);
    }
}
