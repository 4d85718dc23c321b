package org.brski.masa.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.server.ConfigException;
import org.brski.server.config.Compat;
import org.brski.server.tls.ClientAuth;
import org.brski.voucher.Assertion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasaConfigTest {
    @TempDir
    static Path dir;
    private static TestPki pki;

    @BeforeAll
    static void writePki() throws Exception {
        pki = TestPki.builder().pledges(1).build();
        PkiFiles.write(pki, dir.resolve("pki"), false);
    }

    private static MasaConfig yaml(String text) throws Exception {
        Path file = Files.createTempFile(dir, "masa", ".yaml");
        Files.writeString(file, text);
        return MasaConfig.load(file);
    }

    @Test
    void aFullConfigurationResolvesFromRelativePaths() throws Exception {
        MasaConfig config = yaml("""
                server:
                  host: 0.0.0.0
                  port: 0
                  tlsCert: pki/masa-tls.pem
                  tlsKey: pki/masa-tls.key
                  clientAuth: require
                  clientCaCerts: [pki/domain-ca.pem]
                database:
                  url: jdbc:h2:mem:cfg
                signer:
                  cert: pki/masa-signer.pem
                  key: pki/masa-signer.key
                manufacturerCaCerts: [pki/manufacturer-ca.pem]
                policy:
                  defaultOwnership: closed
                  openAssertion: proximity
                  allowNonceless: true
                  voucherLifetime: PT5M
                """);
        MasaSettings settings = config.resolve(dir, Optional.empty());
        assertEquals("0.0.0.0", settings.host());
        assertEquals(0, settings.port());
        assertEquals(ClientAuth.Mode.REQUIRE_TRUSTED, settings.clientAuth().mode());
        assertEquals(pki.masaSigner().certificate(), settings.signingKey().certificate());
        assertEquals(Assertion.PROXIMITY, settings.policy().openAssertion());
        assertEquals(java.time.Duration.ofMinutes(5), settings.policy().voucherLifetime());
        assertEquals(pki.manufacturerCa().certificate(), settings.policy().manufacturerAnchors().get(0));
    }

    @Test
    void compatIsReadAndChecked() throws Exception {
        assertEquals(Compat.NONE, yaml("policy: {}\n").resolve(dir, Optional.of(pki)).compat());
        MasaSettings nqminds = yaml("compat: nqminds\n").resolve(dir, Optional.of(pki));
        assertEquals(Compat.NQMINDS, nqminds.compat());
        assertEquals(Compat.NONE, nqminds.withCompat(Compat.NONE).compat());
        assertEquals(Compat.NQMINDS, MasaConfig.empty().withCompat("nqminds").resolve(dir, Optional.of(pki)).compat());
        ConfigException e = assertThrows(ConfigException.class,
                () -> yaml("compat: openssl\n").resolve(dir, Optional.of(pki)));
        assertEquals("compat", e.key().orElseThrow());
        assertTrue(e.getMessage().contains("none or nqminds"), e.getMessage());
    }

    @Test
    void unknownKeysAreNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> yaml("policy:\n  allowNoncless: true\n"));
        assertEquals("policy.allowNoncless", e.key().orElseThrow());
    }

    @Test
    void badValuesAreNamed() {
        assertEquals("policy.voucherLifetime", assertThrows(ConfigException.class,
                () -> yaml("policy:\n  voucherLifetime: 20 minutes\n").resolve(dir, Optional.of(pki)))
                .key().orElseThrow());
        assertEquals("server.clientAuth", assertThrows(ConfigException.class,
                () -> yaml("server:\n  clientAuth: maybe\n").resolve(dir, Optional.of(pki))).key().orElseThrow());
        assertEquals("server.port", assertThrows(ConfigException.class,
                () -> yaml("server:\n  port: 70000\n").resolve(dir, Optional.of(pki))).key().orElseThrow());
        assertEquals("database.url", assertThrows(ConfigException.class,
                () -> yaml("database:\n  url: jdbc:mysql://x\n").resolve(dir, Optional.of(pki))).key().orElseThrow());
        assertEquals("signer.key", assertThrows(ConfigException.class,
                () -> yaml("signer:\n  cert: pki/masa-signer.pem\n  key: pki/missing.key\n")
                        .resolve(dir, Optional.of(pki))).key().orElseThrow());
    }

    @Test
    void requiredFilesAreNamedWhenNoPkiSuppliesThem() {
        assertEquals("server.tlsCert", assertThrows(ConfigException.class,
                () -> MasaConfig.empty().resolve(dir, Optional.empty())).key().orElseThrow());
    }
}
