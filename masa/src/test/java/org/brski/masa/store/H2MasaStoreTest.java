package org.brski.masa.store;

import java.nio.file.Path;
import org.brski.server.ServerException;
import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded default: an H2 file database. */
class H2MasaStoreTest extends MasaStoreContract {
    @TempDir
    static Path dir;
    private static Database database;

    @BeforeAll
    static void open() throws ServerException {
        database = Databases.open(new DatabaseConfig("jdbc:h2:file:" + dir.resolve("masa") + ";WRITE_DELAY=0", "sa",
                "", 8), JdbcMasaStore.MIGRATIONS, JdbcMasaStore.HISTORY_TABLE);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    MasaStore store() {
        return new JdbcMasaStore(database.dataSource());
    }
}
