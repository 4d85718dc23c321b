package org.brski.registrar;

import static org.brski.registrar.Calls.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.brski.pki.HeldCertificate;
import org.brski.pkix.Pem;
import org.brski.voucher.VoucherCms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with stock tools: {@code curl} fetches {@code /cacerts} and enrolls with a CSR made by {@code openssl req};
 * {@code openssl} decodes the certs-only answers. Skipped when the tools are missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpensslCurlInteropTest {
    private Network net;
    @TempDir
    Path dir;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(available("openssl", "version") && available("curl", "--version"),
                "openssl and curl are needed");
        net = new Network();
    }

    @AfterAll
    void stop() {
        if (net != null) {
            net.close();
        }
    }

    private static boolean available(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
        return out;
    }

    private List<String> curl(String path, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail", "--tlsv1.2",
                "--cacert", "domain-ca.pem", "--cert", "idevid.pem", "--key", "idevid.key"));
        command.addAll(List.of(extra));
        command.add(net.registrar.uri() + path);
        return command;
    }

    @Test
    void curlFetchesCacertsAndEnrollsAnOpensslCsr() throws Exception {
        HeldCertificate idevid = net.acmePledge("CURL-0001");
        Files.writeString(dir.resolve("domain-ca.pem"), Pem.encodeCertificate(net.pki.domainCa().certificate()));
        Files.writeString(dir.resolve("idevid.pem"), Pem.encodeCertificates(idevid.chainWithSelf()));
        Pem.writePrivateKey(dir.resolve("idevid.key"), idevid.privateKey());
        assertEquals(200, post(net.client(Optional.of(idevid)), net.registrar.uri(),
                "/.well-known/brski/requestvoucher", net.pvr(idevid, "curl-nonce"), VoucherCms.MEDIA_TYPE)
                .statusCode());

        run(curl("/.well-known/est/cacerts", "-o", "cacerts.b64").toArray(new String[0]));
        run("openssl", "base64", "-d", "-in", "cacerts.b64", "-out", "cacerts.der");
        String cacerts = run("openssl", "pkcs7", "-inform", "DER", "-in", "cacerts.der", "-print_certs", "-noout");
        assertTrue(cacerts.contains("BRSKI Test Domain"), cacerts);

        run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ldevid.key", "-subj", "/CN=curl pledge/serialNumber=CURL-0001", "-outform", "DER",
                "-out", "csr.der");
        run("openssl", "base64", "-in", "csr.der", "-out", "csr.b64");
        run(curl("/.well-known/est/simpleenroll", "-H", "Content-Type: application/pkcs10",
                "--data-binary", "@csr.b64", "-o", "cert.b64").toArray(new String[0]));
        run("openssl", "base64", "-d", "-in", "cert.b64", "-out", "cert.p7");
        String issued = run("openssl", "pkcs7", "-inform", "DER", "-in", "cert.p7", "-print_certs", "-out",
                "ldevid.pem");
        String text = run("openssl", "x509", "-in", "ldevid.pem", "-noout", "-subject", "-issuer");
        assertTrue(text.contains("serialNumber = CURL-0001") || text.contains("serialNumber=CURL-0001"), text);
        String verify = run("openssl", "verify", "-CAfile", "domain-ca.pem", "ldevid.pem");
        assertTrue(verify.contains("OK"), verify + issued);
        String keyMatch = run("openssl", "x509", "-in", "ldevid.pem", "-noout", "-pubkey");
        String requested = run("openssl", "pkey", "-in", "ldevid.key", "-pubout");
        assertEquals(requested.trim(), keyMatch.trim());
        assertEquals(1, net.registrar.registrar().store().device("CURL-0001").orElseThrow().certificates());
    }
}
