package org.brski.masa.cli;

import java.nio.file.Path;
import org.brski.masa.config.MasaConfig;
import org.brski.masa.store.JdbcMasaStore;
import org.brski.server.ConfigException;
import org.brski.server.ServerException;
import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import picocli.CommandLine.Option;

/** Where the administration commands find the MASA's database: {@code --database URL} or the config file's. */
final class StoreOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "MASA configuration (YAML); its database is used")
    Path config;

    @Option(names = "--database", paramLabel = "JDBC_URL",
            description = "JDBC URL (default: the config's, else " + MasaConfig.DEFAULT_DATABASE_URL + ")")
    String database;

    /** Opens and migrates the database. */
    Database open() throws ServerException {
        MasaConfig.Database d = config != null ? MasaConfig.load(config).databaseOrEmpty()
                : MasaConfig.empty().databaseOrEmpty();
        String url = database != null ? database : d.url() != null ? d.url() : MasaConfig.DEFAULT_DATABASE_URL;
        Databases.kindOf(url);
        int pool = d.maxPoolSize() != null ? d.maxPoolSize() : 2;
        if (pool < 1) {
            throw new ConfigException("database.maxPoolSize", "must be at least 1");
        }
        return Databases.open(new DatabaseConfig(url, d.user() != null ? d.user() : "sa", d.password(), pool),
                JdbcMasaStore.MIGRATIONS, JdbcMasaStore.HISTORY_TABLE);
    }
}
