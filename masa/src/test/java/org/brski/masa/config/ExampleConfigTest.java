package org.brski.masa.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.server.tls.ClientAuth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented {@code examples/masa.yaml} must keep loading: an operator starts from it. */
class ExampleConfigTest {
    @Test
    void theExampleConfigurationLoadsWithAFreshTestPki(@TempDir Path dir) throws Exception {
        PkiFiles.write(TestPki.builder().pledges(1).build(), dir.resolve("pki"), false);
        Path config = dir.resolve("masa.yaml");
        Files.copy(Path.of("..", "examples", "masa.yaml"), config);
        MasaSettings settings = MasaConfig.load(config).resolve(dir, Optional.empty());
        assertEquals(8443, settings.port());
        assertEquals(org.brski.server.ConnectionLimits.defaults().toString(), settings.limits().toString());
        assertEquals("127.0.0.1", settings.host());
        assertEquals(ClientAuth.Mode.WANT_ANY_PROVISIONALLY, settings.clientAuth().mode());
        assertTrue(settings.database().url().startsWith("jdbc:h2:file:"), settings.database().url());
    }
}
