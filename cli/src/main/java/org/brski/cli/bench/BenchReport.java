package org.brski.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one {@code brski bench} run: settings, throughput, latency percentiles for the whole onboarding and
 * per phase, process CPU per onboarding, failures. Written as text ({@link #print}) and as JSON ({@link #write}).
 *
 * @param settings          what was run (pledges, concurrency, warm-up, TLS provider, database, Java, cores)
 * @param pledges           measured onboardings attempted
 * @param failures          how many of them failed or never ran
 * @param wallSeconds       the measured batch, first start to last end
 * @param throughputPerSec  successful onboardings per second of wall time
 * @param cpuMsPerOnboarding process CPU time (every thread: pledges, registrar, MASA) per measured onboarding
 * @param total             whole onboarding
 * @param connect           provisional TLS and first exchange
 * @param voucher           voucher round trip through registrar and MASA
 * @param enroll            EST enrollment
 * @param failureReasons    up to 10 failure messages
 */
public record BenchReport(Map<String, Object> settings, int pledges, int failures, double wallSeconds,
        double throughputPerSec, double cpuMsPerOnboarding, Latencies total, Latencies connect, Latencies voucher,
        Latencies enroll, List<String> failureReasons) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The report of {@code runs} measured over {@code wallNanos} using {@code cpuNanos} of process CPU. */
    static BenchReport of(Map<String, Object> settings, List<Onboarding> runs, long wallNanos, long cpuNanos) {
        List<Long> total = new ArrayList<>();
        List<Long> connect = new ArrayList<>();
        List<Long> voucher = new ArrayList<>();
        List<Long> enroll = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        int failures = 0;
        for (Onboarding run : runs) {
            if (!run.succeeded()) {
                failures++;
                if (reasons.size() < 10) {
                    reasons.add(run.serial() + ": " + run.failure().orElseThrow());
                }
                continue;
            }
            total.add(run.totalNanos());
            addIfMeasured(connect, run.connectNanos());
            addIfMeasured(voucher, run.voucherNanos());
            addIfMeasured(enroll, run.enrollNanos());
        }
        double wallSeconds = wallNanos / 1e9;
        double throughput = wallSeconds > 0 ? total.size() / wallSeconds : 0;
        double cpuMs = runs.isEmpty() ? 0 : cpuNanos / 1e6 / runs.size();
        return new BenchReport(new LinkedHashMap<>(settings), runs.size(), failures, wallSeconds, throughput, cpuMs,
                Latencies.of(total), Latencies.of(connect), Latencies.of(voucher), Latencies.of(enroll),
                List.copyOf(reasons));
    }

    private static void addIfMeasured(List<Long> into, long nanos) {
        if (nanos >= 0) {
            into.add(nanos);
        }
    }

    /** The figures as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the bench report", e);
        }
    }

    /** Writes {@link #toJson()} to {@code file}, creating its directory. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson() + System.lineSeparator());
    }

    /** A plain-text table of the figures. */
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%d onboarding(s) measured, %d failure(s), %.2f s wall%n", pledges, failures,
                wallSeconds);
        out.printf(Locale.ROOT, "throughput      %8.1f onboardings/s%n", throughputPerSec);
        out.printf(Locale.ROOT, "process CPU     %8.1f ms per onboarding (pledges + registrar + MASA, one process)%n",
                cpuMsPerOnboarding);
        out.printf(Locale.ROOT, "%-28s %8s %8s %8s %8s %8s%n", "latency (ms)", "mean", "p50", "p95", "p99", "max");
        row(out, "onboarding (whole)", total);
        row(out, "  TLS + first exchange", connect);
        row(out, "  voucher (registrar+MASA)", voucher);
        row(out, "  EST enrollment", enroll);
        for (String reason : failureReasons) {
            out.println("failed: " + reason);
        }
    }

    private static void row(PrintWriter out, String name, Latencies l) {
        out.printf(Locale.ROOT, "%-28s %8.1f %8.1f %8.1f %8.1f %8.1f%n", name, l.meanMs(), l.p50Ms(), l.p95Ms(),
                l.p99Ms(), l.maxMs());
    }
}
