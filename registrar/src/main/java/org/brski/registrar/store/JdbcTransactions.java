package org.brski.registrar.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;

import javax.sql.DataSource;

import org.brski.registrar.RegistrarException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC plumbing shared by the registrar's stores ({@link JdbcRegistrarStore} and the fieldbus store on the same
 * data source): one transaction per operation, rolled back on any failure so that no partial rows remain, SQL errors
 * logged and answered as 503 without details.
 */
public final class JdbcTransactions {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcTransactions.class);
    /** SQLState of a unique or primary key violation (H2 and PostgreSQL alike). */
    public static final String UNIQUE_VIOLATION = "23505";

    private JdbcTransactions() {
    }

    /** The work of one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException, RegistrarException;
    }

    /** A typed SQL NULL parameter for {@link #update} (PostgreSQL wants the column's type). */
    public record SqlNull(int type) {
        public static final SqlNull BIGINT = new SqlNull(Types.BIGINT);
        public static final SqlNull INTEGER = new SqlNull(Types.INTEGER);
        public static final SqlNull TIMESTAMP = new SqlNull(Types.TIMESTAMP_WITH_TIMEZONE);
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
     *
     * @param what for the log line, e.g. "storing a manufacturer"
     * @throws RegistrarException what {@code work} threw, or 503 {@code storage-unavailable} on SQL failures
     */
    public static <T> T run(DataSource dataSource, String what, Work<T> work) throws RegistrarException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RegistrarException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.error("storage failure while {}: {} (SQLState {})", what, e.getMessage(), e.getSQLState());
            throw RegistrarException.unavailable("storage-unavailable", "the registrar's storage is unavailable",
                    "storage failure while " + what, e, Duration.ofSeconds(30));
        }
    }

    /**
     * Executes an update with positional parameters: {@code null} (as VARCHAR), {@link SqlNull}, {@code byte[]} or any
     * object JDBC maps.
     */
    public static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object p = parameters[i];
                if (p == null) {
                    s.setNull(i + 1, Types.VARCHAR);
                } else if (p instanceof SqlNull n) {
                    s.setNull(i + 1, n.type());
                } else if (p instanceof byte[] bytes) {
                    s.setBytes(i + 1, bytes);
                } else {
                    s.setObject(i + 1, p);
                }
            }
            return s.executeUpdate();
        }
    }
}
