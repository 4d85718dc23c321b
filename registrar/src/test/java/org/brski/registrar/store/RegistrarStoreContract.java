package org.brski.registrar.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

import org.brski.pki.HeldCertificate;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.policy.Approval;
import org.brski.registrar.policy.ApprovalMode;
import org.brski.registrar.policy.Manufacturer;
import org.brski.server.config.Compat;
import org.brski.server.db.Database;
import org.junit.jupiter.api.Test;

/** The {@link RegistrarStore} contract, run on H2 and on a real PostgreSQL. */
abstract class RegistrarStoreContract {
    private static final HeldCertificate CA = HeldCertificate.builder().commonName("Contract CA")
            .certificateAuthority(0).build();
    private static final HeldCertificate OTHER_CA = HeldCertificate.builder().commonName("Other CA")
            .certificateAuthority(0).build();

    /** The shared, migrated database. */
    abstract Database database();

    RegistrarStore store() {
        return JdbcRegistrarStore.of(database().dataSource(), Clock.systemUTC());
    }

    static String serial() {
        return "S-" + UUID.randomUUID();
    }

    static HeldCertificate idevid(String serial) {
        return HeldCertificate.builder().commonName("d").serialNumberAttribute(serial).signedBy(CA).build();
    }

    static VoucherRecord voucher(String serial, String nonce) {
        return VoucherRecord.of(serial, Instant.now(), Optional.ofNullable(nonce), URI.create("https://masa/.well-known/brski"),
                new byte[] {1, 2}, new byte[] {3, 4}, new byte[] {5, 6, 7});
    }

    @Test
    void manufacturersAreStoredReplacedAndToggled() throws Exception {
        RegistrarStore store = store();
        String name = "m-" + UUID.randomUUID().toString().substring(0, 8);
        HeldCertificate ca = HeldCertificate.builder().commonName(name).certificateAuthority(0).build();
        Manufacturer m = new Manufacturer(name, ca.certificate(), true, ApprovalMode.HOLD,
                List.of(OTHER_CA.certificate()), Optional.of(URI.create("https://masa.example:9443/.well-known/brski")));
        store.putManufacturer(m);
        assertEquals(m, store.manufacturer(name).orElseThrow());
        assertTrue(store.setManufacturerTrusted(name, false));
        assertFalse(store.manufacturer(name).orElseThrow().trusted());
        store.putManufacturer(m.withMode(ApprovalMode.AUTO).withMasaUrl(Optional.empty()));
        Manufacturer replaced = store.manufacturer(name).orElseThrow();
        assertEquals(ApprovalMode.AUTO, replaced.mode());
        assertTrue(replaced.masaUrl().isEmpty());
        assertTrue(store.manufacturers().stream().anyMatch(x -> x.name().equals(name)));
        assertEquals(Compat.NONE, replaced.masaDialect(), "RFC 8995 unless set");
        store.putManufacturer(replaced.withMasaDialect(Compat.NQMINDS));
        assertEquals(Compat.NQMINDS, store.manufacturer(name).orElseThrow().masaDialect());
        assertTrue(store.setManufacturerTrusted(name, true));
        assertEquals(Compat.NQMINDS, store.manufacturer(name).orElseThrow().masaDialect(), "kept by trust changes");
        assertFalse(store.setManufacturerTrusted("no-such-" + name, true));

        RegistrarException duplicate = assertThrows(RegistrarException.class,
                () -> store.putManufacturer(Manufacturer.trusted(name + "-dup", ca.certificate())));
        assertEquals(409, duplicate.problem().status());
        assertTrue(store.manufacturer(name + "-dup").isEmpty());
    }

    @Test
    void manufacturerInsertedByAnotherInstanceMeanwhile() throws Exception {
        String name = "race-" + UUID.randomUUID().toString().substring(0, 8);
        HeldCertificate ca = HeldCertificate.builder().commonName(name).certificateAuthority(0).build();
        Manufacturer ours = Manufacturer.trusted(name, ca.certificate()).withMode(ApprovalMode.HOLD);
        // between our UPDATE (no row yet) and our INSERT, another registrar instance stores the same manufacturer
        RegistrarStore racing = JdbcRegistrarStore.of(insertingFirst(database().dataSource(),
                "INSERT INTO registrar_manufacturer", () -> store().putManufacturer(Manufacturer.trusted(name,
                        ca.certificate()))), Clock.systemUTC());
        racing.putManufacturer(ours);
        assertEquals(ours, store().manufacturer(name).orElseThrow(), "the later write wins, as without the race");

        HeldCertificate otherCa = HeldCertificate.builder().commonName(name + "-b").certificateAuthority(0).build();
        RegistrarStore racingOnCa = JdbcRegistrarStore.of(insertingFirst(database().dataSource(),
                "INSERT INTO registrar_manufacturer", () -> store().putManufacturer(Manufacturer.trusted(name + "-b",
                        otherCa.certificate()))), Clock.systemUTC());
        RegistrarException conflict = assertThrows(RegistrarException.class,
                () -> racingOnCa.putManufacturer(Manufacturer.trusted(name + "-c", otherCa.certificate())));
        assertEquals(409, conflict.problem().status());
        assertTrue(store().manufacturer(name + "-c").isEmpty());
    }

    /** What another registrar instance does meanwhile. */
    interface Competitor {
        void run() throws Exception;
    }

    /** A data source whose connections run {@code competitor} once, just before preparing SQL starting so. */
    static DataSource insertingFirst(DataSource real, String sqlPrefix, Competitor competitor) {
        AtomicBoolean fired = new AtomicBoolean();
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = call(method, real, args);
                    if (!(result instanceof Connection connection)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                if (m.getName().equals("prepareStatement") && a[0] instanceof String sql
                                        && sql.startsWith(sqlPrefix) && fired.compareAndSet(false, true)) {
                                    competitor.run();
                                }
                                return call(m, connection, a);
                            });
                });
    }

    private static Object call(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void approvalCreatesAndUpdatesDevices() throws Exception {
        RegistrarStore store = store();
        String serial = serial();
        store.setApproval(serial, Approval.APPROVED);
        Device d = store.device(serial).orElseThrow();
        assertEquals(Approval.APPROVED, d.approval());
        assertTrue(d.idevid().isEmpty());
        store.setApproval(serial, Approval.DENIED);
        assertEquals(Approval.DENIED, store.device(serial).orElseThrow().approval());
    }

    @Test
    void pendingThenVoucher() throws Exception {
        RegistrarStore store = store();
        String serial = serial();
        HeldCertificate idevid = idevid(serial);
        store.recordPending(serial, "acme", idevid.certificate(), "ab".repeat(32));
        assertEquals(Approval.PENDING, store.device(serial).orElseThrow().approval());
        assertTrue(store.wasHeld(serial, "ab".repeat(32)));
        assertFalse(store.wasHeld(serial, "cd".repeat(32)));
        assertFalse(store.wasHeld(serial() , "ab".repeat(32)));
        store.recordVoucher(voucher(serial, "n1"), "acme", idevid.certificate(), Approval.AUTO);
        Device d = store.device(serial).orElseThrow();
        assertEquals(Approval.AUTO, d.approval());
        assertEquals(1, d.vouchers());
        assertEquals(idevid.certificate(), d.idevid().orElseThrow());
        assertEquals("acme", d.manufacturer().orElseThrow());
        VoucherRecord latest = store.latestVoucher(serial).orElseThrow();
        assertEquals("n1", latest.nonce().orElseThrow());
        assertEquals(3, latest.voucher().length);
        store.recordVoucher(voucher(serial, "n2"), "acme", idevid.certificate(), Approval.AUTO);
        assertEquals("n2", store.latestVoucher(serial).orElseThrow().nonce().orElseThrow());
        assertEquals(2, store.device(serial).orElseThrow().vouchers());
    }

    @Test
    void aHeldRequestIsForgottenOnceItsVoucherIsStored() throws Exception {
        RegistrarStore store = store();
        String serial = serial();
        HeldCertificate idevid = idevid(serial);
        store.recordPending(serial, "acme", idevid.certificate(), "ab".repeat(32));
        assertTrue(store.wasHeld(serial, "ab".repeat(32)));
        store.recordVoucher(voucher(serial, "n-held"), "acme", idevid.certificate(), Approval.AUTO);
        assertFalse(store.wasHeld(serial, "ab".repeat(32)), "the held request no longer escapes the freshness check");
    }

    @Test
    void failedVoucherLeavesNoPartialRows() throws Exception {
        RegistrarStore store = store();
        String serial = serial();
        String tooLongNonce = "x".repeat(600);
        assertThrows(RegistrarException.class, () -> store.recordVoucher(voucher(serial, tooLongNonce), "acme",
                idevid(serial).certificate(), Approval.AUTO));
        assertTrue(store.device(serial).isEmpty(), "device row rolled back with the voucher");
    }

    @Test
    void telemetryAuditAndCertificates() throws Exception {
        RegistrarStore store = store();
        String serial = serial();
        StatusReport report = new StatusReport(1, true, Optional.of("fine"), "{\"version\":1,\"status\":true}",
                Instant.now(), true);
        assertFalse(store.recordVoucherStatus(serial, report), "unknown device");
        assertFalse(store.recordAudit(serial, new AuditResult(AuditResult.Outcome.PASSED, "ok", "{}", Instant.now())));
        HeldCertificate idevid = idevid(serial);
        store.recordVoucher(voucher(serial, "n"), "acme", idevid.certificate(), Approval.AUTO);
        assertTrue(store.recordVoucherStatus(serial, report));
        assertTrue(store.recordEnrollStatus(serial, new StatusReport(1, false, Optional.of("no"),
                "{\"version\":1,\"status\":false,\"reason\":\"no\"}", Instant.now(), true)));
        assertTrue(store.recordAudit(serial, new AuditResult(AuditResult.Outcome.VIOLATION, "bad", "{\"events\":[]}",
                Instant.now())));
        Device d = store.device(serial).orElseThrow();
        assertTrue(d.voucherStatus().orElseThrow().status());
        assertEquals("no", d.enrollStatus().orElseThrow().reason().orElseThrow());
        assertTrue(d.auditViolated());

        HeldCertificate ldevid = HeldCertificate.builder().commonName("l").serialNumberAttribute(serial).signedBy(CA)
                .build();
        assertTrue(store.recordCertificate(serial, ldevid.certificate(), 100));
        assertEquals(serial, store.issuedCertificate(ldevid.certificate()).orElseThrow().serial());
        assertTrue(store.issuedCertificate(idevid.certificate()).isEmpty());
        assertEquals(1, store.device(serial).orElseThrow().certificates());
        assertTrue(store.devices(100_000).stream().anyMatch(x -> x.serial().equals(serial)));
    }

    @Test
    void certificatesStopAtTheLimitEvenWhenInstancesRace() throws Exception {
        String serial = serial();
        HeldCertificate idevid = idevid(serial);
        store().recordVoucher(voucher(serial, "n-limit"), "acme", idevid.certificate(), Approval.AUTO);
        int limit = 3;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RegistrarStore instance = store();
                HeldCertificate ldevid = HeldCertificate.builder().commonName("l" + i).serialNumberAttribute(serial)
                        .signedBy(CA).build();
                results.add(pool.submit(() -> instance.recordCertificate(serial, ldevid.certificate(), limit)));
            }
            int recorded = 0;
            for (Future<Boolean> f : results) {
                recorded += f.get() ? 1 : 0;
            }
            assertEquals(limit, recorded);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(limit, store().device(serial).orElseThrow().certificates());
        HeldCertificate late = HeldCertificate.builder().commonName("late").serialNumberAttribute(serial).signedBy(CA)
                .build();
        assertFalse(store().recordCertificate(serial, late.certificate(), limit));
        assertTrue(store().issuedCertificate(late.certificate()).isEmpty(), "nothing written past the limit");
        assertTrue(store().recordCertificate(serial, late.certificate(), limit + 1), "a raised limit admits it");
    }

    @Test
    void concurrentInstancesRacingOnOneDevice() throws Exception {
        String serial = serial();
        HeldCertificate idevid = idevid(serial);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RegistrarStore instance = store(); // a separate store object per "registrar instance"
                int n = i;
                Callable<Object> task = () -> {
                    if (n % 2 == 0) {
                        instance.recordPending(serial, "acme", idevid.certificate(), "ef".repeat(32));
                    } else {
                        instance.recordVoucher(voucher(serial, "race-" + n), "acme", idevid.certificate(),
                                Approval.AUTO);
                    }
                    return null;
                };
                results.add(pool.submit(task));
            }
            for (Future<Object> f : results) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(4, store().device(serial).orElseThrow().vouchers());
    }
}
