package org.brski.voucher.cms;

import static org.brski.voucher.cms.CmsTestSupport.VOUCHER_JSON;
import static org.brski.voucher.cms.CmsTestSupport.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.brski.pki.HeldCertificate;
import org.brski.pki.KeyType;
import org.brski.pkix.Pem;
import org.brski.voucher.VoucherException.Reason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interoperability with OpenSSL's {@code cms} command in both directions. Skipped when no {@code openssl} binary runs.
 */
class OpensslInteropTest {
    private static final Instant T1 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant INSIDE = Instant.parse("2024-06-01T00:00:00Z");
    private static final Map<KeyType, HeldCertificate[]> PKI = new EnumMap<>(KeyType.class);
    private static String openssl;

    @TempDir
    Path dir;

    @BeforeAll
    static void findOpenssl() {
        for (String candidate : List.of("/usr/bin/openssl", "/usr/local/bin/openssl", "openssl")) {
            try {
                Process p = new ProcessBuilder(candidate, "version").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.startsWith("OpenSSL")) {
                    openssl = candidate;
                    return;
                }
            } catch (IOException e) {
                // try the next candidate
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assumeTrue(false, "openssl is not installed");
    }

    /** CA valid 2020..2040; a current signer; a signer valid only in [T1, T2]. */
    private static synchronized HeldCertificate[] pki(KeyType type) {
        return PKI.computeIfAbsent(type, t -> {
            HeldCertificate ca = HeldCertificate.builder().commonName("OpenSSL interop CA " + t).keyType(t)
                    .certificateAuthority(0)
                    .validity(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2040-01-01T00:00:00Z")).build();
            HeldCertificate current = HeldCertificate.builder().commonName("current signer " + t).keyType(t)
                    .signedBy(ca).build();
            HeldCertificate past = HeldCertificate.builder().commonName("2024 signer " + t).keyType(t)
                    .signedBy(ca).validity(T1, T2).build();
            return new HeldCertificate[] {ca, current, past};
        });
    }

    private record Result(int exit, byte[] stdout, String stderr) {
        String describe() {
            return "exit " + exit + ": " + stderr;
        }
    }

    private Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(openssl);
        command.addAll(List.of(args));
        Path err = dir.resolve("stderr-" + System.nanoTime());
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(err.toFile()).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openssl did not finish: " + command);
        }
        return new Result(process.exitValue(), out, Files.readString(err));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    private void writeSigner(HeldCertificate signer) throws IOException {
        write("cert.pem", Pem.encodeCertificate(signer.certificate()));
        write("key.pem", Pem.encodePrivateKey(signer.privateKey()));
        Files.write(dir.resolve("voucher.json"), VOUCHER_JSON);
    }

    private byte[] opensslSign(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("cms", "-sign", "-binary", "-nodetach", "-outform", "DER",
                "-signer", "cert.pem", "-inkey", "key.pem", "-in", "voucher.json", "-out", "out.der"));
        args.addAll(List.of(extra));
        Result result = run(args.toArray(String[]::new));
        assertEquals(0, result.exit(), result::describe);
        return Files.readAllBytes(dir.resolve("out.der"));
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void opensslSignedVoucherContentTypeVerifies(KeyType type) throws Exception {
        HeldCertificate[] pki = pki(type);
        writeSigner(pki[1]);
        byte[] der = opensslSign("-econtent_type", CmsContentTypes.ANIMA_JSON_VOUCHER);

        VerifiedContent verified = CmsVerifier.trusting(List.of(pki[0].certificate())).verify(der);
        assertArrayEquals(VOUCHER_JSON, verified.content());
        assertEquals(CmsContentTypes.ANIMA_JSON_VOUCHER, verified.contentType());
        assertEquals(pki[1].certificate(), verified.signer());
        assertTrue(verified.trusted());
        assertTrue(verified.signingTime().isPresent());
    }

    @Test
    void opensslSignedIdDataVerifies() throws Exception {
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        writeSigner(pki[1]);
        VerifiedContent verified = CmsVerifier.trusting(List.of(pki[0].certificate())).verify(opensslSign());
        assertArrayEquals(VOUCHER_JSON, verified.content());
        assertEquals(CmsContentTypes.DATA, verified.contentType());
    }

    @Test
    void opensslWithoutSignedAttributesVerifiesForIdData() throws Exception {
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        writeSigner(pki[1]);
        VerifiedContent verified = CmsVerifier.trusting(List.of(pki[0].certificate())).verify(opensslSign("-noattr"));
        assertArrayEquals(VOUCHER_JSON, verified.content());
        assertTrue(verified.signingTime().isEmpty());
    }

    @Test
    void opensslKeyIdentifierSignerVerifies() throws Exception {
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        writeSigner(pki[1]);
        byte[] der = opensslSign("-keyid", "-econtent_type", CmsContentTypes.ANIMA_JSON_VOUCHER);
        assertTrue(CmsInspector.inspect(der).signers().get(0).subjectKeyIdentifier().isPresent());
        assertEquals(pki[1].certificate(), CmsVerifier.trusting(List.of(pki[0].certificate())).verify(der).signer());

        byte[] bare = opensslSign("-keyid", "-nocerts", "-econtent_type", CmsContentTypes.ANIMA_JSON_VOUCHER);
        assertRejected(Reason.SIGNER_CERTIFICATE_MISSING,
                () -> CmsVerifier.trusting(List.of(pki[0].certificate())).verify(bare));
        assertEquals(pki[1].certificate(), CmsVerifier.trusting(List.of(pki[0].certificate()))
                .withAdditionalCertificates(List.of(pki[1].certificate())).verify(bare).signer());
    }

    @Test
    void opensslStreamedBerAndPemOutputVerify() throws Exception {
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        writeSigner(pki[1]);
        CmsVerifier verifier = CmsVerifier.trusting(List.of(pki[0].certificate()));
        byte[] ber = opensslSign("-stream", "-econtent_type", CmsContentTypes.ANIMA_JSON_VOUCHER);
        assertArrayEquals(VOUCHER_JSON, verifier.verify(CmsInput.decode(ber)).content());

        Result pem = run("cms", "-sign", "-binary", "-nodetach", "-outform", "PEM", "-signer", "cert.pem",
                "-inkey", "key.pem", "-in", "voucher.json", "-econtent_type", CmsContentTypes.ANIMA_JSON_VOUCHER);
        assertEquals(0, pem.exit(), pem::describe);
        assertTrue(new String(pem.stdout(), StandardCharsets.US_ASCII).startsWith("-----BEGIN CMS-----"));
        assertArrayEquals(VOUCHER_JSON, verifier.verify(CmsInput.decode(pem.stdout())).content());
    }

    @Test
    void opensslSignedContentTamperedIsRejected() throws Exception {
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        writeSigner(pki[1]);
        byte[] der = opensslSign("-econtent_type", CmsContentTypes.ANIMA_JSON_VOUCHER);
        der[CmsTestSupport.indexOf(der, VOUCHER_JSON) + 2] ^= 0x01;
        assertRejected(Reason.BAD_SIGNATURE, () -> CmsVerifier.signatureOnly().verify(der));
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void librarySignedVerifiesWithOpenssl(KeyType type) throws Exception {
        HeldCertificate[] pki = pki(type);
        write("ca.pem", Pem.encodeCertificate(pki[0].certificate()));
        byte[] der = CmsSigner.of(pki[1].privateKey(), pki[1].certificate(), List.of()).sign(VOUCHER_JSON);
        Files.write(dir.resolve("lib.der"), der);

        Result result = run("cms", "-verify", "-inform", "DER", "-in", "lib.der", "-CAfile", "ca.pem",
                "-purpose", "any", "-binary", "-out", "content.out");
        assertEquals(0, result.exit(), result::describe);
        assertTrue(result.stderr().contains("Verification successful"), result.stderr());
        assertArrayEquals(VOUCHER_JSON, Files.readAllBytes(dir.resolve("content.out")));

        Result print = run("cms", "-cmsout", "-print", "-inform", "DER", "-in", "lib.der");
        assertEquals(0, print.exit(), print::describe);
        String dump = new String(print.stdout(), StandardCharsets.US_ASCII);
        assertTrue(dump.lines().anyMatch(l -> l.contains("eContentType:") && l.contains("1.2.840.113549.1.9.16.1.40")),
                dump);
        assertTrue(dump.contains("d.issuerAndSerialNumber"), dump);
        assertTrue(dump.contains("contentType (1.2.840.113549.1.9.3)"), dump);
        assertTrue(dump.contains("signingTime (1.2.840.113549.1.9.5)"), dump);
        assertTrue(dump.contains("messageDigest (1.2.840.113549.1.9.4)"), dump);
        assertTrue(!dump.contains("1.2.840.113549.1.9.52"), "no CMSAlgorithmProtection attribute: " + dump);
    }

    @Test
    void librarySignedIdDataWithChainVerifiesWithOpenssl() throws Exception {
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        write("ca.pem", Pem.encodeCertificate(pki[0].certificate()));
        byte[] der = CmsSigner.of(pki[1].privateKey(), pki[1].certificate(), pki[1].issuerChain())
                .withContentType(CmsContentTypes.DATA).sign(VOUCHER_JSON);
        Files.write(dir.resolve("lib.der"), der);
        Result result = run("cms", "-verify", "-inform", "DER", "-in", "lib.der", "-CAfile", "ca.pem",
                "-purpose", "any", "-binary", "-out", "content.out");
        assertEquals(0, result.exit(), result::describe);
        assertArrayEquals(VOUCHER_JSON, Files.readAllBytes(dir.resolve("content.out")));
    }

    @Test
    void librarySignedVerifiesWithOpensslAtTime() throws Exception {
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        write("ca.pem", Pem.encodeCertificate(pki[0].certificate()));
        byte[] der = CmsSigner.of(pki[2].privateKey(), pki[2].certificate(), List.of()).sign(VOUCHER_JSON);
        Files.write(dir.resolve("lib.der"), der);

        Result now = run("cms", "-verify", "-inform", "DER", "-in", "lib.der", "-CAfile", "ca.pem",
                "-purpose", "any", "-binary", "-out", "now.out");
        assertNotEquals(0, now.exit(), "expired signer must fail without -attime");
        assertTrue(now.stderr().contains("expired"), now.stderr());

        Result inside = run("cms", "-verify", "-inform", "DER", "-in", "lib.der", "-CAfile", "ca.pem",
                "-purpose", "any", "-binary", "-attime", Long.toString(INSIDE.getEpochSecond()), "-out", "at.out");
        assertEquals(0, inside.exit(), inside::describe);
        assertArrayEquals(VOUCHER_JSON, Files.readAllBytes(dir.resolve("at.out")));

        Result before = run("cms", "-verify", "-inform", "DER", "-in", "lib.der", "-CAfile", "ca.pem",
                "-purpose", "any", "-binary", "-attime", Long.toString(T1.minusSeconds(86400).getEpochSecond()),
                "-out", "before.out");
        assertNotEquals(0, before.exit(), "not yet valid");

        // the library agrees with OpenSSL on all three instants
        CmsVerifier verifier = CmsVerifier.trusting(List.of(pki[0].certificate()));
        assertRejected(Reason.UNTRUSTED_SIGNER, () -> verifier.verify(der));
        assertTrue(verifier.at(INSIDE).verify(der).trusted());
        assertRejected(Reason.UNTRUSTED_SIGNER, () -> verifier.at(T1.minusSeconds(86400)).verify(der));
    }

    @Test
    void opensslRejectsLibrarySignedContentWithTheWrongCa() throws Exception {
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        write("other-ca.pem", Pem.encodeCertificate(pki(KeyType.EC_P384)[0].certificate()));
        Files.write(dir.resolve("lib.der"), CmsSigner.of(pki[1].privateKey(), pki[1].certificate(), List.of())
                .sign(VOUCHER_JSON));
        Result result = run("cms", "-verify", "-inform", "DER", "-in", "lib.der", "-CAfile", "other-ca.pem",
                "-purpose", "any", "-binary", "-out", "content.out");
        assertNotEquals(0, result.exit(), "a sanity check that the OpenSSL checks above can fail");
    }
}
