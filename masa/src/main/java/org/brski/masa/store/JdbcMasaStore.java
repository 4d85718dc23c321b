package org.brski.masa.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.brski.voucher.Assertion;

/**
 * {@link MasaStore} over JDBC, portable between H2 and PostgreSQL; the schema comes from the Flyway scripts in
 * {@value #MIGRATIONS}. Replays are caught by a unique index on (serial-number, nonce), so two concurrent requests with
 * one nonce cannot both be logged.
 */
public final class JdbcMasaStore implements MasaStore {
    /** Classpath location of this store's Flyway migrations. */
    public static final String MIGRATIONS = "db/migration/masa";
    /** Flyway history table of this store. */
    public static final String HISTORY_TABLE = "masa_schema_history";

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DEVICE_COLUMNS = "serial_number, ownership, owner_key_id, added_at";
    private static final String EVENT_COLUMNS =
            "serial_number, issued_at, domain_id, nonce, assertion, expires_at, domain_key_id";

    private final DataSource dataSource;

    public JdbcMasaStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Optional<Device> device(String serialNumber) throws StoreException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + DEVICE_COLUMNS
                        + " FROM masa_device WHERE serial_number = ?")) {
            s.setString(1, serialNumber);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(device(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("reading device", e);
        }
    }

    @Override
    public boolean addDevice(Device device) throws StoreException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO masa_device (" + DEVICE_COLUMNS
                        + ") VALUES (?, ?, ?, ?)")) {
            s.setString(1, device.serialNumber());
            setOwnership(s, 2, device.ownership());
            s.setObject(4, device.addedAt());
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw failure("adding device", e);
        }
    }

    @Override
    public boolean setOwnership(String serialNumber, Ownership ownership) throws StoreException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "UPDATE masa_device SET ownership = ?, owner_key_id = ? WHERE serial_number = ?")) {
            setOwnership(s, 1, ownership);
            s.setString(3, serialNumber);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("setting ownership", e);
        }
    }

    @Override
    public List<Device> devices(int offset, int limit) throws StoreException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + DEVICE_COLUMNS
                        + " FROM masa_device ORDER BY serial_number LIMIT ? OFFSET ?")) {
            s.setInt(1, limit);
            s.setInt(2, offset);
            List<Device> devices = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    devices.add(device(rs));
                }
            }
            return devices;
        } catch (SQLException e) {
            throw failure("listing devices", e);
        }
    }

    @Override
    public boolean nonceUsed(String serialNumber, String nonce) throws StoreException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT 1 FROM masa_audit_event WHERE serial_number = ? AND nonce = ?")) {
            s.setString(1, serialNumber);
            s.setString(2, nonce);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure("checking nonce", e);
        }
    }

    @Override
    public boolean appendAuditEvent(AuditEvent event) throws StoreException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO masa_audit_event (" + EVENT_COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(true);
            s.setString(1, event.serialNumber());
            s.setObject(2, event.date());
            s.setString(3, event.domainId());
            s.setString(4, event.nonce());
            s.setString(5, event.assertion().yangName());
            s.setObject(6, event.expiresOn());
            s.setString(7, event.domainKeyId());
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw failure("appending audit event", e);
        }
    }

    @Override
    public List<AuditEvent> auditEvents(String serialNumber, int limit) throws StoreException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + EVENT_COLUMNS
                        + " FROM masa_audit_event WHERE serial_number = ? ORDER BY id DESC LIMIT ?")) {
            s.setString(1, serialNumber);
            s.setInt(2, limit);
            List<AuditEvent> events = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(new AuditEvent(rs.getString(1), utc(rs.getObject(2, OffsetDateTime.class)),
                            rs.getString(3), rs.getString(4), Assertion.fromYangName(rs.getString(5)).orElseThrow(
                                    () -> new SQLException("unknown assertion in audit log")),
                            utc(rs.getObject(6, OffsetDateTime.class)), rs.getString(7)));
                }
            }
            Collections.reverse(events);
            return events;
        } catch (SQLException e) {
            throw failure("reading audit log", e);
        }
    }

    @Override
    public long auditEventCount(String serialNumber) throws StoreException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT COUNT(*) FROM masa_audit_event WHERE serial_number = ?")) {
            s.setString(1, serialNumber);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("counting audit events", e);
        }
    }

    private static void setOwnership(PreparedStatement s, int index, Ownership ownership) throws SQLException {
        s.setString(index, ownership.kind().name());
        s.setString(index + 1, ownership.ownerKeyId().map(Base64.getEncoder()::encodeToString).orElse(null));
    }

    private static Device device(ResultSet rs) throws SQLException {
        Ownership.Kind kind;
        try {
            kind = Ownership.Kind.valueOf(rs.getString(2));
        } catch (IllegalArgumentException e) {
            throw new SQLException("unknown ownership kind in device table", e);
        }
        Ownership ownership = switch (kind) {
            case DEFAULT -> Ownership.byDefault();
            case OPEN -> Ownership.open();
            case BOUND -> Ownership.boundTo(Base64.getDecoder().decode(rs.getString(3)));
        };
        return new Device(rs.getString(1), ownership, utc(rs.getObject(4, OffsetDateTime.class)));
    }

    private static OffsetDateTime utc(OffsetDateTime value) {
        return value == null ? null : value.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static StoreException failure(String action, SQLException e) {
        return new StoreException(action + " failed: SQLState " + e.getSQLState() + ": " + e.getMessage(), e);
    }
}
