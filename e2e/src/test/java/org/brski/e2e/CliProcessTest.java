package org.brski.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow through the real command line, each role its own process as an operator would run them: {@code pki init},
 * {@code masa devices import}, {@code masa serve}, {@code registrar manufacturers trust}, {@code registrar serve},
 * two {@code pledge onboard} at once, {@code pledge reenroll}; then the registrar's records through
 * {@code registrar devices show} once the services have stopped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliProcessTest {
    private static final int STEP_SECONDS = 90;

    @TempDir
    Path dir;
    private final List<CliProcess> services = new ArrayList<>();

    @AfterAll
    void stopServices() throws InterruptedException {
        for (CliProcess p : services) {
            p.close();
        }
    }

    @Test
    void operatorFlowAcrossProcesses() throws Exception {
        String masaDb = "jdbc:h2:file:" + dir.resolve("masa-db") + ";WRITE_DELAY=0";
        String registrarDb = "jdbc:h2:file:" + dir.resolve("registrar-db") + ";WRITE_DELAY=0";
        run("pki", "init", "--out", "pki", "--pledges", "2");
        assertTrue(run("masa", "devices", "import", "--pki", "pki", "--database", masaDb)
                .contains("imported 2 device(s)"));

        CliProcess masa = service("masa", "serve", "--pki", "pki", "--port", "0", "--database", masaDb);
        String masaUri = masa.awaitLine("listening on (https://127\\.0\\.0\\.1:\\d+)", STEP_SECONDS).group(1);

        // The IDevIDs name https://masa.example.com; the operator points the registrar at the MASA that is running.
        String trusted = run("registrar", "manufacturers", "trust", "acme", "--ca", "pki/manufacturer-ca.pem",
                "--masa-url", masaUri + "/.well-known/brski", "--database", registrarDb);
        assertTrue(trusted.contains("\"trusted\" : true"), trusted);
        Files.writeString(dir.resolve("registrar.yaml"), String.join("\n",
                "tls: { cert: pki/registrar-chain.pem, key: pki/registrar.key }",
                "domainCa: { cert: pki/domain-ca.pem, key: pki/domain-ca.key }", ""));
        CliProcess registrar = service("registrar", "serve", "--config", "registrar.yaml", "--port", "0",
                "--database", registrarDb);
        String registrarUri = registrar.awaitLine("^listening on (https://127\\.0\\.0\\.1:\\d+)", STEP_SECONDS)
                .group(1);

        try (CliProcess first = CliProcess.start(dir, "pledge", "onboard", "--pki", "pki", "--serial", "BRSKI-0001",
                "--registrar", registrarUri, "--out", "state-1");
                CliProcess second = CliProcess.start(dir, "pledge", "onboard", "--pki", "pki", "--serial",
                        "BRSKI-0002", "--registrar", registrarUri, "--out", "state-2")) {
            first.await(STEP_SECONDS);
            second.await(STEP_SECONDS);
            assertTrue(first.assertSuccess().contains("onboarded: LDevID"), first.output());
            assertTrue(second.assertSuccess().contains("onboarded: LDevID"), second.output());
        }
        assertTrue(Files.isRegularFile(dir.resolve("state-1/ldevid.pem")));
        assertTrue(run("pledge", "reenroll", "--state", "state-1").contains("re-enrolled: LDevID"));

        registrar.close();
        masa.close();
        JsonNode device = new ObjectMapper().readTree(run("registrar", "devices", "show", "BRSKI-0001",
                "--database", registrarDb));
        assertEquals("acme", device.path("manufacturer").asText(), device::toPrettyString);
        assertEquals(1, device.path("vouchers").asInt(), device::toPrettyString);
        assertEquals(2, device.path("certificates").asInt(), device::toPrettyString);
        assertTrue(device.path("voucherStatus").path("status").asBoolean(), device::toPrettyString);
        assertTrue(device.path("enrollStatus").path("status").asBoolean(), device::toPrettyString);
        assertEquals("passed", device.path("audit").path("outcome").asText(), device::toPrettyString);
    }

    private String run(String... args) throws Exception {
        try (CliProcess p = CliProcess.run(dir, STEP_SECONDS, args)) {
            return p.assertSuccess();
        }
    }

    private CliProcess service(String... args) throws Exception {
        CliProcess p = CliProcess.start(dir, args);
        services.add(p);
        return p;
    }
}
