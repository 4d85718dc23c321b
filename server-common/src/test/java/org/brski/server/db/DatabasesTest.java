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
    void h2FileUrlsGetTheDurableOptions() throws Exception {
        assertEquals("jdbc:h2:file:/d/x;AUTO_SERVER=TRUE;WRITE_DELAY=0;REUSE_SPACE=FALSE",
                Databases.durableUrl("jdbc:h2:file:/d/x;AUTO_SERVER=TRUE"));
        assertEquals("jdbc:h2:./x;write_delay=0;reuse_space=false",
                Databases.durableUrl("jdbc:h2:./x;write_delay=0;reuse_space=false"));
        assertEquals("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1", Databases.durableUrl("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1"));
        assertEquals("jdbc:postgresql://h/db", Databases.durableUrl("jdbc:postgresql://h/db"));
    }

    @Test
    void h2OptionsThatLoseCommitsAreRefused() {
        for (String url : new String[] {"jdbc:h2:file:/d/x;WRITE_DELAY=500", "jdbc:h2:/d/x;Reuse_Space=TRUE"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> Databases.open(
                    new DatabaseConfig(url, "sa", "", 1), "db/migration/servertest", "h"), url);
            assertEquals("database.url", e.key().orElseThrow());
            assertTrue(e.getMessage().contains("crash"), e.getMessage());
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
