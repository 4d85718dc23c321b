package org.brski.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brski demo} as a newcomer runs it: a separate process, plain output (not a terminal), exit code 0. */
class DemoProcessTest {
    @TempDir
    Path dir;

    @Test
    void demoOnboardsThreePledgesThenReusesItsState() throws Exception {
        try (CliProcess demo = CliProcess.run(dir, 120, "demo", "--pledges", "3", "--dir", "d")) {
            String out = demo.assertSuccess();
            assertTrue(out.contains("generated the test PKI in"), out);
            for (String serial : new String[] {"BRSKI-0001", "BRSKI-0002", "BRSKI-0003"}) {
                assertTrue(out.matches("(?s).*\\n  " + serial + "  logged +[0-9a-f]+ +\\d{4}-\\d\\d-\\d\\d .*"), out);
                assertTrue(Files.isRegularFile(dir.resolve("d/pledges/" + serial + "/ldevid.pem")));
            }
            assertTrue(out.contains("3 of 3 pledge(s) onboarded"), out);
            assertTrue(out.contains("machine machine-1, key revision 1, 127 node(s) on classical CAN 500 kbit/s"), out);
            assertTrue(out.contains("127 commissioned, 0 up to date, 0 refused, 0 failed, 0 absent"), out);
            assertTrue(out.contains("MASA audit log (RFC 8995 5.8): 3 voucher(s)"), out);
            assertTrue(out.contains("./d/pki") || out.contains(dir.resolve("d/pki").toString()), out);
        }
        try (CliProcess again = CliProcess.run(dir, 120, "demo", "--pledges", "2", "--dir", "d")) {
            String out = again.assertSuccess();
            assertTrue(out.contains("reusing the test PKI in"), out);
            assertTrue(out.contains("0 commissioned, 127 up to date"), out);
            assertTrue(out.contains("MASA audit log (RFC 8995 5.8): 4 voucher(s) issued to these 2 device(s)"), out);
        }
        try (CliProcess more = CliProcess.run(dir, 60, "demo", "--pledges", "4", "--dir", "d")) {
            assertEquals(1, more.exitValue(), more.output());
            assertTrue(more.output().contains("run again with --fresh"), more.output());
        }
        try (CliProcess fresh = CliProcess.run(dir, 120, "demo", "--pledges", "4", "--dir", "d", "--fresh")) {
            String out = fresh.assertSuccess();
            assertTrue(out.contains("generated the test PKI in"), out);
            assertTrue(out.contains("MASA audit log (RFC 8995 5.8): 4 voucher(s) issued to these 4 device(s)"), out);
        }
    }

    @Test
    void keepRunningPrintsCommandsThatWork() throws Exception {
        try (CliProcess demo = CliProcess.start(dir, "demo", "--pledges", "1", "--dir", "k", "--keep-running")) {
            Matcher registrar = demo.awaitLine("registrar +listening on (https://127\\.0\\.0\\.1:\\d+)", 60);
            demo.awaitLine("Ctrl-C stops them", 60);
            Matcher reenroll = demo.awaitLine("\\./brski pledge reenroll --state (\\S+)", 10);
            Matcher devices = demo.awaitLine("\\./brski registrar devices list --database '(.+)' --db-user sa", 10);
            try (CliProcess list = CliProcess.run(dir, 60, "registrar", "devices", "list", "--database",
                    devices.group(1), "--db-user", "sa")) {
                assertTrue(list.assertSuccess().contains("\"serial\" : \"BRSKI-0001\""), list.output());
            }
            try (CliProcess renewed = CliProcess.run(dir, 60, "pledge", "reenroll", "--state", reenroll.group(1))) {
                assertTrue(renewed.assertSuccess().contains("re-enrolled"), renewed.output());
            }
            try (CliProcess onboard = CliProcess.run(dir, 60, "pledge", "onboard", "--pki", "k/pki", "--serial",
                    "BRSKI-0001", "--registrar", registrar.group(1), "--out", "k/again")) {
                onboard.assertSuccess();
            }
            assertTrue(demo.stdout().contains("curl -s --cacert"), demo.output());
        }
    }

    /** What an interop tester does: the demo's services stay up and {@code brski interop} runs against them. */
    @Test
    void interopSuiteAgainstTheRunningDemoPassesEveryRequiredCase() throws Exception {
        try (CliProcess demo = CliProcess.start(dir, "demo", "--pledges", "2", "--dir", "i", "--keep-running")) {
            Matcher masa = demo.awaitLine("MASA +listening on (https://127\\.0\\.0\\.1:\\d+)", 60);
            Matcher registrar = demo.awaitLine("registrar +listening on (https://127\\.0\\.0\\.1:\\d+)", 60);
            demo.awaitLine("Ctrl-C stops them", 60);
            try (CliProcess interop = CliProcess.run(dir, 180, "interop", "--registrar", registrar.group(1),
                    "--masa", masa.group(1), "--pki", "i/pki", "--report", "report")) {
                String out = interop.assertSuccess();
                assertTrue(out.matches("(?s).*\\n\\d+ passed, 0 failed.*"), out);
                assertTrue(Files.readString(dir.resolve("report/interop-report.md")).contains("| `voucher-positive` |"),
                        "the Markdown report names each case");
                assertTrue(Files.readString(dir.resolve("report/interop-results.xml")).contains("<testsuite"));
            }
        }
    }

    @Test
    void refusesBadInput() throws Exception {
        try (CliProcess demo = CliProcess.run(dir, 60, "demo", "--pledges", "0")) {
            assertEquals(2, demo.exitValue(), demo.output());
        }
    }
}
