package org.brski.registrar.store;

import java.math.BigInteger;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.brski.pkix.Certificates;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.policy.Approval;
import org.brski.registrar.policy.ApprovalMode;
import org.brski.registrar.policy.Manufacturer;
import org.brski.server.config.Compat;

/**
 * {@link RegistrarStore} on JDBC, portable between H2 2.x and PostgreSQL: plain SQL, upserts as update-then-insert
 * with a savepoint so that concurrent instances racing on one row both succeed. The schema comes from the Flyway
 * scripts under {@value #MIGRATIONS}. SQL errors are logged and answered as 503 without details.
 */
public final class JdbcRegistrarStore implements RegistrarStore {
    /** Classpath location of this module's Flyway migrations. */
    public static final String MIGRATIONS = "db/migration/registrar";
    /** Flyway history table of this module (other services may share the database). */
    public static final String HISTORY_TABLE = "registrar_schema_history";
    /** Longest telemetry JSON kept. */
    public static final int MAX_STATUS_JSON = 16384;
    /** Longest audit-log JSON kept. */
    public static final int MAX_AUDIT_LOG = 262144;

    private static final String UNIQUE_VIOLATION = JdbcTransactions.UNIQUE_VIOLATION;

    private final DataSource dataSource;
    private final Clock clock;

    private JdbcRegistrarStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** A store on an already migrated data source (see {@link #MIGRATIONS}). */
    public static JdbcRegistrarStore of(DataSource dataSource, Clock clock) {
        return new JdbcRegistrarStore(Objects.requireNonNull(dataSource, "dataSource"),
                Objects.requireNonNull(clock, "clock"));
    }

    private <T> T transaction(String what, JdbcTransactions.Work<T> work) throws RegistrarException {
        return JdbcTransactions.run(dataSource, what, work);
    }

    // ---------------------------------------------------------------- manufacturers

    @Override
    public List<Manufacturer> manufacturers() throws RegistrarException {
        return transaction("listing manufacturers", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM registrar_manufacturer ORDER BY name");
                    ResultSet r = s.executeQuery()) {
                List<Manufacturer> all = new ArrayList<>();
                while (r.next()) {
                    all.add(manufacturer(r));
                }
                return all;
            }
        });
    }

    @Override
    public Optional<Manufacturer> manufacturer(String name) throws RegistrarException {
        return transaction("reading a manufacturer", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM registrar_manufacturer WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(manufacturer(r)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void putManufacturer(Manufacturer m) throws RegistrarException {
        transaction("storing a manufacturer", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT name FROM registrar_manufacturer WHERE ca_sha256 = ? AND name <> ?")) {
                s.setString(1, m.caFingerprint());
                s.setString(2, m.name());
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        throw RegistrarException.of(409, "duplicate-manufacturer-ca", "Conflict",
                                "this CA certificate already belongs to manufacturer '" + r.getString(1) + "'");
                    }
                }
            }
            int written = upsert(c, () -> writeManufacturer(c, "UPDATE registrar_manufacturer SET ca_cert = ?,"
                    + " ca_sha256 = ?, trusted = ?, approval_mode = ?, masa_anchors = ?, masa_url = ?, masa_dialect = ?,"
                    + " updated_at = ? WHERE name = ?", m),
                    () -> writeManufacturer(c, "INSERT INTO registrar_manufacturer (ca_cert, ca_sha256, trusted,"
                            + " approval_mode, masa_anchors, masa_url, masa_dialect, updated_at, name)"
                            + " VALUES (?,?,?,?,?,?,?,?,?)", m));
            if (written == 0) {
                // another instance stored this CA under another name between our check and our insert
                throw RegistrarException.of(409, "duplicate-manufacturer-ca", "Conflict",
                        "this CA certificate already belongs to another manufacturer");
            }
            return null;
        });
    }

    /** Runs {@code sql} with the manufacturer's columns bound in the order of its placeholders, name last. */
    private int writeManufacturer(Connection c, String sql, Manufacturer m) throws SQLException {
        return update(c, sql, Certificates.der(m.caCertificate()), m.caFingerprint(), m.trusted(), m.mode().name(),
                m.masaAnchors().isEmpty() ? null : Pem.encodeCertificates(m.masaAnchors()),
                m.masaUrl().map(URI::toString).orElse(null), Manufacturer.masaDialectName(m.masaDialect()), now(),
                m.name());
    }

    @Override
    public boolean setManufacturerTrusted(String name, boolean trusted) throws RegistrarException {
        return transaction("changing manufacturer trust", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE registrar_manufacturer SET trusted = ?, updated_at = ? WHERE name = ?")) {
                s.setBoolean(1, trusted);
                s.setObject(2, now());
                s.setString(3, name);
                return s.executeUpdate() == 1;
            }
        });
    }

    private static Manufacturer manufacturer(ResultSet r) throws SQLException {
        String anchors = r.getString("masa_anchors");
        String url = r.getString("masa_url");
        List<X509Certificate> masaAnchors;
        try {
            masaAnchors = anchors == null ? List.of() : Pem.parseCertificates(anchors, "masa_anchors");
        } catch (PkixException e) {
            throw new SQLException("stored MASA anchors are unreadable", e);
        }
        Compat dialect;
        try {
            dialect = Manufacturer.parseMasaDialect(r.getString("masa_dialect"));
        } catch (IllegalArgumentException e) {
            throw new SQLException("stored MASA dialect is unknown", e);
        }
        return new Manufacturer(r.getString("name"), certificate(r.getBytes("ca_cert")), r.getBoolean("trusted"),
                ApprovalMode.valueOf(r.getString("approval_mode")), masaAnchors,
                Optional.ofNullable(url).map(URI::create), dialect);
    }

    // ---------------------------------------------------------------- devices

    private static final String DEVICE_SELECT = "SELECT d.*,"
            + " (SELECT COUNT(*) FROM registrar_voucher v WHERE v.serial = d.serial) AS voucher_count,"
            + " (SELECT MAX(v.created_at) FROM registrar_voucher v WHERE v.serial = d.serial) AS last_voucher,"
            + " (SELECT COUNT(*) FROM registrar_certificate c WHERE c.serial = d.serial) AS cert_count"
            + " FROM registrar_device d";

    @Override
    public Optional<Device> device(String serial) throws RegistrarException {
        return transaction("reading a device", c -> {
            try (PreparedStatement s = c.prepareStatement(DEVICE_SELECT + " WHERE d.serial = ?")) {
                s.setString(1, serial);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(device(r)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Device> devices(int limit) throws RegistrarException {
        return transaction("listing devices", c -> {
            try (PreparedStatement s = c.prepareStatement(DEVICE_SELECT + " ORDER BY d.serial")) {
                s.setMaxRows(Math.max(1, limit));
                try (ResultSet r = s.executeQuery()) {
                    List<Device> all = new ArrayList<>();
                    while (r.next()) {
                        all.add(device(r));
                    }
                    return all;
                }
            }
        });
    }

    @Override
    public void setApproval(String serial, Approval approval) throws RegistrarException {
        transaction("setting a device approval", c -> {
            upsert(c, () -> update(c, "UPDATE registrar_device SET approval = ?, updated_at = ? WHERE serial = ?",
                    approval.name(), now(), serial),
                    () -> update(c, "INSERT INTO registrar_device (serial, approval, first_seen, updated_at)"
                            + " VALUES (?,?,?,?)", serial, approval.name(), now(), now()));
            return null;
        });
    }

    @Override
    public void recordPending(String serial, String manufacturer, X509Certificate idevid, String pvrSha256)
            throws RegistrarException {
        byte[] der = Certificates.der(idevid);
        transaction("recording a pending device", c -> {
            upsert(c, () -> update(c, "UPDATE registrar_device SET manufacturer = ?, idevid = ?, pending_pvr = ?,"
                    + " updated_at = ? WHERE serial = ?", manufacturer, der, pvrSha256, now(), serial),
                    () -> update(c, "INSERT INTO registrar_device (serial, manufacturer, idevid, approval, pending_pvr,"
                            + " first_seen, updated_at) VALUES (?,?,?,?,?,?,?)", serial, manufacturer, der,
                            Approval.PENDING.name(), pvrSha256, now(), now()));
            return null;
        });
    }

    @Override
    public boolean wasHeld(String serial, String pvrSha256) throws RegistrarException {
        return transaction("reading a held request", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT 1 FROM registrar_device WHERE serial = ? AND pending_pvr = ?")) {
                s.setString(1, serial);
                s.setString(2, pvrSha256);
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    @Override
    public void recordVoucher(VoucherRecord v, String manufacturer, X509Certificate idevid, Approval approval)
            throws RegistrarException {
        byte[] der = Certificates.der(idevid);
        transaction("recording a voucher", c -> {
            upsert(c, () -> update(c, "UPDATE registrar_device SET manufacturer = ?, idevid = ?, updated_at = ?,"
                    + " pending_pvr = NULL,"
                    + " approval = CASE WHEN approval = 'PENDING' THEN ? ELSE approval END WHERE serial = ?",
                    manufacturer, der, now(), approval.name(), v.serial()),
                    () -> update(c, "INSERT INTO registrar_device (serial, manufacturer, idevid, approval, first_seen,"
                            + " updated_at) VALUES (?,?,?,?,?,?)", v.serial(), manufacturer, der, approval.name(),
                            now(), now()));
            update(c, "INSERT INTO registrar_voucher (serial, created_at, nonce, masa_url, pvr, rvr, voucher)"
                    + " VALUES (?,?,?,?,?,?,?)", v.serial(), v.createdAt().atOffset(ZoneOffset.UTC),
                    v.nonce().orElse(null), v.masaUrl().toString(), v.pvr(), v.rvr(), v.voucher());
            return null;
        });
    }

    @Override
    public Optional<VoucherRecord> latestVoucher(String serial) throws RegistrarException {
        return transaction("reading a voucher", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM registrar_voucher WHERE serial = ? ORDER BY id DESC")) {
                s.setMaxRows(1);
                s.setString(1, serial);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(VoucherRecord.of(r.getString("serial"), instant(r, "created_at"),
                            Optional.ofNullable(r.getString("nonce")), URI.create(r.getString("masa_url")),
                            r.getBytes("pvr"), r.getBytes("rvr"), r.getBytes("voucher")));
                }
            }
        });
    }

    @Override
    public boolean recordVoucherStatus(String serial, StatusReport report) throws RegistrarException {
        return transaction("recording voucher status", c -> update(c, "UPDATE registrar_device SET voucher_status = ?,"
                + " voucher_status_ok = ?, voucher_status_at = ?, updated_at = ? WHERE serial = ?",
                clip(report.json(), MAX_STATUS_JSON), report.status(), report.receivedAt().atOffset(ZoneOffset.UTC),
                now(), serial) == 1);
    }

    @Override
    public boolean recordEnrollStatus(String serial, StatusReport report) throws RegistrarException {
        return transaction("recording enroll status", c -> update(c, "UPDATE registrar_device SET enroll_status = ?,"
                + " enroll_status_ok = ?, enroll_status_tls = ?, enroll_status_at = ?, updated_at = ? WHERE serial = ?",
                clip(report.json(), MAX_STATUS_JSON), report.status(), report.clientCertMatched(),
                report.receivedAt().atOffset(ZoneOffset.UTC), now(), serial) == 1);
    }

    @Override
    public boolean recordAudit(String serial, AuditResult result) throws RegistrarException {
        return transaction("recording an audit result", c -> update(c, "UPDATE registrar_device SET audit_outcome = ?,"
                + " audit_summary = ?, audit_log = ?, audit_at = ?, updated_at = ? WHERE serial = ?",
                result.outcome().name(), clip(result.summary(), 4096), clip(result.log(), MAX_AUDIT_LOG),
                result.checkedAt().atOffset(ZoneOffset.UTC), now(), serial) == 1);
    }

    @Override
    public boolean recordCertificate(String serial, X509Certificate certificate, int limit)
            throws RegistrarException {
        return transaction("recording an issued certificate", c -> {
            // the device row lock serialises concurrent issuance for one device, so the count below stays true
            try (PreparedStatement lock = c.prepareStatement(
                    "SELECT serial FROM registrar_device WHERE serial = ? FOR UPDATE")) {
                lock.setString(1, serial);
                lock.executeQuery().close();
            }
            try (PreparedStatement count = c.prepareStatement(
                    "SELECT COUNT(*) FROM registrar_certificate WHERE serial = ?")) {
                count.setString(1, serial);
                try (ResultSet r = count.executeQuery()) {
                    if (r.next() && r.getLong(1) >= limit) {
                        return false;
                    }
                }
            }
            update(c, "INSERT INTO registrar_certificate (cert_serial, serial, cert, issued_at, not_after)"
                    + " VALUES (?,?,?,?,?)", certificate.getSerialNumber().toString(16), serial,
                    Certificates.der(certificate), now(), certificate.getNotAfter().toInstant().atOffset(ZoneOffset.UTC));
            return true;
        });
    }

    @Override
    public Optional<IssuedCertificate> issuedCertificate(X509Certificate certificate) throws RegistrarException {
        BigInteger number = certificate.getSerialNumber();
        byte[] der = Certificates.der(certificate);
        return transaction("reading an issued certificate", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT serial, cert, issued_at FROM registrar_certificate WHERE cert_serial = ?")) {
                s.setString(1, number.toString(16));
                try (ResultSet r = s.executeQuery()) {
                    if (r.next() && Arrays.equals(r.getBytes("cert"), der)) {
                        return Optional.of(new IssuedCertificate(r.getString("serial"), certificate,
                                instant(r, "issued_at")));
                    }
                    return Optional.empty();
                }
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    @FunctionalInterface
    private interface Statement {
        int run() throws SQLException;
    }

    /**
     * Update; when no row changed insert; when a concurrent insert won the race, update again.
     *
     * @return the rows written: 0 only when the insert hit a unique key that the update does not match
     */
    private static int upsert(Connection c, Statement update, Statement insert) throws SQLException {
        int updated = update.run();
        if (updated > 0) {
            return updated;
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            int inserted = insert.run();
            c.releaseSavepoint(savepoint);
            return inserted;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(savepoint);
            return update.run();
        }
    }

    private static int update(Connection c, String sql, Object... parameters) throws SQLException {
        return JdbcTransactions.update(c, sql, parameters);
    }

    private Device device(ResultSet r) throws SQLException {
        byte[] idevid = r.getBytes("idevid");
        Optional<StatusReport> voucherStatus = Optional.empty();
        if (r.getString("voucher_status") != null) {
            voucherStatus = Optional.of(report(r.getString("voucher_status"), r.getBoolean("voucher_status_ok"),
                    instant(r, "voucher_status_at"), true));
        }
        Optional<StatusReport> enrollStatus = Optional.empty();
        if (r.getString("enroll_status") != null) {
            enrollStatus = Optional.of(report(r.getString("enroll_status"), r.getBoolean("enroll_status_ok"),
                    instant(r, "enroll_status_at"), r.getBoolean("enroll_status_tls")));
        }
        Optional<AuditResult> audit = Optional.empty();
        if (r.getString("audit_outcome") != null) {
            audit = Optional.of(new AuditResult(AuditResult.Outcome.valueOf(r.getString("audit_outcome")),
                    r.getString("audit_summary"), Objects.toString(r.getString("audit_log"), ""),
                    instant(r, "audit_at")));
        }
        OffsetDateTime last = r.getObject("last_voucher", OffsetDateTime.class);
        return new Device(r.getString("serial"), Optional.ofNullable(r.getString("manufacturer")),
                idevid == null ? Optional.empty() : Optional.of(certificate(idevid)),
                Approval.valueOf(r.getString("approval")), instant(r, "first_seen"), instant(r, "updated_at"),
                r.getInt("voucher_count"), Optional.ofNullable(last).map(OffsetDateTime::toInstant), voucherStatus,
                enrollStatus, audit, r.getInt("cert_count"));
    }

    private static StatusReport report(String json, boolean ok, Instant at, boolean tls) {
        int version = 0;
        Optional<String> reason = Optional.empty();
        try {
            com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            version = node.path("version").asInt(0);
            if (node.path("reason").isTextual()) {
                reason = Optional.of(node.get("reason").textValue());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            reason = Optional.of("(unreadable report)");
        }
        return new StatusReport(version, ok, reason, json, at, tls);
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        OffsetDateTime value = r.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static String clip(String value, int max) {
        return value.length() > max ? value.substring(0, max) : value;
    }

    private static X509Certificate certificate(byte[] der) throws SQLException {
        try {
            return Certificates.fromDer(der);
        } catch (PkixException e) {
            throw new SQLException("stored certificate is unreadable", e);
        }
    }
}
