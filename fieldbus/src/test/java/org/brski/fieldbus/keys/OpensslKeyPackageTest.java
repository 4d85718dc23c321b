package org.brski.fieldbus.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.brski.pki.HeldCertificate;
import org.brski.pki.KeyType;
import org.brski.pkix.Pem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interop with OpenSSL's CMS implementation: a package we envelope decrypts with {@code openssl cms -decrypt} to the
 * exact RFC 6031 DER, and a package OpenSSL envelopes (ECDH or RSA-OAEP; OpenSSL writes inner type id-data) opens
 * with {@link KeyPackageCms}.
 */
class OpensslKeyPackageTest {
    private static String openssl;

    @TempDir
    Path dir;

    @BeforeAll
    static void findOpenssl() throws InterruptedException {
        for (String candidate : List.of("/usr/bin/openssl", "/usr/local/bin/openssl", "openssl")) {
            try {
                Process p = new ProcessBuilder(candidate, "version").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.startsWith("OpenSSL 3")) {
                    openssl = candidate;
                    return;
                }
            } catch (IOException e) {
                // next candidate
            }
        }
        assumeTrue(false, "OpenSSL 3 is not installed");
    }

    private byte[] run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(openssl));
        command.addAll(List.of(args));
        Path err = dir.resolve("stderr");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(command + " failed: " + Files.readString(err));
        }
        return out;
    }

    private SymmetricKeyPackage sample() {
        DomainKeyDerivation domain = DomainKeyDerivation.of(new byte[32]);
        return SymmetricKeyPackage.of("line-4", List.of(domain.integratorKey("line-4", 1)));
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = { "EC_P256", "RSA2048" })
    void opensslDecryptsOurPackage(KeyType type) throws Exception {
        HeldCertificate holder = HeldCertificate.builder().commonName("controller").keyType(type).build();
        Files.writeString(dir.resolve("cert.pem"), Pem.encodeCertificate(holder.certificate()));
        Files.writeString(dir.resolve("key.pem"), Pem.encodePrivateKey(holder.privateKey()));
        SymmetricKeyPackage pkg = sample();
        Files.write(dir.resolve("pkg.cms"), KeyPackageCms.envelope(pkg, holder.certificate()));
        byte[] plain = run("cms", "-decrypt", "-inform", "DER", "-in", "pkg.cms", "-recip", "cert.pem", "-inkey",
                "key.pem", "-binary");
        assertArrayEquals(pkg.encoded(), plain);
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = { "EC_P256", "RSA2048" })
    void weOpenWhatOpensslEnvelopes(KeyType type) throws Exception {
        HeldCertificate holder = HeldCertificate.builder().commonName("registrar").keyType(type).build();
        Files.writeString(dir.resolve("cert.pem"), Pem.encodeCertificate(holder.certificate()));
        SymmetricKeyPackage pkg = sample();
        Files.write(dir.resolve("pkg.der"), pkg.encoded());
        List<String> args = new ArrayList<>(List.of("cms", "-encrypt", "-binary", "-outform", "DER", "-in",
                "pkg.der", "-aes-256-cbc", "-recip", "cert.pem"));
        if (type == KeyType.RSA2048) {
            args.addAll(List.of("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"));
        }
        byte[] cms = run(args.toArray(String[]::new));
        assertEquals(pkg, KeyPackageCms.open(cms, holder.privateKey(), holder.certificate()));
    }
}
