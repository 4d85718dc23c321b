package org.brski.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.brski.cli.demo.DemoException;
import org.brski.cli.demo.DemoServices;
import org.brski.cli.demo.ServiceOptions;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.TlsProvider;
import org.brski.server.db.DatabaseConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brski bench}: onboarding throughput and latency of this implementation on this machine. Starts a MASA and a
 * registrar in process ({@link DemoServices}: H2 files in a temporary directory, or {@code --database} PostgreSQL),
 * generates the pledges' IDevIDs (setup, not measured), onboards {@code --warmup} pledges unmeasured, then
 * {@code --pledges} measured ones with {@code --concurrency} threads, each with the pledge library over real TLS on
 * 127.0.0.1. Reports throughput, latency percentiles of the whole onboarding and of its phases, process CPU per
 * onboarding, and failures. Exit code 0 only when every measured onboarding succeeded; 1 otherwise; 2 for bad input.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark onboarding against a MASA and a registrar in this process.",
            "N pledges with C threads after a warm-up; prints throughput, latency p50/p95/p99/max (whole and per"
                    + " phase) and CPU per onboarding."})
public final class BenchCommand implements Callable<Integer> {
    /** Most pledges one run onboards (each needs an IDevID generated up front). */
    static final int MAX_PLEDGES = 100_000;

    @Spec
    CommandSpec spec;

    @Mixin
    ServiceOptions serviceOptions;

    @Option(names = "--pledges", defaultValue = "200", paramLabel = "N",
            description = "Measured onboardings (default: ${DEFAULT-VALUE}).")
    int pledges;

    @Option(names = "--concurrency", defaultValue = "8", paramLabel = "C",
            description = "Pledges onboarding at the same time (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--warmup", defaultValue = "20", paramLabel = "W",
            description = "Unmeasured onboardings first, same concurrency (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--max-seconds", defaultValue = "300", paramLabel = "S",
            description = "Hard time limit for warm-up plus measurement; later pledges count as failures"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxSeconds;

    @Option(names = "--tls-provider", paramLabel = "jdk|bc|bcjsse",
            description = "TLS for the services and the pledges: jdk (SunJSSE + SunEC), bc (SunJSSE with Bouncy Castle"
                    + " at provider position 1, global), bcjsse (Bouncy Castle JSSE). Default: the measured default.")
    String tlsProvider;




    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    Path json;


    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String input = checkInput();
        if (input != null) {
            err.println("brski bench: " + input);
            return 2;
        }
        TlsProvider provider = tlsProvider == null ? TlsProvider.configured() : TlsProvider.parse(tlsProvider);
        TlsProvider.select(provider);
        serviceOptions.applyLogging();
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        Path dir;
        try {
            dir = Files.createTempDirectory("brski-bench-");
        } catch (IOException e) {
            err.println("brski bench: cannot create a temporary directory: " + e.getMessage());
            return 1;
        }
        try {
            long setup = System.nanoTime();
            TestPki pki = TestPki.builder().pledges(warmup + pledges).build();
            List<HeldCertificate> all = pki.pledges();
            out.printf(Locale.ROOT, "setup: test PKI with %d IDevID(s) in %.1f s; TLS %s%s%n", all.size(),
                    (System.nanoTime() - setup) / 1e9, provider.name().toLowerCase(Locale.ROOT),
                    TlsProvider.bcFirst() ? " (Bouncy Castle at provider position 1)" : "");
            DemoServices.Databases databases = databases(dir);
            try (DemoServices services = DemoServices.start(pki, dir, databases, 0, 0)) {
                services.register(pki, pki.serials());
                BenchRunner runner = new BenchRunner(services.registrarUri(), pki.manufacturerCa(), concurrency);
                if (warmup > 0) {
                    out.printf(Locale.ROOT, "warm-up: %d onboarding(s)...%n", warmup);
                    out.flush();
                    BenchRunner.Batch warm = runner.run(all.subList(0, warmup), deadline);
                    long failed = warm.runs().stream().filter(r -> !r.succeeded()).count();
                    if (failed > 0) {
                        out.printf(Locale.ROOT, "warm-up: %d failure(s), first: %s%n", failed, warm.runs().stream()
                                .filter(r -> !r.succeeded()).findFirst().orElseThrow().failure().orElseThrow());
                    }
                }
                out.printf(Locale.ROOT, "measuring: %d onboarding(s), concurrency %d...%n", pledges, concurrency);
                out.flush();
                BenchRunner.Batch batch = runner.run(all.subList(warmup, all.size()), deadline);
                BenchReport report = BenchReport.of(settings(provider, String.valueOf(pki.pledgeKeyType())), batch.runs(), batch.wallNanos(),
                        batch.cpuNanos());
                report.print(out);
                if (json != null) {
                    report.write(json);
                    out.println("figures written to " + json);
                }
                if (report.failures() > 0) {
                    err.println("brski bench: " + report.failures() + " onboarding(s) failed");
                    return 1;
                }
                return 0;
            }
        } catch (DemoException | IOException e) {
            err.println("brski bench: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("brski bench: interrupted");
            return 1;
        } finally {
            deleteTree(dir);
        }
    }

    private String checkInput() {
        if (pledges < 1 || pledges > MAX_PLEDGES) {
            return "--pledges must be between 1 and " + MAX_PLEDGES;
        }
        if (warmup < 0 || warmup > MAX_PLEDGES) {
            return "--warmup must be between 0 and " + MAX_PLEDGES;
        }
        if (concurrency < 1 || concurrency > 256) {
            return "--concurrency must be between 1 and 256";
        }
        if (maxSeconds < 1) {
            return "--max-seconds must be at least 1";
        }
        if (serviceOptions.problem().isPresent()) {
            return serviceOptions.problem().get();
        }
        if (tlsProvider != null) {
            try {
                TlsProvider.parse(tlsProvider);
            } catch (IllegalArgumentException e) {
                return "--tls-provider: " + e.getMessage();
            }
        }
        return null;
    }

    private DemoServices.Databases databases(Path dir) {
        if (serviceOptions.sharedDatabase().isPresent()) {
            return DemoServices.Databases.shared(serviceOptions.sharedDatabase().get());
        }
        return new DemoServices.Databases(DatabaseConfig.h2File(dir.resolve("masa")),
                DatabaseConfig.h2File(dir.resolve("registrar")));
    }

    private Map<String, Object> settings(TlsProvider provider, String pledgeKey) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("pledges", pledges);
        s.put("concurrency", concurrency);
        s.put("warmup", warmup);
        s.put("tlsProvider", provider.name().toLowerCase(Locale.ROOT));
        s.put("bcFirst", TlsProvider.bcFirst());
        s.put("database", serviceOptions.databaseUrl().map(url -> url.startsWith("jdbc:postgresql:") ? "postgresql"
                : "h2 (" + url + ")").orElse("h2-file (temporary)"));
        s.put("java", Runtime.version().toString());
        s.put("cores", Runtime.getRuntime().availableProcessors());
        s.put("pledgeKey", pledgeKey);
        return s;
    }

    /** Only warnings and errors of the services (per-request INFO lines would dominate the run). */
    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary file is harmless
        }
    }
}
