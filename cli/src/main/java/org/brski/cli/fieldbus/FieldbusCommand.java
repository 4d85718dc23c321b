package org.brski.cli.fieldbus;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import org.brski.cli.demo.DemoException;
import org.brski.cli.demo.DemoServices;
import org.brski.cli.demo.ServiceOptions;
import org.brski.cli.demo.Workspace;
import org.brski.fieldbus.machine.SimulatedMachine;
import org.brski.pki.PkiException;
import org.brski.pki.TestPki;
import org.brski.pledge.fieldbus.NodeResult;
import org.brski.registrar.fieldbus.FileDomainKeyStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brski fieldbus}: EmSA WP-104 key provisioning of a simulated machine behind a BRSKI-onboarded controller —
 * commission, rotate, restore. Each command runs the domain (MASA, registrar with its fieldbus key service) in this
 * process on the workspace of {@code brski demo}.
 */
@Command(name = "fieldbus", mixinStandardHelpOptions = true,
        description = "EmSA WP-104 fieldbus key provisioning on a simulated CANopen machine: the BRSKI-onboarded"
            + " controller fetches its machine's key package and installs the Integrator Key on every node.",
        subcommands = {FieldbusCommand.Commission.class, FieldbusCommand.Rotate.class, FieldbusCommand.Restore.class})
public final class FieldbusCommand {
    private static final Pattern MACHINE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Options every subcommand has. */
    static final class Common {
        @Option(names = "--dir", defaultValue = "brski-demo", paramLabel = "DIR",
                description = "Workspace (PKI, databases, controller state, node memories), shared with brski demo"
                        + " (default: ./${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--machine", defaultValue = FieldbusSession.MACHINE, paramLabel = "ID",
                description = "Machine identifier at the domain key service (default: ${DEFAULT-VALUE}).")
        String machine;

        @Mixin
        BusOptions bus;

        @Mixin
        ServiceOptions services;

        Optional<String> problem() {
            if (!MACHINE_ID.matcher(machine).matches()) {
                return Optional.of("--machine must be 1-64 letters, digits, '.', '_' or '-'");
            }
            return bus.problem().or(services::problem);
        }
    }

    /** The skeleton of every subcommand: validate, open the workspace and the domain, run, report. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        abstract String name();

        Optional<String> problem() {
            return common.problem();
        }

        abstract int run(FieldbusSession session, PrintWriter out) throws DemoException, IOException;

        @Override
        public final Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<String> problem = problem();
            if (problem.isPresent()) {
                err.println("brski fieldbus " + name() + ": " + problem.get());
                return 2;
            }
            common.services.applyLogging();
            Workspace ws = new Workspace(common.dir);
            try {
                prepare(ws);
                TestPki pki = ws.preparePki(1).pki();
                FileDomainKeyStore keys = FieldbusSession.keyStore(ws);
                try (DemoServices services = DemoServices.start(pki, ws.dir(), DemoServices.Databases.of(ws,
                        common.services), 0, 0, keys)) {
                    services.register(pki, pki.serials().subList(0, 1));
                    FieldbusSession session = FieldbusSession.open(ws, pki, services, pki.serials().get(0), out);
                    return run(session, out);
                }
            } catch (DemoException | PkiException | IOException e) {
                err.println("brski fieldbus " + name() + ": " + e.getMessage());
                return 1;
            }
        }

        /** Work before the domain starts (e.g. --fresh). */
        void prepare(Workspace ws) throws DemoException, IOException {
        }

        /** For commands on an existing machine: refuse before anything is onboarded or written in the workspace. */
        void requireMachine(Workspace ws) throws DemoException {
            Path dir = ws.fieldbusDir().resolve(common.machine);
            if (!SimulatedMachine.exists(dir)) {
                throw new DemoException("no simulated machine in " + Workspace.show(dir)
                        + "; run 'brski fieldbus commission' first");
            }
        }

        int finish(FieldbusSession.Outcome outcome, PrintWriter out) throws IOException {
            CommissioningOutput.print(out, outcome);
            if (common.bus.json != null) {
                CommissioningOutput.writeJson(common.bus.json, outcome);
                out.println("figures written to " + common.bus.json);
            }
            return outcome.report().allOk() ? 0 : 1;
        }
    }

    /** {@code brski fieldbus commission}. */
    @Command(name = "commission", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Onboard the controller by BRSKI (first run), fetch the machine's key package and commission"
                    + " N simulated nodes: Provisioning Key where needed, Integrator Key, read-back, session check."
                    + " Prints frames, bytes and bus time with the theoretical minimum for the same payload.")
    static final class Commission extends Base {
        @Option(names = "--nodes", defaultValue = "127", paramLabel = "N",
                description = "Nodes on the machine's bus, 1..127 (default: ${DEFAULT-VALUE}); used when the machine"
                        + " is created.")
        int nodes;

        @Option(names = "--isolated-bench",
                description = "Nodes arrive uncommissioned and this is an isolated commissioning bench: generate and"
                        + " install their Provisioning Keys, then escrow them (EmSA WP-104 3.1, 3.2). Default: nodes"
                        + " come with factory Provisioning Keys and a label file.")
        boolean isolatedBench;

        @Option(names = "--operator-key", description = "The machine also uses an Operator Key (WP-104 3.4).")
        boolean operatorKey;

        @Option(names = "--fresh", description = "Forget the machine's node memories of an earlier run first.")
        boolean fresh;

        @Override
        String name() {
            return "commission";
        }

        @Override
        Optional<String> problem() {
            if (nodes < 1 || nodes > SimulatedMachine.MAX_NODES) {
                return Optional.of("--nodes must be 1.." + SimulatedMachine.MAX_NODES + " (CANopen node ids)");
            }
            return super.problem();
        }

        @Override
        void prepare(Workspace ws) throws IOException {
            if (fresh) {
                SimulatedMachine.delete(ws.fieldbusDir().resolve(common.machine));
            }
        }

        @Override
        int run(FieldbusSession session, PrintWriter out) throws DemoException, IOException {
            return finish(session.commission(common.machine, nodes, common.bus, isolatedBench, operatorKey), out);
        }
    }

    /** {@code brski fieldbus rotate}. */
    @Command(name = "rotate", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Rotate the machine's keys at the domain key service (new revision) and install the new"
                    + " Integrator Key on every node under its Provisioning Key (EmSA WP-104 3.3).")
    static final class Rotate extends Base {
        @Override
        String name() {
            return "rotate";
        }

        @Override
        void prepare(Workspace ws) throws DemoException {
            requireMachine(ws);
        }

        @Override
        int run(FieldbusSession session, PrintWriter out) throws DemoException, IOException {
            return finish(session.rotate(common.machine, common.bus), out);
        }
    }

    /** {@code brski fieldbus restore}. */
    @Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Factory restore one node (EmSA WP-104 3.6): by the remote command authenticated with its"
                    + " Provisioning Key, or with --local by the local action (reset button held 10 s / jumper).")
    static final class Restore extends Base {
        @Option(names = "--node", required = true, paramLabel = "ID", description = "Node id, 1..127.")
        int node;

        @Option(names = "--local", description = "The local action instead of the authenticated remote command.")
        boolean local;

        @Override
        String name() {
            return "restore";
        }

        @Override
        void prepare(Workspace ws) throws DemoException {
            requireMachine(ws);
        }

        @Override
        Optional<String> problem() {
            if (node < 1 || node > SimulatedMachine.MAX_NODES) {
                return Optional.of("--node must be 1.." + SimulatedMachine.MAX_NODES);
            }
            return super.problem();
        }

        @Override
        int run(FieldbusSession session, PrintWriter out) throws DemoException {
            NodeResult result = session.restore(common.machine, node, common.bus, local);
            out.println("node " + node + ": " + result.status().label() + (result.detail().isEmpty() ? ""
                    : " (" + result.detail() + ")"));
            if (result.ok()) {
                out.println("the node is uncommissioned again: every key and Key ID erased, restore counter kept;"
                        + " commission it on an isolated bench (--isolated-bench) to give it a new Provisioning Key");
            }
            return result.ok() ? 0 : 1;
        }
    }
}
