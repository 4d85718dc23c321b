package org.brski.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.brski.server.ConfigException;
import org.brski.server.ServerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabasesTest {
    @Test
    void h2FileDatabaseIsMigratedOnceAndKeepsData(@TempDir Path dir) throws Exception {
        DatabaseConfig config = DatabaseConfig.h2File(dir.resolve("db"));
        for (int round = 0; round < 2; round++) {
            try (Database db = Databases.open(config, "db/migration/servertest", "servertest_history")) {
                assertEquals(Database.Kind.H2, db.kind());
                assertTrue(db.isHealthy());
                try (Connection c = db.dataSource().getConnection();
                        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM sample")) {
                    rs.next();
                    assertEquals(1, rs.getInt(1));
                }
            }
        }
    }

    @Test
    void unsupportedUrlsNameTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> Databases.open(
                new DatabaseConfig("jdbc:mysql://x/y", "", "", 1), "db/migration/servertest", "h"));
        assertEquals("database.url", e.key().orElseThrow());
    }

    @Test
    void passwordsStayOutOfToString() {
        assertTrue(!new DatabaseConfig("jdbc:h2:mem:x", "u", "secret", 1).toString().contains("secret"));
    }

    @Test
    void unreachablePostgresIs503() {
        ServerException e = assertThrows(ServerException.class, () -> Databases.open(
                new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "u", "p", 1),
                "db/migration/servertest", "h"));
        assertEquals(503, e.problem().status());
    }
}
