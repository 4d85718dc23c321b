package org.brski.server.db;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** An open, migrated, pooled database. Close it to release the pool (an in-memory H2 database then disappears). */
public final class Database implements AutoCloseable {
    /** The database products supported. */
    public enum Kind { H2, POSTGRESQL }

    private final HikariDataSource dataSource;
    private final Kind kind;

    Database(HikariDataSource dataSource, Kind kind) {
        this.dataSource = dataSource;
        this.kind = kind;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether a connection can be taken and answers within two seconds (a health check). */
    public boolean isHealthy() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
