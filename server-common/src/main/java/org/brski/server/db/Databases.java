package org.brski.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.brski.server.ConfigException;
import org.brski.server.ServerException;
import org.brski.voucher.Problem;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Opens a {@link Database} from a {@link DatabaseConfig}: H2 or PostgreSQL chosen by the JDBC URL, pooled by HikariCP,
 * and migrated with Flyway from a classpath location owned by one module (e.g. {@code db/migration/masa}) with a
 * history table of its own, so that several services may share one database.
 */
public final class Databases {
    private static final Problem UNAVAILABLE =
            Problem.of("storage-unavailable", "Service unavailable", 503, "the service's storage is unavailable");

    private Databases() {
    }

    /**
     * Opens the pool and applies pending migrations.
     *
     * @param migrations classpath location of the module's Flyway scripts, without {@code classpath:}
     * @param historyTable Flyway's schema history table for this module
     * @throws ConfigException naming {@code database.url} when the URL is not H2 or PostgreSQL
     * @throws ServerException 503 when the database cannot be reached or migrated
     */
    public static Database open(DatabaseConfig config, String migrations, String historyTable)
            throws ServerException {
        Database.Kind kind = kindOf(config.url());
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setMinimumIdle(Math.min(2, config.maxPoolSize()));
        hikari.setPoolName(historyTable + "-pool");
        hikari.setInitializationFailTimeout(1); // one attempt: a missing database fails start-up at once
        hikari.setConnectionTimeout(10_000);
        hikari.setDriverClassName(kind == Database.Kind.H2 ? "org.h2.Driver" : "org.postgresql.Driver");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(hikari);
        } catch (RuntimeException e) { // Hikari reports connection failures as unchecked PoolInitializationException
            throw new ServerException(UNAVAILABLE, "cannot connect to " + redact(config.url()) + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:" + migrations)
                    .table(historyTable)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            dataSource.close();
            throw new ServerException(UNAVAILABLE, "migrating " + redact(config.url()) + " from " + migrations
                    + " failed: " + e.getMessage(), e);
        }
        return new Database(dataSource, kind);
    }

    /** The product a JDBC URL selects. */
    public static Database.Kind kindOf(String url) throws ConfigException {
        if (url != null && url.startsWith("jdbc:h2:")) {
            return Database.Kind.H2;
        }
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            return Database.Kind.POSTGRESQL;
        }
        throw new ConfigException("database.url", "unsupported JDBC URL " + redact(url)
                + ": use jdbc:h2:... (embedded) or jdbc:postgresql://host/db");
    }

    /** The URL without query parameters, which may carry credentials. */
    private static String redact(String url) {
        if (url == null) {
            return "(none)";
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }
}
