package org.brski.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.brski.cli.demo.DemoServices;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.Pem;
import org.brski.registrar.store.Device;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pledge made only of stock tools, talking to our registrar (and through it our MASA): {@code openssl cms} signs
 * the pledge voucher-request (RFC 8995 5.2), {@code curl} posts it with the IDevID as TLS client certificate,
 * {@code openssl cms -verify} accepts the voucher against the manufacturer CA (5.6.1), {@code curl} reports
 * voucher_status (5.7), fetches {@code /cacerts} and enrolls a CSR from {@code openssl req} (RFC 7030 4.1, 4.2), and
 * reports enrollstatus with the new LDevID (5.9.4). Skipped when openssl or curl is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpensslCurlPeerTest {
    private static final String SERIAL = "BRSKI-0001";

    private Path dir;
    private TestPki pki;
    private DemoServices domain;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        Assumptions.assumeTrue(available("openssl", "version") && available("curl", "--version"),
                "openssl and curl are not installed (.ci/run installs them): stock-tool interop skipped");
        pki = TestPki.builder().pledges(1).build();
        domain = DemoServices.start(pki, dir, DemoServices.Databases.h2Memory(), 0, 0);
        domain.register(pki, pki.serials());
        HeldCertificate idevid = pki.pledge(SERIAL);
        Files.writeString(dir.resolve("idevid.pem"), Pem.encodeCertificate(idevid.certificate()));
        Pem.writePrivateKey(dir.resolve("idevid.key"), idevid.privateKey());
        Files.writeString(dir.resolve("domain-ca.pem"), Pem.encodeCertificate(pki.domainCa().certificate()));
        Files.writeString(dir.resolve("manufacturer-ca.pem"),
                Pem.encodeCertificate(pki.manufacturerCa().certificate()));
    }

    @AfterAll
    void stop() {
        if (domain != null) {
            domain.close();
        }
    }

    @Test
    void stockToolsOnboardAPledge() throws Exception {
        // 5.2: the pledge voucher-request, JSON signed by openssl with the IDevID; proximity-registrar-cert is the
        // registrar's TLS certificate (here read from the PKI; a pledge takes it from the handshake).
        String nonce = "openssl-" + System.nanoTime();
        String pvr = "{\"ietf-voucher-request:voucher\":{"
                + "\"assertion\":\"proximity\","
                + "\"created-on\":\"" + OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS) + "\","
                + "\"serial-number\":\"" + SERIAL + "\","
                + "\"nonce\":\"" + nonce + "\","
                + "\"proximity-registrar-cert\":\""
                + Base64.getEncoder().encodeToString(pki.registrar().certificate().getEncoded()) + "\"}}";
        Files.writeString(dir.resolve("pvr.json"), pvr);
        run("openssl", "cms", "-sign", "-in", "pvr.json", "-signer", "idevid.pem", "-inkey", "idevid.key",
                "-econtent_type", "1.2.840.113549.1.9.16.1.40", "-nodetach", "-binary", "-outform", "DER",
                "-out", "pvr.der");

        String status = run(curl("/.well-known/brski/requestvoucher", "idevid", "-H",
                "Content-Type: application/voucher-cms+json", "-H", "Accept: application/voucher-cms+json",
                "--data-binary", "@pvr.der", "-o", "voucher.der", "-w", "%{http_code}"));
        assertEquals("200", status.trim());

        // 5.6.1: the voucher verifies with stock openssl against the manufacturer's CA.
        run("openssl", "cms", "-verify", "-inform", "DER", "-in", "voucher.der", "-CAfile", "manufacturer-ca.pem",
                "-purpose", "any", "-out", "voucher.json");
        JsonNode voucher = new ObjectMapper().readTree(dir.resolve("voucher.json").toFile())
                .path("ietf-voucher:voucher");
        assertEquals(SERIAL, voucher.path("serial-number").asText(), voucher::toString);
        assertEquals(nonce, voucher.path("nonce").asText(), voucher::toString);
        assertEquals(Base64.getEncoder().encodeToString(pki.domainCa().certificate().getEncoded()),
                voucher.path("pinned-domain-cert").asText(), voucher::toString);

        Files.writeString(dir.resolve("success.json"), "{\"version\":1,\"status\":true}");
        run(curl("/.well-known/brski/voucher_status", "idevid", "-H", "Content-Type: application/json",
                "--data-binary", "@success.json"));

        // RFC 7030 4.1: /cacerts is base64 certs-only PKCS#7 holding the domain CA.
        run(curl("/.well-known/est/cacerts", "idevid", "-o", "cacerts.b64"));
        run("openssl", "base64", "-d", "-in", "cacerts.b64", "-out", "cacerts.der");
        String cacerts = run("openssl", "pkcs7", "-inform", "DER", "-in", "cacerts.der", "-print_certs", "-noout");
        assertTrue(cacerts.contains("BRSKI Test Domain"), cacerts);

        // RFC 7030 4.2.1: a CSR from openssl req, enrolled over the IDevID-authenticated connection.
        run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ldevid.key", "-subj", "/CN=openssl pledge/serialNumber=" + SERIAL, "-outform", "DER",
                "-out", "csr.der");
        run("openssl", "base64", "-in", "csr.der", "-out", "csr.b64");
        run(curl("/.well-known/est/simpleenroll", "idevid", "-H", "Content-Type: application/pkcs10",
                "--data-binary", "@csr.b64", "-o", "cert.b64"));
        run("openssl", "base64", "-d", "-in", "cert.b64", "-out", "cert.p7");
        run("openssl", "pkcs7", "-inform", "DER", "-in", "cert.p7", "-print_certs", "-out", "ldevid.pem");
        assertTrue(run("openssl", "verify", "-CAfile", "domain-ca.pem", "ldevid.pem").contains("OK"));
        assertEquals(run("openssl", "pkey", "-in", "ldevid.key", "-pubout").trim(),
                run("openssl", "x509", "-in", "ldevid.pem", "-noout", "-pubkey").trim());

        // 5.9.4: enrollstatus over a new connection authenticated with the LDevID.
        run(curl("/.well-known/brski/enrollstatus", "ldevid", "-H", "Content-Type: application/json",
                "--data-binary", "@success.json"));

        Device device = domain.registrar().registrar().store().device(SERIAL).orElseThrow();
        assertEquals(1, device.vouchers());
        assertEquals(1, device.certificates());
        assertTrue(device.voucherStatus().orElseThrow().status());
        assertTrue(device.enrollStatus().orElseThrow().status());
        assertEquals(nonce, domain.masa().store().auditEvents(SERIAL, 5).get(0).nonceValue().orElseThrow());
    }

    /** curl with the domain CA as the only trust anchor and {@code identity}.pem/.key as client certificate. */
    private String[] curl(String path, String identity, String... extra) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail", "--max-time", "60",
                "--cacert", "domain-ca.pem", "--cert", identity + ".pem", "--key", identity + ".key"));
        command.addAll(List.of(extra));
        command.add(domain.registrarUri() + path);
        return command.toArray(new String[0]);
    }

    private String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("timed out: " + String.join(" ", command) + "\n" + out);
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
        return out;
    }

    private static boolean available(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
