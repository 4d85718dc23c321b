package org.brski.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.brski.server.ConfigException;
import org.junit.jupiter.api.Test;

class YamlConfigTest {
    record Tls(String cert, String key) {
    }

    record Sample(String host, Integer port, Tls tls, List<String> anchors) {
    }

    @Test
    void parsesNestedRecords() throws ConfigException {
        Sample s = YamlConfig.parse("host: 0.0.0.0\nport: 8443\ntls:\n  cert: a.pem\n  key: a.key\nanchors: [x.pem]\n",
                Sample.class, "test.yaml");
        assertEquals("0.0.0.0", s.host());
        assertEquals(8443, s.port());
        assertEquals("a.key", s.tls().key());
        assertEquals(List.of("x.pem"), s.anchors());
    }

    @Test
    void unknownKeysAreNamedWithTheirPath() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> YamlConfig.parse("tls:\n  cert: a.pem\n  kee: a.key\n", Sample.class, "test.yaml"));
        assertEquals("tls.kee", e.key().orElseThrow());
        assertTrue(e.getMessage().contains("unknown key 'tls.kee'"), e.getMessage());
    }

    @Test
    void wrongTypesAreNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> YamlConfig.parse("port: eighty\n", Sample.class, "test.yaml"));
        assertEquals("port", e.key().orElseThrow());
    }

    @Test
    void brokenYamlAndEmptyFilesAreRefused() {
        assertThrows(ConfigException.class, () -> YamlConfig.parse("host: [\n", Sample.class, "t"));
        assertThrows(ConfigException.class, () -> YamlConfig.parse("", Sample.class, "t"));
    }
}
