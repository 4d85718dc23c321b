package org.brski.registrar.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.registrar.Registrar;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.config.RegistrarConfig;
import org.brski.registrar.config.RegistrarYaml;
import org.brski.registrar.est.KeyDomainCa;
import org.brski.server.ConfigException;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.tls.TlsIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How configured manufacturers reach the store, and how their MASA URIs are read. */
class ManufacturerSetupTest {
    private static final TestPki PKI = TestPki.builder().pledges(0).build();

    @Test
    void masaUrlIsNormalisedLikeTheIdevidExtension() {
        Manufacturer m = Manufacturer.trusted("acme", PKI.manufacturerCa().certificate());
        assertEquals(URI.create("https://masa.example:9443/.well-known/brski"),
                m.withMasaUrl(Optional.of(URI.create("https://masa.example:9443"))).masaUrl().orElseThrow());
        assertEquals(URI.create("https://masa.example:9443/.well-known/brski"),
                m.withMasaUrl(Optional.of(URI.create("https://masa.example:9443/.well-known/brski/"))).masaUrl()
                        .orElseThrow());
        assertEquals(URI.create("https://masa.example/v1/.well-known/brski"),
                m.withMasaUrl(Optional.of(URI.create("https://masa.example/v1"))).masaUrl().orElseThrow());
        assertThrows(IllegalArgumentException.class,
                () -> m.withMasaUrl(Optional.of(URI.create("http://masa.example:9443"))));
    }

    @Test
    void aMasaUrlLongerThanTheStoredColumnIsRefusedAtConfiguration() {
        Manufacturer m = Manufacturer.trusted("acme", PKI.manufacturerCa().certificate());
        String prefix = "https://masa.example/";
        String suffix = "/.well-known/brski";
        String longest = prefix + "a".repeat(Manufacturer.MAX_MASA_URL - prefix.length() - suffix.length()) + suffix;
        assertEquals(Manufacturer.MAX_MASA_URL, m.withMasaUrl(Optional.of(URI.create(longest))).masaUrl()
                .orElseThrow().toString().length());
        String tooLong = prefix + "a".repeat(Manufacturer.MAX_MASA_URL - prefix.length() - suffix.length() + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.withMasaUrl(Optional.of(URI.create(tooLong))), "too long once /.well-known/brski is added");
        assertTrue(e.getMessage().contains("2048"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> m.withMasaUrl(Optional.of(URI.create(prefix + "a".repeat(100_000)))));
    }

    @Test
    void aTooLongMasaUrlInTheYamlNamesItsKey(@TempDir Path dir) throws Exception {
        PkiFiles.write(PKI, dir, false);
        Path file = dir.resolve("long.yaml");
        Files.writeString(file, "manufacturers:\n  - { name: m, ca: manufacturer-ca.pem, masaUrl: \"https://m/"
                + "a".repeat(Manufacturer.MAX_MASA_URL) + "\" }\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> RegistrarYaml.load(file).resolve(dir, Optional.of(PKI)));
        assertEquals("manufacturers[0]", e.key().orElseThrow());
    }

    private static RegistrarConfig.Builder config(Path db) {
        return RegistrarConfig.builder(
                TlsIdentity.of(PKI.registrar().privateKey(), PKI.registrar().certificate(), PKI.registrar().issuerChain()),
                KeyDomainCa.of(PKI.domainCa().privateKey(), PKI.domainCa().certificate(), List.of()))
                .database(DatabaseConfig.h2File(db));
    }

    @Test
    void aSeedManufacturerNeverReplacesWhatTheOperatorStored(@TempDir Path dir) throws RegistrarException {
        Path db = dir.resolve("registrar");
        Manufacturer operators = Manufacturer.trusted("acme", PKI.manufacturerCa().certificate())
                .withMode(ApprovalMode.HOLD).withMasaUrl(Optional.of(URI.create("https://masa.acme.example")));
        try (Registrar r = Registrar.open(config(db).manufacturer(operators).build())) {
            assertEquals(List.of("acme"), r.store().manufacturers().stream().map(Manufacturer::name).toList());
        }
        Manufacturer seed = Manufacturer.trusted("test-manufacturer", PKI.manufacturerCa().certificate());
        try (Registrar r = Registrar.open(config(db).seedManufacturer(seed).build())) {
            List<Manufacturer> stored = r.store().manufacturers();
            assertEquals(1, stored.size());
            assertEquals("acme", stored.get(0).name());
            assertEquals(ApprovalMode.HOLD, stored.get(0).mode());
            assertEquals(URI.create("https://masa.acme.example/.well-known/brski"), stored.get(0).masaUrl().orElseThrow());
        }
        TestPki other = TestPki.builder().pledges(0).build();
        try (Registrar r = Registrar.open(config(db)
                .seedManufacturer(Manufacturer.trusted("test-manufacturer", other.manufacturerCa().certificate()))
                .build())) {
            assertEquals(List.of("acme", "test-manufacturer"),
                    r.store().manufacturers().stream().map(Manufacturer::name).sorted().toList());
        }
    }
}
