package org.brski.registrar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.registrar.policy.ApprovalMode;
import org.brski.registrar.policy.Manufacturer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented {@code examples/registrar.yaml} must keep loading: an operator starts from it. */
class ExampleConfigTest {
    @Test
    void theExampleConfigurationLoadsWithAFreshTestPki(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.builder().pledges(1).build();
        PkiFiles.write(pki, dir.resolve("pki"), false);
        Path config = dir.resolve("registrar.yaml");
        Files.copy(Path.of("..", "examples", "registrar.yaml"), config);
        RegistrarConfig resolved = RegistrarYaml.load(config).resolve(dir, Optional.empty());
        assertEquals(9443, resolved.port());
        assertEquals(org.brski.server.ConnectionLimits.defaults().toString(), resolved.limits().toString());
        assertEquals(pki.registrar().certificate(), resolved.identity().certificate());
        Manufacturer m = resolved.manufacturers().get(0);
        assertEquals(pki.manufacturerCa().certificate(), m.caCertificate());
        assertEquals(ApprovalMode.AUTO, m.mode());
        assertEquals(Optional.of(URI.create("https://127.0.0.1:8443/.well-known/brski")), m.masaUrl());
    }
}
