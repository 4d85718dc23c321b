package org.brski.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.brski.pki.PkiException;
import org.brski.cli.fieldbus.BusOptions;
import org.brski.cli.fieldbus.CommissioningOutput;
import org.brski.cli.fieldbus.FieldbusSession;
import org.brski.fieldbus.machine.SimulatedMachine;
import org.brski.pki.TestPki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brski demo}: a whole BRSKI domain on this machine. Generates (or reuses) a test PKI, starts a MASA and a
 * registrar on 127.0.0.1, registers the pledges at the MASA and trusts their manufacturer at the registrar, onboards
 * the pledges concurrently (RFC 8995 section 5: voucher-request, voucher, voucher_status, EST enrollment,
 * enrollstatus) and prints a summary. Exit code 0 only when every pledge onboarded; 1 otherwise; 2 for bad input.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a complete BRSKI domain locally: test PKI, MASA, registrar and N pledges.",
            "The pledges onboard concurrently; prints a summary table and where the state lives. A second run in"
                    + " the same --dir reuses the PKI and the databases (the audit log grows); --fresh starts over."})
public final class DemoCommand implements Callable<Integer> {
    /** Most pledges one demo onboards. */
    static final int MAX_PLEDGES = 200;
    private static final int MAX_THREADS = 8;

    @Spec
    CommandSpec spec;

    @Mixin
    ServiceOptions serviceOptions;

    @Option(names = "--pledges", defaultValue = "5", paramLabel = "N",
            description = "Pledges to onboard concurrently (default: ${DEFAULT-VALUE}).")
    int pledges;

    @Option(names = "--dir", defaultValue = "brski-demo", paramLabel = "DIR",
            description = "Working directory for the PKI, databases and pledge states (default: ./${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--fresh", description = "Delete the PKI, databases and pledge states of an earlier run first.")
    boolean fresh;

    @Option(names = "--keep-running",
            description = "Leave the MASA and registrar up afterwards and print commands to try (Ctrl-C stops).")
    boolean keepRunning;

    @Option(names = "--masa-port", defaultValue = "0", paramLabel = "PORT",
            description = "MASA port (default: chosen by the OS).")
    int masaPort;

    @Option(names = "--registrar-port", defaultValue = "0", paramLabel = "PORT",
            description = "Registrar port (default: chosen by the OS).")
    int registrarPort;





    @Option(names = "--fieldbus-nodes", defaultValue = "127", paramLabel = "N",
            description = "Then commission a simulated CANopen machine of N nodes (0: none) behind the first pledge:"
                    + " key package from the registrar, Integrator Key on every node (EmSA WP-104; default:"
                    + " ${DEFAULT-VALUE}).")
    int fieldbusNodes;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|bar|lines",
            description = "Progress display: a bar on a terminal, else lines (default: ${DEFAULT-VALUE}).")
    String progressMode;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String input = checkInput();
        if (input != null) {
            err.println("brski demo: " + input);
            return 2;
        }
        serviceOptions.applyLogging();
        long started = System.nanoTime();
        Workspace ws = new Workspace(dir);
        TestPki pki;
        try {
            if (fresh) {
                ws.clean();
            }
            Workspace.Prepared prepared = ws.preparePki(pledges);
            pki = prepared.pki();
            out.println((prepared.created() ? "generated" : "reusing") + " the test PKI in "
                    + Workspace.show(ws.pkiDir()) + " (RFC 8995 2.5): manufacturer CA, MASA signer and TLS, domain CA,"
                    + " registrar (id-kp-cmcRA), " + pki.serials().size() + " pledge IDevID(s)");
        } catch (PkiException | IOException e) {
            err.println("brski demo: " + e.getMessage());
            return 1;
        }
        List<String> serials = pki.serials().subList(0, pledges);
        DemoServices.Databases databases = databases(ws);
        DemoServices services;
        try {
            services = DemoServices.start(pki, ws.dir(), databases, masaPort, registrarPort,
                    FieldbusSession.keyStore(ws));
        } catch (DemoException e) {
            err.println("brski demo: " + e.getMessage());
            return 1;
        }
        boolean keep = false;
        try {
            out.println("MASA       listening on " + services.masaUri() + "  (RFC 8995 5.5: vouchers, 5.8: audit log)");
            out.println("registrar  listening on " + services.registrarUri() + "  (RFC 8995 5.1-5.9, EST RFC 7030)");
            int added = services.register(pki, serials);
            out.println("MASA: " + serials.size() + " pledge(s) registered (" + added + " new); registrar: trusts '"
                    + DemoServices.MANUFACTURER + "', MASA at " + services.masaBase());
            out.println("onboarding " + serials.size() + " pledge(s) concurrently...");
            out.flush();
            long batch = System.nanoTime();
            List<PledgeOutcome> outcomes = onboard(pki, serials, ws, services, out);
            Duration batchTime = Duration.ofNanos(System.nanoTime() - batch);
            long failed = outcomes.stream().filter(o -> !o.succeeded()).count();
            out.println();
            Summary.table(out, outcomes);
            out.println();
            out.printf(Locale.ROOT, "%d of %d pledge(s) onboarded in %s (total %s)%n", outcomes.size() - failed,
                    outcomes.size(), Summary.seconds(batchTime), Summary.seconds(Duration.ofNanos(
                            System.nanoTime() - started)));
            if (failed > 0) {
                DemoState.print(out, ws, services, serials, databases);
                err.println("brski demo: " + failed + " pledge(s) did not onboard; services stopped");
                return 1;
            }
            boolean machineOk = fieldbusNodes == 0 || commission(pki, ws, services, out);
            DemoState.print(out, ws, services, serials, databases);
            if (!machineOk) {
                err.println("brski demo: not every fieldbus node was commissioned; services stopped");
                return 1;
            }
            if (keepRunning) {
                keep = true;
                NextSteps.print(out, ws, services.registrarUri(), services.masaUri(), serials.get(0),
                        serviceOptions.databaseUrl().isEmpty() ? databases.registrar().url() : "YOUR_DATABASE_URL");
                return waitForShutdown(services);
            }
            return 0;
        } catch (DemoException e) {
            err.println("brski demo: " + e.getMessage());
            return 1;
        } finally {
            if (!keep) {
                services.close();
            }
        }
    }

    /** The fieldbus step: the first pledge is the machine controller (issue 8, EmSA WP-104). */
    private boolean commission(TestPki pki, Workspace ws, DemoServices services, PrintWriter out)
            throws DemoException {
        out.println();
        out.println("fieldbus: " + pki.serials().get(0) + " is the controller of " + FieldbusSession.MACHINE
                + " with " + fieldbusNodes + " CANopen node(s) (EmSA WP-104 key provisioning)");
        FieldbusSession session = FieldbusSession.open(ws, pki, services, pki.serials().get(0), out);
        BusOptions bus = BusOptions.defaults();
        FieldbusSession.Outcome outcome = session.commission(FieldbusSession.MACHINE, fieldbusNodes, bus, false,
                false);
        CommissioningOutput.print(out, outcome);
        out.println();
        return outcome.report().allOk();
    }

    private String checkInput() {
        if (pledges < 1 || pledges > MAX_PLEDGES) {
            return "--pledges must be between 1 and " + MAX_PLEDGES;
        }
        if (masaPort < 0 || masaPort > 65535 || registrarPort < 0 || registrarPort > 65535) {
            return "ports must be between 0 and 65535";
        }
        if (fieldbusNodes < 0 || fieldbusNodes > SimulatedMachine.MAX_NODES) {
            return "--fieldbus-nodes must be between 0 and " + SimulatedMachine.MAX_NODES;
        }
        if (serviceOptions.problem().isPresent()) {
            return serviceOptions.problem().get();
        }
        if (!List.of("auto", "bar", "lines").contains(progressMode)) {
            return "--progress must be auto, bar or lines";
        }
        return null;
    }

    private DemoServices.Databases databases(Workspace ws) {
        return DemoServices.Databases.of(ws, serviceOptions);
    }

    /** Onboards every pledge on a small pool; the outcomes come back in serial order. */
    private List<PledgeOutcome> onboard(TestPki pki, List<String> serials, Workspace ws, DemoServices services,
            PrintWriter out) throws DemoException {
        boolean terminal = progressMode.equals("bar") || (progressMode.equals("auto") && System.console() != null);
        Progress progress = Progress.of(out, serials.size(), terminal);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(serials.size(), MAX_THREADS));
        try {
            List<Future<PledgeOutcome>> futures = new ArrayList<>();
            for (String serial : serials) {
                futures.add(pool.submit(new PledgeRun(serial, pki.pledge(serial), pki.manufacturerCa(),
                        services.registrarUri(), ws, progress)));
            }
            List<PledgeOutcome> outcomes = new ArrayList<>();
            for (Future<PledgeOutcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted while onboarding", e);
        } catch (ExecutionException e) {
            throw new DemoException("a pledge thread failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            progress.close();
        }
    }

    /** Blocks until Ctrl-C (or another shutdown), then closes the services from the shutdown hook. */
    private static int waitForShutdown(DemoServices services) {
        Thread hook = new Thread(services::close, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            services.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                services.close();
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook closes the services
            }
        }
        return 0;
    }
}
