package org.brski.registrar.fieldbus;

import java.util.UUID;

import org.brski.registrar.store.JdbcRegistrarStore;
import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class H2FieldbusStoreTest extends FieldbusStoreContract {
    private Database database;

    @BeforeAll
    void open() throws Exception {
        database = Databases.open(DatabaseConfig.h2Memory("fieldbus-" + UUID.randomUUID()),
                JdbcRegistrarStore.MIGRATIONS, JdbcRegistrarStore.HISTORY_TABLE);
    }

    @AfterAll
    void close() {
        database.close();
    }

    @Override
    Database database() {
        return database;
    }
}
