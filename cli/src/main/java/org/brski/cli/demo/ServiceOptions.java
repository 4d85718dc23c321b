package org.brski.cli.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Optional;
import org.brski.server.db.DatabaseConfig;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The options of commands that run a MASA and a registrar in this process ({@code brski demo}, {@code brski bench}):
 * where their databases live and how loud their logs are. Used as a picocli {@code @Mixin}.
 */
public final class ServiceOptions {
    @Option(names = "--database", paramLabel = "JDBC_URL",
            description = "Run both services on this PostgreSQL database (jdbc:postgresql://...) instead of H2 files.")
    String database;

    @Option(names = "--db-user", paramLabel = "USER", description = "Database user (with --database).")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", description = "Database password (with --database).")
    String dbPassword;

    @Option(names = "--verbose", description = "Also show the services' INFO logs (stderr).")
    boolean verbose;

    /** What is wrong with these options, or empty. */
    public Optional<String> problem() {
        if (database != null && !database.startsWith("jdbc:postgresql:") && !database.startsWith("jdbc:h2:")) {
            return Optional.of("--database must be a jdbc:postgresql:// (or jdbc:h2:) URL");
        }
        return Optional.empty();
    }

    /** The database both services share when {@code --database} is given. */
    public Optional<DatabaseConfig> sharedDatabase() {
        return database == null ? Optional.empty() : Optional.of(new DatabaseConfig(database, dbUser, dbPassword, 10));
    }

    /** The {@code --database} URL as given, if any. */
    public Optional<String> databaseUrl() {
        return Optional.ofNullable(database);
    }

    /**
     * Unless {@code --verbose}, shows only warnings and errors of the {@code org.brski} loggers: the command's own
     * output tells the story, and the services' per-request INFO lines on stderr would bury it.
     */
    public void applyLogging() {
        if (!verbose && LoggerFactory.getLogger("org.brski") instanceof Logger logger) {
            logger.setLevel(Level.WARN);
        }
    }
}
