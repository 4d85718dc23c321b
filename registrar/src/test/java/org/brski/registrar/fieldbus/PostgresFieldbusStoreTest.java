package org.brski.registrar.fieldbus;

import org.brski.registrar.store.JdbcRegistrarStore;
import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The fieldbus store contract on a real PostgreSQL (embedded binaries), with migration V4 applied by Flyway. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresFieldbusStoreTest extends FieldbusStoreContract {
    private EmbeddedPostgres postgres;
    private Database database;

    @BeforeAll
    void open() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        database = Databases.open(new DatabaseConfig(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", 4),
                JdbcRegistrarStore.MIGRATIONS, JdbcRegistrarStore.HISTORY_TABLE);
    }

    @AfterAll
    void close() throws Exception {
        database.close();
        postgres.close();
    }

    @Override
    Database database() {
        return database;
    }
}
