package org.brski.server.db;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a service keeps its data: a JDBC URL ({@code jdbc:h2:...} for the embedded default, {@code jdbc:postgresql:...}
 * for PostgreSQL) with credentials and a pool size. {@link #toString()} hides the password.
 *
 * @param url JDBC URL
 * @param user user name (may be empty)
 * @param password password (may be empty)
 * @param maxPoolSize most pooled connections
 */
public record DatabaseConfig(String url, String user, String password, int maxPoolSize) {
    public DatabaseConfig {
        Objects.requireNonNull(url, "url");
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1");
        }
    }

    /**
     * An embedded H2 file database at {@code basePath} (H2 appends {@code .mv.db}); {@link Databases#open} adds the
     * options that make a committed row survive a crash ({@link Databases#durableUrl(String)}).
     */
    public static DatabaseConfig h2File(Path basePath) {
        return new DatabaseConfig("jdbc:h2:file:" + basePath.toAbsolutePath(), "sa", "", 10);
    }

    /** A private in-memory H2 database that lives until the pool closes (for tests and trials). */
    public static DatabaseConfig h2Memory(String name) {
        return new DatabaseConfig("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "", 10);
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
                + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
