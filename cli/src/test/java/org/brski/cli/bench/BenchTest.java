package org.brski.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.brski.cli.Main;
import org.brski.pkix.TlsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench harness's arithmetic, report shape and a tiny real run. No timing is asserted (project rule). */
class BenchTest {
    private static final long MS = 1_000_000L;

    @Test
    void nearestRankPercentiles() {
        long[] hundred = LongStream.rangeClosed(1, 100).toArray();
        assertEquals(50, Latencies.percentile(hundred, 50));
        assertEquals(95, Latencies.percentile(hundred, 95));
        assertEquals(99, Latencies.percentile(hundred, 99));
        assertEquals(100, Latencies.percentile(hundred, 100));
        long[] three = {10, 20, 30};
        assertEquals(20, Latencies.percentile(three, 50));
        assertEquals(30, Latencies.percentile(three, 95));
        assertEquals(10, Latencies.percentile(new long[] {10}, 1));
        assertThrows(IllegalArgumentException.class, () -> Latencies.percentile(new long[0], 50));
        assertThrows(IllegalArgumentException.class, () -> Latencies.percentile(three, 0));
        assertThrows(IllegalArgumentException.class, () -> Latencies.percentile(three, 101));
    }

    @Test
    void latenciesSortTheirInputAndConvertToMilliseconds() {
        Latencies l = Latencies.of(List.of(4 * MS, 1 * MS, 3 * MS, 2 * MS));
        assertEquals(4, l.count());
        assertEquals(2.5, l.meanMs(), 1e-9);
        assertEquals(2.0, l.p50Ms(), 1e-9);
        assertEquals(4.0, l.p95Ms(), 1e-9);
        assertEquals(4.0, l.maxMs(), 1e-9);
        assertEquals(new Latencies(0, 0, 0, 0, 0, 0), Latencies.of(List.of()));
    }

    @Test
    void reportCountsFailuresAndLeavesThemOutOfLatencies() throws Exception {
        List<Onboarding> runs = List.of(
                new Onboarding("a", 10 * MS, 2 * MS, 3 * MS, 4 * MS, Optional.empty()),
                new Onboarding("b", 30 * MS, 2 * MS, -1, 4 * MS, Optional.empty()),
                new Onboarding("c", 99 * MS, -1, -1, -1, Optional.of("failed at requestvoucher")),
                Onboarding.notRun("d", "not started: the time limit passed"));
        BenchReport report = BenchReport.of(Map.of("pledges", 4), runs, 2_000_000_000L, 400 * MS);
        assertEquals(4, report.pledges());
        assertEquals(2, report.failures());
        assertEquals(1.0, report.throughputPerSec(), 1e-9);
        assertEquals(100.0, report.cpuMsPerOnboarding(), 1e-9);
        assertEquals(2, report.total().count());
        assertEquals(30.0, report.total().maxMs(), 1e-9);
        assertEquals(1, report.voucher().count());
        assertEquals(List.of("c: failed at requestvoucher", "d: not started: the time limit passed"),
                report.failureReasons());

        JsonNode json = new ObjectMapper().readTree(report.toJson());
        for (String field : List.of("settings", "pledges", "failures", "wallSeconds", "throughputPerSec",
                "cpuMsPerOnboarding", "total", "connect", "voucher", "enroll", "failureReasons")) {
            assertTrue(json.has(field), field + " missing in " + json);
        }
        for (String field : List.of("count", "meanMs", "p50Ms", "p95Ms", "p99Ms", "maxMs")) {
            assertTrue(json.get("total").has(field), "total." + field + " missing");
        }
        assertEquals(2, json.get("failures").asInt());
    }

    @Test
    void badInputIsRefusedWithExitCode2() {
        assertEquals(2, brski(new StringWriter(), "bench", "--pledges", "0"));
        assertEquals(2, brski(new StringWriter(), "bench", "--concurrency", "0"));
        assertEquals(2, brski(new StringWriter(), "bench", "--tls-provider", "openssl"));
    }

    @Test
    void tinyRunOnboardsEveryPledgeAndWritesJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bench.json");
        StringWriter out = new StringWriter();
        int code = brski(out, "bench", "--pledges", "3", "--concurrency", "2", "--warmup", "1",
                "--max-seconds", "120", "--json", file.toString());
        assertEquals(0, code, out.toString());
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals(3, json.get("pledges").asInt());
        assertEquals(0, json.get("failures").asInt(), json.toString());
        assertEquals(3, json.get("total").get("count").asInt());
        assertEquals(3, json.get("voucher").get("count").asInt());
        assertEquals(3, json.get("enroll").get("count").asInt());
        assertEquals(2, json.get("settings").get("concurrency").asInt());
        assertEquals("h2-file (temporary)", json.get("settings").get("database").asText());
        assertEquals(TlsProvider.configured().name().toLowerCase(java.util.Locale.ROOT),
                json.get("settings").get("tlsProvider").asText());
        assertTrue(json.get("throughputPerSec").asDouble() > 0);
        assertTrue(json.get("total").get("p50Ms").asDouble() <= json.get("total").get("maxMs").asDouble());
        assertTrue(out.toString().contains("onboardings/s"), out.toString());
    }

    /** The JDK's TLS stays selectable: a tiny run with it onboards too (BC-first is global, so not tried here). */
    @Test
    void tinyRunWithTheJdkTlsProvider(@TempDir Path dir) throws Exception {
        String before = System.getProperty(TlsProvider.PROPERTY);
        try {
            Path file = dir.resolve("jdk.json");
            StringWriter out = new StringWriter();
            int code = brski(out, "bench", "--pledges", "2", "--concurrency", "2", "--warmup", "0",
                    "--tls-provider", "jdk", "--json", file.toString());
            assertEquals(0, code, out.toString());
            JsonNode json = new ObjectMapper().readTree(file.toFile());
            assertEquals("jdk", json.get("settings").get("tlsProvider").asText());
            assertEquals(0, json.get("failures").asInt(), json.toString());
        } finally {
            if (before == null) {
                System.clearProperty(TlsProvider.PROPERTY);
            } else {
                System.setProperty(TlsProvider.PROPERTY, before);
            }
        }
    }

    private static int brski(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        out.write(err.toString());
        return code;
    }
}
