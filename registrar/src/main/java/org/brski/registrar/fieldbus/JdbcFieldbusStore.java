package org.brski.registrar.fieldbus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.brski.registrar.RegistrarException;
import org.brski.registrar.store.JdbcTransactions;
import org.brski.registrar.store.JdbcTransactions.SqlNull;

/**
 * {@link FieldbusStore} on the registrar's JDBC data source (H2 2.x and PostgreSQL; schema from migration
 * {@code V4__fieldbus.sql}). Rows of the machine being changed are locked with {@code SELECT ... FOR UPDATE} so that
 * instances sharing the database serialise rotations.
 */
public final class JdbcFieldbusStore implements FieldbusStore {
    private final DataSource dataSource;
    private final Clock clock;

    private JdbcFieldbusStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** A store on an already migrated data source (see {@code JdbcRegistrarStore.MIGRATIONS}). */
    public static JdbcFieldbusStore of(DataSource dataSource, Clock clock) {
        return new JdbcFieldbusStore(Objects.requireNonNull(dataSource, "dataSource"),
                Objects.requireNonNull(clock, "clock"));
    }

    private <T> T transaction(String what, JdbcTransactions.Work<T> work) throws RegistrarException {
        return JdbcTransactions.run(dataSource, what, work);
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static RegistrarException conflict(String slug, String detail) {
        return RegistrarException.of(409, slug, "Conflict", detail);
    }

    @Override
    public void addMachine(String id, boolean operatorKey, List<String> controllers, long integratorKeyId,
            OptionalLong operatorKeyId) throws RegistrarException {
        transaction("adding a fieldbus machine", c -> {
            if (lockMachine(c, id).isPresent()) {
                throw conflict("machine-exists", "machine '" + id + "' already exists");
            }
            for (String serial : controllers) {
                Optional<String> other = controlled(c, serial);
                if (other.isPresent()) {
                    throw conflict("controller-taken", "device '" + FieldbusFormat.clip(serial)
                            + "' already controls machine '" + other.get() + "'");
                }
            }
            OffsetDateTime now = now();
            try {
                JdbcTransactions.update(c, "INSERT INTO fieldbus_machine (machine_id, current_revision, operator_key,"
                        + " created_at, updated_at) VALUES (?, 1, ?, ?, ?)", id, operatorKey, now, now);
                insertRevision(c, id, 1, integratorKeyId, operatorKeyId, "created", now);
                for (String serial : controllers) {
                    JdbcTransactions.update(c, "INSERT INTO fieldbus_controller (device_serial, machine_id) VALUES"
                            + " (?, ?)", serial, id);
                }
            } catch (SQLException e) {
                if (JdbcTransactions.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    // another instance added the machine or took a controller between our checks and our inserts
                    throw conflict("machine-exists", "machine '" + id + "' or one of its controllers already exists");
                }
                throw e;
            }
            return null;
        });
    }

    private static void insertRevision(Connection c, String id, int revision, long ikId, OptionalLong okId,
            String reason, OffsetDateTime now) throws SQLException {
        JdbcTransactions.update(c, "INSERT INTO fieldbus_revision (machine_id, revision, state, integrator_key_id,"
                + " operator_key_id, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", id, revision,
                RevisionState.ACTIVE.token(), ikId, okId.isPresent() ? (Object) okId.getAsLong() : SqlNull.BIGINT,
                reason, now);
    }

    private static Optional<Integer> lockMachine(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT current_revision FROM fieldbus_machine WHERE machine_id = ? FOR UPDATE")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getInt(1)) : Optional.empty();
            }
        }
    }

    private static Optional<String> controlled(Connection c, String serial) throws SQLException {
        return string(c, "SELECT machine_id FROM fieldbus_controller WHERE device_serial = ?", serial);
    }

    private static Optional<String> string(Connection c, String sql, Object parameter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<Machine> machine(String id) throws RegistrarException {
        return transaction("reading a fieldbus machine", c -> {
            List<Machine> found = machines(c, "SELECT * FROM fieldbus_machine WHERE machine_id = ?", id);
            return found.stream().findFirst();
        });
    }

    @Override
    public List<Machine> machines(int limit) throws RegistrarException {
        return transaction("listing fieldbus machines", c -> {
            List<Machine> all = machines(c, "SELECT * FROM fieldbus_machine ORDER BY machine_id", null);
            return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
        });
    }

    @Override
    public Optional<Machine> machineOfController(String deviceSerial) throws RegistrarException {
        return transaction("reading a controller's machine", c -> machines(c, "SELECT m.* FROM fieldbus_machine m"
                + " JOIN fieldbus_controller k ON k.machine_id = m.machine_id WHERE k.device_serial = ?",
                deviceSerial).stream().findFirst());
    }

    private static List<Machine> machines(Connection c, String sql, String parameter) throws SQLException {
        List<Machine> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String id = r.getString("machine_id");
                    out.add(new Machine(id, r.getInt("current_revision"), r.getBoolean("operator_key"),
                            controllers(c, id), instant(r, "created_at")));
                }
            }
        }
        return out;
    }

    private static List<String> controllers(Connection c, String machineId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT device_serial FROM fieldbus_controller WHERE machine_id = ? ORDER BY device_serial")) {
            s.setString(1, machineId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    @Override
    public Optional<KeyRevision> revision(String machineId, int revision) throws RegistrarException {
        return transaction("reading a key revision", c -> revisions(c, machineId).stream()
                .filter(r -> r.revision() == revision).findFirst());
    }

    @Override
    public List<KeyRevision> revisions(String machineId) throws RegistrarException {
        return transaction("listing key revisions", c -> revisions(c, machineId));
    }

    private static List<KeyRevision> revisions(Connection c, String machineId) throws SQLException {
        List<KeyRevision> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT * FROM fieldbus_revision WHERE machine_id = ? ORDER BY revision")) {
            s.setString(1, machineId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new KeyRevision(machineId, r.getInt("revision"), RevisionState.parse(r.getString("state")),
                            r.getLong("integrator_key_id"), optionalLong(r, "operator_key_id"), r.getString("reason"),
                            instant(r, "created_at"), Optional.ofNullable(instant(r, "ended_at"))));
                }
            }
        }
        return out;
    }

    @Override
    public boolean rotate(String machineId, Rotation rotation) throws RegistrarException {
        return transaction("rotating a machine's keys", c -> {
            Optional<Integer> current = lockMachine(c, machineId);
            if (current.isEmpty() || current.get() != rotation.fromRevision()) {
                return false;
            }
            OffsetDateTime now = now();
            int next = rotation.fromRevision() + 1;
            JdbcTransactions.update(c, "UPDATE fieldbus_revision SET state = ?, ended_at = ? WHERE machine_id = ?"
                    + " AND revision = ? AND state = ?", (rotation.revokePrevious() ? RevisionState.REVOKED
                    : RevisionState.RETIRED).token(), now, machineId, rotation.fromRevision(),
                    RevisionState.ACTIVE.token());
            if (rotation.removeNode().isPresent()) {
                long serial = rotation.removeNode().getAsLong();
                JdbcTransactions.update(c, "DELETE FROM fieldbus_node_key WHERE machine_id = ? AND node_serial = ?",
                        machineId, serial);
                JdbcTransactions.update(c, "DELETE FROM fieldbus_node_report WHERE machine_id = ? AND node_serial = ?",
                        machineId, serial);
            }
            insertRevision(c, machineId, next, rotation.integratorKeyId(), rotation.operatorKeyId(),
                    rotation.reason(), now);
            JdbcTransactions.update(c, "UPDATE fieldbus_machine SET current_revision = ?, updated_at = ? WHERE"
                    + " machine_id = ?", next, now, machineId);
            return true;
        });
    }

    @Override
    public boolean revoke(String machineId, int revision) throws RegistrarException {
        return transaction("revoking a key revision", c -> {
            Optional<Integer> current = lockMachine(c, machineId);
            if (current.isEmpty() || current.get() == revision) {
                // the current revision is only revoked together with a rotation (rotate), never left unserved
                return false;
            }
            return JdbcTransactions.update(c, "UPDATE fieldbus_revision SET state = ?, ended_at = COALESCE(ended_at, ?)"
                    + " WHERE machine_id = ? AND revision = ?", RevisionState.REVOKED.token(), now(), machineId,
                    revision) > 0;
        });
    }

    /** 409 when one of {@code serials} belongs (by key or report) to a machine other than {@code machineId}. */
    private static void checkNodesFree(Connection c, String machineId, List<Long> serials) throws SQLException,
            RegistrarException {
        for (long serial : serials) {
            Optional<String> owner = string(c, "SELECT machine_id FROM fieldbus_node_key WHERE node_serial = ?",
                    serial);
            if (owner.isEmpty()) {
                owner = string(c, "SELECT machine_id FROM fieldbus_node_report WHERE node_serial = ?", serial);
            }
            if (owner.isPresent() && !owner.get().equals(machineId)) {
                throw conflict("node-of-another-machine", "node " + serial + " belongs to another machine");
            }
        }
    }

    @Override
    public void putNodeKeys(String machineId, List<NodeKey> keys) throws RegistrarException {
        transaction("storing node Provisioning Keys", c -> {
            if (lockMachine(c, machineId).isEmpty()) {
                throw RegistrarException.notFound("unknown-machine", "no machine '" + machineId + "'");
            }
            checkNodesFree(c, machineId, keys.stream().map(NodeKey::nodeSerial).toList());
            OffsetDateTime now = now();
            for (NodeKey k : keys) {
                int updated = JdbcTransactions.update(c, "UPDATE fieldbus_node_key SET wrapped_key = ?, key_id = ?,"
                        + " source = ?, updated_at = ? WHERE node_serial = ? AND machine_id = ?", k.wrappedKey(),
                        k.keyId(), k.source().token(), now, k.nodeSerial(), machineId);
                if (updated == 0) {
                    JdbcTransactions.update(c, "INSERT INTO fieldbus_node_key (node_serial, machine_id, wrapped_key,"
                            + " key_id, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", k.nodeSerial(),
                            machineId, k.wrappedKey(), k.keyId(), k.source().token(), now, now);
                }
            }
            return null;
        });
    }

    @Override
    public List<NodeKey> nodeKeys(String machineId) throws RegistrarException {
        return transaction("reading node Provisioning Keys", c -> {
            List<NodeKey> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM fieldbus_node_key WHERE machine_id = ? ORDER BY node_serial")) {
                s.setString(1, machineId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new NodeKey(r.getLong("node_serial"), r.getBytes("wrapped_key"), r.getLong("key_id"),
                                KeySource.parse(r.getString("source")), instant(r, "updated_at")));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void recordReports(String machineId, List<NodeReport> reports) throws RegistrarException {
        transaction("recording node reports", c -> {
            if (lockMachine(c, machineId).isEmpty()) {
                throw RegistrarException.notFound("unknown-machine", "no machine '" + machineId + "'");
            }
            checkNodesFree(c, machineId, reports.stream().map(NodeReport::nodeSerial).toList());
            for (NodeReport n : reports) {
                JdbcTransactions.update(c, "DELETE FROM fieldbus_node_report WHERE node_serial = ?", n.nodeSerial());
                JdbcTransactions.update(c, "INSERT INTO fieldbus_node_report (node_serial, machine_id, node_id,"
                        + " revision, pk_key_id, ik_key_id, ok_key_id, status, reported_by, reported_at) VALUES"
                        + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", n.nodeSerial(), machineId, n.nodeId(),
                        n.revision().isPresent() ? (Object) n.revision().getAsInt() : SqlNull.INTEGER,
                        nullable(n.provisioningKeyId()), nullable(n.integratorKeyId()), nullable(n.operatorKeyId()),
                        n.status(), n.reportedBy(), n.reportedAt().atOffset(ZoneOffset.UTC));
            }
            return null;
        });
    }

    @Override
    public List<NodeReport> reports(String machineId) throws RegistrarException {
        return transaction("reading node reports", c -> {
            List<NodeReport> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM fieldbus_node_report WHERE machine_id = ? ORDER BY node_serial")) {
                s.setString(1, machineId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        int revision = r.getInt("revision");
                        OptionalInt rev = r.wasNull() ? OptionalInt.empty() : OptionalInt.of(revision);
                        out.add(new NodeReport(r.getLong("node_serial"), r.getInt("node_id"), rev,
                                optionalLong(r, "pk_key_id"), optionalLong(r, "ik_key_id"),
                                optionalLong(r, "ok_key_id"), r.getString("status"), r.getString("reported_by"),
                                instant(r, "reported_at")));
                    }
                }
            }
            return out;
        });
    }

    private static Object nullable(OptionalLong value) {
        return value.isPresent() ? (Object) value.getAsLong() : SqlNull.BIGINT;
    }

    private static OptionalLong optionalLong(ResultSet r, String column) throws SQLException {
        long value = r.getLong(column);
        return r.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        OffsetDateTime value = r.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
