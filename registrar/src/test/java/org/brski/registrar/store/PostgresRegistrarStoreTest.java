package org.brski.registrar.store;

import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The store contract on a real PostgreSQL (embedded binaries), shared by two migrated pools like two instances. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRegistrarStoreTest extends RegistrarStoreContract {
    private EmbeddedPostgres postgres;
    private Database database;
    private Database secondInstance;

    @BeforeAll
    void open() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        DatabaseConfig config = new DatabaseConfig(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", 4);
        database = Databases.open(config, JdbcRegistrarStore.MIGRATIONS, JdbcRegistrarStore.HISTORY_TABLE);
        secondInstance = Databases.open(config, JdbcRegistrarStore.MIGRATIONS, JdbcRegistrarStore.HISTORY_TABLE);
    }

    @AfterAll
    void close() throws Exception {
        secondInstance.close();
        database.close();
        postgres.close();
    }

    @Override
    Database database() {
        return database;
    }

    @Override
    RegistrarStore store() {
        // alternate pools so that racing "instances" really use separate connection pools
        return JdbcRegistrarStore.of((System.nanoTime() & 1) == 0 ? database.dataSource()
                : secondInstance.dataSource(), java.time.Clock.systemUTC());
    }
}
