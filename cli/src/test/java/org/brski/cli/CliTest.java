package org.brski.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.brski.pki.PkiException;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the {@code brski} commands in process, as a user would, and checks files, output and exit codes. */
class CliTest {
    @TempDir
    static Path shared;
    static Path pki;
    static Path voucherJson;

    record Result(int code, String out, String err) {
    }

    static Result brski(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void writePkiAndVoucher() throws IOException {
        pki = shared.resolve("pki");
        Result r = brski("pki", "init", "--out", pki.toString(), "--pledges", "2");
        assertEquals(0, r.code(), r.err());
        voucherJson = shared.resolve("voucher.json");
        String registrarCertB64 = java.util.Base64.getEncoder().encodeToString(pem(pki.resolve("domain-ca.pem")));
        Files.writeString(voucherJson, "{\"ietf-voucher:voucher\":{\"assertion\":\"logged\",\"created-on\":\""
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\",\"serial-number\":\"BRSKI-0001\","
                + "\"nonce\":\"abc123\",\"pinned-domain-cert\":\"" + registrarCertB64 + "\"}}");
    }

    static byte[] pem(Path file) throws IOException {
        String text = Files.readString(file);
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return java.util.Base64.getDecoder().decode(body);
    }

    @Test
    void versionAndHelp() {
        Result v = brski("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("brski 0."), v.out());
        Result h = brski("--help");
        assertTrue(h.out().contains("pki") && h.out().contains("voucher"), h.out());
    }

    /** The command list shows each subcommand's whole summary, not its first source line cut mid-sentence. */
    @Test
    void fieldbusHelpListsWholeSummaries() {
        Result h = brski("fieldbus", "--help");
        assertEquals(0, h.code());
        String text = h.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("the BRSKI-onboarded controller fetches its machine's key package"), h.out());
        assertTrue(text.contains("fetch the machine's key package and commission N simulated nodes"), h.out());
        assertTrue(text.contains("install the new Integrator Key on every node"), h.out());
        assertTrue(text.contains("authenticated with its Provisioning Key, or with --local"), h.out());
    }

    @Test
    void pkiInitWritesAReadableManifestAndRefusesToOverwrite() throws PkiException {
        TestPki read = PkiFiles.read(pki);
        assertEquals(List.of("BRSKI-0001", "BRSKI-0002"), read.serials());
        Result again = brski("pki", "init", "--out", pki.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("refusing to overwrite"), again.err());
        Result bad = brski("pki", "init", "--out", shared.resolve("x").toString(), "--key-type", "dsa");
        assertEquals(2, bad.code());
    }

    @Test
    void pkiInitForceAndKeyTypes(@TempDir Path dir) throws PkiException {
        assertEquals(0, brski("pki", "init", "--out", dir.toString(), "--pledges", "1", "--key-type", "ec-p384",
                "--masa-url", "https://masa.test:9443").code());
        assertEquals(0, brski("pki", "init", "--out", dir.toString(), "--pledges", "3", "--force").code());
        assertEquals(3, PkiFiles.read(dir).pledges().size());
    }

    private Path sign(String name, String... extra) {
        Path out = shared.resolve(name);
        List<String> args = new ArrayList<>(List.of("voucher", "sign", "--json", voucherJson.toString(),
                "--key", pki.resolve("masa-signer.key").toString(), "--cert", pki.resolve("masa-signer.pem").toString(),
                "--out", out.toString()));
        args.addAll(List.of(extra));
        Result r = brski(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return out;
    }

    @Test
    void signThenVerifyInEveryEncoding() throws IOException {
        String json = Files.readString(voucherJson);
        for (String format : List.of("der", "base64", "pem")) {
            Path signed = sign("v." + format, "--format", format);
            Result ok = brski("voucher", "verify", "--in", signed.toString(), "--trust",
                    pki.resolve("manufacturer-ca.pem").toString());
            assertEquals(0, ok.code(), ok.err());
            assertEquals(json, ok.out().strip());
            assertEquals("", ok.err());
        }
    }

    @Test
    void verifyWithoutTrustSaysSoAndWrongTrustFails() {
        Path signed = sign("v2.der");
        Result noTrust = brski("voucher", "verify", "--in", signed.toString());
        assertEquals(0, noTrust.code());
        assertTrue(noTrust.err().contains("NOT checked against any trust anchor"), noTrust.err());
        Result wrong = brski("voucher", "verify", "--in", signed.toString(), "--trust",
                pki.resolve("domain-ca.pem").toString());
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().startsWith("brski voucher verify: untrusted-signer"), wrong.err());
        assertEquals("", wrong.out());
        assertEquals(1, wrong.err().strip().lines().count(), "one line naming the reason");
    }

    @Test
    void verifyAtAnExplicitTimeInsideAndOutsideTheSignerValidity() {
        Path signed = sign("v3.der");
        String trust = pki.resolve("manufacturer-ca.pem").toString();
        assertEquals(0, brski("voucher", "verify", "--in", signed.toString(), "--trust", trust, "--at",
                Instant.now().plus(1, ChronoUnit.DAYS).toString()).code());
        Result past = brski("voucher", "verify", "--in", signed.toString(), "--trust", trust, "--at",
                "2001-01-01T00:00:00Z");
        assertEquals(1, past.code());
        assertTrue(past.err().contains("not yet valid"), past.err());
        Result future = brski("voucher", "verify", "--in", signed.toString(), "--trust", trust, "--at",
                "2999-01-01T00:00:00+02:00");
        assertEquals(1, future.code());
        assertTrue(future.err().contains("expired"), future.err());
        assertEquals(1, brski("voucher", "verify", "--in", signed.toString(), "--at", "yesterday").code());
    }

    @Test
    void signRefusesInvalidJsonAndVerifyRefusesGarbage() throws IOException {
        Path bad = shared.resolve("bad.json");
        Files.writeString(bad, "{\"ietf-voucher:voucher\":{\"assertion\":\"owned\"}}");
        Result r = brski("voucher", "sign", "--json", bad.toString(), "--key", pki.resolve("masa-signer.key").toString(),
                "--cert", pki.resolve("masa-signer.pem").toString(), "--out", shared.resolve("bad.der").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("assertion"), r.err());
        assertTrue(Files.notExists(shared.resolve("bad.der")));

        Path garbage = shared.resolve("garbage.bin");
        Files.write(garbage, "definitely not CMS!".getBytes(StandardCharsets.US_ASCII));
        Result g = brski("voucher", "verify", "--in", garbage.toString());
        assertEquals(1, g.code());
        assertTrue(g.err().contains("malformed-cms"), g.err());
    }

    @Test
    void inspectShowsSignerCertificatesAndPayload() {
        Path signed = sign("v4.der", "--chain", pki.resolve("manufacturer-ca.pem").toString());
        Result r = brski("voucher", "inspect", "--in", signed.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("id-ct-animaJSONVoucher"), r.out());
        assertTrue(r.out().contains("certificates: 2"), r.out());
        assertTrue(r.out().contains("\"serial-number\":\"BRSKI-0001\""), r.out());
    }

    // --- interop with openssl cms (skipped when openssl is not installed) ---

    static boolean haveOpenssl() {
        return new File("/usr/bin/openssl").canExecute() || new File("/usr/local/bin/openssl").canExecute();
    }

    static Result openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void brskiSignedVoucherVerifiesWithOpensslCms() throws IOException, InterruptedException {
        assumeTrue(haveOpenssl(), "openssl not installed");
        Path signed = sign("for-openssl.der");
        Result r = openssl("cms", "-verify", "-inform", "DER", "-in", signed.toString(), "-binary", "-purpose", "any",
                "-CAfile", pki.resolve("manufacturer-ca.pem").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(voucherJson), r.out());
        Result wrong = openssl("cms", "-verify", "-inform", "DER", "-in", signed.toString(), "-binary", "-purpose",
                "any", "-CAfile", pki.resolve("domain-ca.pem").toString());
        assertTrue(wrong.code() != 0, "openssl must refuse the wrong anchor");
    }

    @Test
    void opensslSignedVoucherVerifiesWithBrski() throws IOException, InterruptedException {
        assumeTrue(haveOpenssl(), "openssl not installed");
        for (boolean voucherType : new boolean[] {true, false}) {
            Path out = shared.resolve("openssl-" + voucherType + ".der");
            List<String> args = new ArrayList<>(List.of("cms", "-sign", "-binary", "-nodetach", "-outform", "DER",
                    "-in", voucherJson.toString(), "-signer", pki.resolve("masa-signer.pem").toString(),
                    "-inkey", pki.resolve("masa-signer.key").toString(), "-out", out.toString()));
            if (voucherType) {
                args.addAll(List.of("-econtent_type", "1.2.840.113549.1.9.16.1.40"));
            }
            Result signed = openssl(args.toArray(String[]::new));
            assertEquals(0, signed.code(), signed.err());
            Result r = brski("voucher", "verify", "--in", out.toString(), "--trust",
                    pki.resolve("manufacturer-ca.pem").toString());
            assertEquals(0, r.code(), r.err());
            assertEquals(Files.readString(voucherJson), r.out().strip());
            Result inspect = brski("voucher", "inspect", "--in", out.toString());
            assertTrue(inspect.out().contains(voucherType ? "id-ct-animaJSONVoucher" : "id-data"), inspect.out());
        }
    }
}
