package org.brski.masa.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.brski.voucher.Assertion;
import org.junit.jupiter.api.Test;

/** The {@link MasaStore} contract, run against every implementation and database. */
abstract class MasaStoreContract {
    /** A store over an empty, migrated database. */
    abstract MasaStore store();

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6_000_000, ZoneOffset.UTC);

    static String serial() {
        return "SN-" + UUID.randomUUID();
    }

    @Test
    void devicesAreAddedOnceAndFound() throws Exception {
        MasaStore store = store();
        String serial = serial();
        assertTrue(store.device(serial).isEmpty());
        assertTrue(store.addDevice(new Device(serial, Ownership.byDefault(), T0)));
        assertFalse(store.addDevice(new Device(serial, Ownership.open(), T0)));
        Device found = store.device(serial).orElseThrow();
        assertEquals(Ownership.byDefault(), found.ownership());
        assertEquals(T0.toInstant(), found.addedAt().toInstant());
    }

    @Test
    void ownershipChangesAndSurvivesReading() throws Exception {
        MasaStore store = store();
        String serial = serial();
        store.addDevice(new Device(serial, Ownership.byDefault(), T0));
        byte[] keyId = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        assertTrue(store.setOwnership(serial, Ownership.boundTo(keyId)));
        assertEquals(Ownership.boundTo(keyId), store.device(serial).orElseThrow().ownership());
        assertTrue(store.setOwnership(serial, Ownership.open()));
        assertEquals(Ownership.open(), store.device(serial).orElseThrow().ownership());
        assertFalse(store.setOwnership(serial(), Ownership.open()));
    }

    @Test
    void devicesListInSerialOrderWithPaging() throws Exception {
        MasaStore store = store();
        String prefix = "LIST-" + UUID.randomUUID() + "-";
        for (String s : List.of("c", "a", "b")) {
            store.addDevice(new Device(prefix + s, Ownership.open(), T0));
        }
        List<String> serials = new ArrayList<>();
        int offset = 0;
        List<Device> page;
        do {
            page = store.devices(offset, 2);
            page.stream().map(Device::serialNumber).filter(s -> s.startsWith(prefix)).forEach(serials::add);
            offset += page.size();
        } while (!page.isEmpty());
        assertEquals(List.of(prefix + "a", prefix + "b", prefix + "c"), serials);
    }

    @Test
    void auditEventsAreKeptInOrderAndNoncesOnce() throws Exception {
        MasaStore store = store();
        String serial = serial();
        store.addDevice(new Device(serial, Ownership.open(), T0));
        AuditEvent first = new AuditEvent(serial, T0, "ZG9tYWlu", "nonce-1", Assertion.LOGGED, null, "a2V5");
        AuditEvent nonceless = new AuditEvent(serial, T0.plusSeconds(1), "ZG9tYWlu", null, Assertion.VERIFIED,
                T0.plusMinutes(20));
        AuditEvent nonceless2 = new AuditEvent(serial, T0.plusSeconds(2), "ZG9tYWlu", null, Assertion.VERIFIED,
                T0.plusMinutes(21));
        assertTrue(store.appendAuditEvent(first));
        assertTrue(store.appendAuditEvent(nonceless));
        assertTrue(store.appendAuditEvent(nonceless2), "nonceless events never collide");
        assertFalse(store.appendAuditEvent(new AuditEvent(serial, T0.plusSeconds(3), "b3RoZXI=", "nonce-1",
                Assertion.LOGGED, null)), "a nonce is logged once per device");
        assertTrue(store.nonceUsed(serial, "nonce-1"));
        assertFalse(store.nonceUsed(serial, "nonce-2"));
        assertEquals(3, store.auditEventCount(serial));
        List<AuditEvent> events = store.auditEvents(serial, 10);
        assertEquals(List.of(first, nonceless, nonceless2), events.stream().map(MasaStoreContract::millis).toList());
        assertEquals(List.of(nonceless, nonceless2), store.auditEvents(serial, 2).stream()
                .map(MasaStoreContract::millis).toList(), "the most recent events, oldest first");
    }

    @Test
    void aNonceMayRepeatAcrossDevices() throws Exception {
        MasaStore store = store();
        String a = serial();
        String b = serial();
        store.addDevice(new Device(a, Ownership.open(), T0));
        store.addDevice(new Device(b, Ownership.open(), T0));
        assertTrue(store.appendAuditEvent(new AuditEvent(a, T0, "ZA==", "same", Assertion.LOGGED, null)));
        assertTrue(store.appendAuditEvent(new AuditEvent(b, T0, "ZA==", "same", Assertion.LOGGED, null)));
    }

    @Test
    void eventsForUnknownDevicesAreRefused() {
        MasaStore store = store();
        assertThrows(StoreException.class, () -> store.appendAuditEvent(
                new AuditEvent(serial(), T0, "ZA==", "n", Assertion.LOGGED, null)));
    }

    @Test
    void concurrentAppendsWithOneNonceLogOnce() throws Exception {
        MasaStore store = store();
        String serial = serial();
        store.addDevice(new Device(serial, Ownership.open(), T0));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> store.appendAuditEvent(
                        new AuditEvent(serial, T0, "ZA==", "contested", Assertion.LOGGED, null))));
            }
            int logged = 0;
            for (Future<Boolean> f : results) {
                logged += f.get() ? 1 : 0;
            }
            assertEquals(1, logged);
            assertEquals(1, store.auditEventCount(serial));
        } finally {
            pool.shutdown();
        }
    }

    private static AuditEvent millis(AuditEvent e) {
        return new AuditEvent(e.serialNumber(), e.date().truncatedTo(ChronoUnit.MILLIS), e.domainId(), e.nonce(),
                e.assertion(), e.expiresOn() == null ? null : e.expiresOn().truncatedTo(ChronoUnit.MILLIS),
                e.domainKeyId());
    }
}
