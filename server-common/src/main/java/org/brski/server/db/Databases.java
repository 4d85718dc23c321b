package org.brski.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.brski.server.ConfigException;
import org.brski.server.ServerException;
import org.brski.voucher.Problem;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a {@link Database} from a {@link DatabaseConfig}: H2 or PostgreSQL chosen by the JDBC URL, pooled by HikariCP,
 * and migrated with Flyway from a classpath location owned by one module (e.g. {@code db/migration/masa}) with a
 * history table of its own, so that several services may share one database.
 *
 * <p>Every row behind an answer that was sent must survive {@code kill -9} of the service at any instant. On
 * PostgreSQL that holds as long as each transaction commits before the answer is written (the stores do). An embedded
 * H2 file needs two options, which {@link #durableUrl(String)} adds to every H2 file URL and refuses to see
 * overridden: {@code WRITE_DELAY=0} (else H2 acknowledges commits that it writes up to a second later) and
 * {@code REUSE_SPACE=FALSE} (H2 2.x writes a new chunk into reused space without pointing its file header at it, and
 * the recovery after a crash then stops at an older chunk: every commit since is lost, measured at 12 of 32 vouchers
 * with {@code WRITE_DELAY=0}). The price of the second option is a file that grows by a few kilobytes per commit while
 * the service runs.
 */
public final class Databases {
    private static final Logger LOG = LoggerFactory.getLogger(Databases.class);
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
        hikari.setJdbcUrl(durableUrl(config.url()));
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
        if (kind == Database.Kind.POSTGRESQL) {
            warnOfLossyPostgres(dataSource, config.url());
        }
        return new Database(dataSource, kind);
    }

    /**
     * The URL with the options that make an embedded H2 file database keep every commit it acknowledged across a crash:
     * {@code WRITE_DELAY=0} and {@code REUSE_SPACE=FALSE} are appended unless present (see the class comment); other
     * URLs are returned unchanged.
     *
     * @throws ConfigException naming {@code database.url} when the URL sets either option to a value that loses
     *     commits on a crash
     */
    public static String durableUrl(String url) throws ConfigException {
        if (url == null || !isH2File(url)) {
            return url;
        }
        return url
                + option(url, "WRITE_DELAY", "0", "lets H2 acknowledge commits that it writes only later")
                + option(url, "REUSE_SPACE", "FALSE",
                        "lets H2 2.x lose the commits written since its last file header");
    }

    /** {@code ;NAME=required} when the URL lacks the option, "" when it has that value; any other value is refused. */
    private static String option(String url, String name, String required, String why) throws ConfigException {
        String value = h2Option(url, name);
        if (value == null) {
            return ";" + name + "=" + required;
        }
        if (!value.equalsIgnoreCase(required)) {
            throw new ConfigException("database.url", name + "=" + value + " " + why + ", so a crash loses commits "
                    + "that were already answered: remove the option (" + name + "=" + required + " is applied)");
        }
        return "";
    }

    /** An embedded H2 database in a file: {@code jdbc:h2:file:...} or a path, not {@code mem:}, tcp or ssl. */
    private static boolean isH2File(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return false;
        }
        String rest = url.substring("jdbc:h2:".length()).toLowerCase(Locale.ROOT);
        return !rest.startsWith("mem:") && !rest.startsWith("tcp:") && !rest.startsWith("ssl:")
                && !rest.startsWith("zip:");
    }

    /** The value of {@code ;NAME=value} in an H2 URL (names are case-insensitive), or null. */
    private static String h2Option(String url, String name) {
        String[] parts = url.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0 && parts[i].substring(0, eq).trim().equalsIgnoreCase(name)) {
                return parts[i].substring(eq + 1).trim();
            }
        }
        return null;
    }

    /**
     * PostgreSQL settings under which a commit is acknowledged before it is on disk: harmless when only the service is
     * killed, but a crash of PostgreSQL or of its machine loses the commits behind answers already sent. Warned about,
     * since the DBA may have chosen them on purpose.
     */
    private static void warnOfLossyPostgres(HikariDataSource dataSource, String url) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String setting : new String[] {"synchronous_commit", "fsync"}) {
                try (ResultSet r = s.executeQuery("SHOW " + setting)) {
                    if (r.next() && "off".equalsIgnoreCase(r.getString(1))) {
                        LOG.warn("{} is off for {}: a crash of PostgreSQL or of its host loses commits that were "
                                + "already answered; set it to on", setting, redact(url));
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warn("cannot read the durability settings of {}: {}", redact(url), e.getMessage());
        }
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
