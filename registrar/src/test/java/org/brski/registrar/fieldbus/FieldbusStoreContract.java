package org.brski.registrar.fieldbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

import org.brski.registrar.RegistrarException;
import org.brski.server.db.Database;
import org.junit.jupiter.api.Test;

/** The {@link FieldbusStore} contract, run on H2 and on a real PostgreSQL. */
abstract class FieldbusStoreContract {
    abstract Database database();

    FieldbusStore store() {
        return JdbcFieldbusStore.of(database().dataSource(), Clock.systemUTC());
    }

    static String id() {
        return "m-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A node serial unlikely to collide between tests sharing the database (UNSIGNED32, top range used too). */
    static long serial() {
        return 0x80000000L + (UUID.randomUUID().getMostSignificantBits() & 0x7FFFFFFFL);
    }

    static NodeKey key(long serial, byte fill) {
        return new NodeKey(serial, new byte[] {1, fill, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
            20, 21, 22, 23, 24, 25, 26, 27, 28, 29}, 0x1000 + fill, KeySource.LABEL, Instant.EPOCH);
    }

    static NodeReport report(long serial, int revision, String status) {
        return new NodeReport(serial, 5, OptionalInt.of(revision), OptionalLong.of(0xAAAA), OptionalLong.of(0xBBBB),
                OptionalLong.empty(), status, "CTRL-1", Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    static int status(RegistrarException e) {
        return e.problem().status();
    }

    @Test
    void machinesWithControllersAndTheFirstRevision() throws Exception {
        FieldbusStore store = store();
        String id = id();
        String controller = "C-" + id;
        store.addMachine(id, true, List.of(controller, "D-" + id), 0x11111111L, OptionalLong.of(0xFFFFFFFEL));
        Machine m = store.machine(id).orElseThrow();
        assertEquals(1, m.currentRevision());
        assertTrue(m.operatorKey());
        assertEquals(List.of(controller, "D-" + id), m.controllers());
        assertEquals(id, store.machineOfController(controller).orElseThrow().id());
        assertTrue(store.machineOfController("nobody-" + id).isEmpty());
        KeyRevision first = store.revision(id, 1).orElseThrow();
        assertEquals(RevisionState.ACTIVE, first.state());
        assertEquals(0x11111111L, first.integratorKeyId());
        assertEquals(OptionalLong.of(0xFFFFFFFEL), first.operatorKeyId(), "UNSIGNED32 above 2^31 survives");
        assertTrue(store.machines(10_000).stream().anyMatch(x -> x.id().equals(id)));

        assertEquals(409, status(assertThrows(RegistrarException.class,
                () -> store.addMachine(id, false, List.of("E-" + id), 1, OptionalLong.empty()))));
        String other = id();
        RegistrarException taken = assertThrows(RegistrarException.class,
                () -> store.addMachine(other, false, List.of(controller), 1, OptionalLong.empty()));
        assertEquals("urn:brski:problem:controller-taken", taken.problem().type().toString());
        assertTrue(store.machine(other).isEmpty(), "nothing stored for a refused machine");
    }

    @Test
    void revokeNeverLeavesTheMachineWithoutAServedRevision() throws Exception {
        FieldbusStore store = store();
        String id = id();
        store.addMachine(id, false, List.of("C-" + id), 0x101, OptionalLong.empty());
        assertFalse(store.revoke(id, 1), "the current revision is revoked only by a rotation");
        assertEquals(RevisionState.ACTIVE, store.revision(id, 1).orElseThrow().state());
        assertTrue(store.rotate(id, new Rotation(1, 0x102, OptionalLong.empty(), "rotated", false,
                OptionalLong.empty())));
        assertTrue(store.revoke(id, 1));
        assertEquals(RevisionState.REVOKED, store.revision(id, 1).orElseThrow().state());
        assertFalse(store.revoke(id, 2));
        assertEquals(RevisionState.ACTIVE, store.revision(id, 2).orElseThrow().state());
        assertFalse(store.revoke("absent-" + id, 1));
    }

    @Test
    void rotationRetiresOrRevokesAndRemovesTheNodeAtomically() throws Exception {
        FieldbusStore store = store();
        String id = id();
        store.addMachine(id, false, List.of("C-" + id), 0x101, OptionalLong.empty());
        long node = serial();
        store.putNodeKeys(id, List.of(key(node, (byte) 7)));
        store.recordReports(id, List.of(report(node, 1, "ok")));

        assertFalse(store.rotate(id, new Rotation(5, 0x102, OptionalLong.empty(), "rotated", false,
                OptionalLong.empty())), "a stale expectation writes nothing");
        assertEquals(1, store.machine(id).orElseThrow().currentRevision());

        assertTrue(store.rotate(id, new Rotation(1, 0x102, OptionalLong.empty(), "rotated", false,
                OptionalLong.empty())));
        assertEquals(2, store.machine(id).orElseThrow().currentRevision());
        assertEquals(RevisionState.RETIRED, store.revision(id, 1).orElseThrow().state());
        assertTrue(store.revision(id, 1).orElseThrow().endedAt().isPresent());
        assertEquals(RevisionState.ACTIVE, store.revision(id, 2).orElseThrow().state());

        assertTrue(store.rotate(id, new Rotation(2, 0x103, OptionalLong.empty(), "node removed", true,
                OptionalLong.of(node))));
        assertEquals(RevisionState.REVOKED, store.revision(id, 2).orElseThrow().state());
        assertTrue(store.nodeKeys(id).isEmpty());
        assertTrue(store.reports(id).isEmpty());
        assertEquals(List.of(1, 2, 3), store.revisions(id).stream().map(KeyRevision::revision).toList());

        assertTrue(store.revoke(id, 1));
        assertEquals(RevisionState.REVOKED, store.revision(id, 1).orElseThrow().state());
        assertFalse(store.revoke(id, 99));
    }

    @Test
    void nodeKeysAreReplacedWithinTheMachineAndRefusedForAnother() throws Exception {
        FieldbusStore store = store();
        String a = id();
        String b = id();
        store.addMachine(a, false, List.of("C-" + a), 1, OptionalLong.empty());
        store.addMachine(b, false, List.of("C-" + b), 1, OptionalLong.empty());
        long n1 = serial();
        long n2 = serial();
        store.putNodeKeys(a, List.of(key(n1, (byte) 1), key(n2, (byte) 2)));
        store.putNodeKeys(a, List.of(key(n1, (byte) 9)));
        List<NodeKey> stored = store.nodeKeys(a);
        assertEquals(2, stored.size());
        NodeKey first = stored.stream().filter(k -> k.nodeSerial() == n1).findFirst().orElseThrow();
        assertArrayEquals(key(n1, (byte) 9).wrappedKey(), first.wrappedKey());
        assertEquals(0x1009, first.keyId());

        long fresh = serial();
        RegistrarException e = assertThrows(RegistrarException.class,
                () -> store.putNodeKeys(b, List.of(key(fresh, (byte) 3), key(n2, (byte) 4))));
        assertEquals(409, status(e));
        assertEquals("urn:brski:problem:node-of-another-machine", e.problem().type().toString());
        assertTrue(store.nodeKeys(b).isEmpty(), "all or nothing: the fresh node was not stored either");

        assertEquals(409, status(assertThrows(RegistrarException.class,
                () -> store.recordReports(b, List.of(report(n1, 1, "ok"))))));
        assertTrue(store.reports(b).isEmpty());
    }

    @Test
    void reportsKeepTheLatestPerNode() throws Exception {
        FieldbusStore store = store();
        String id = id();
        store.addMachine(id, false, List.of("C-" + id), 1, OptionalLong.empty());
        long node = serial();
        store.recordReports(id, List.of(report(node, 1, "failed")));
        NodeReport latest = report(node, 1, "ok");
        store.recordReports(id, List.of(latest));
        assertEquals(List.of(latest), store.reports(id));
        NodeReport empty = new NodeReport(serial(), 9, OptionalInt.empty(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty(), "unreachable", "CTRL-2", latest.reportedAt());
        store.recordReports(id, List.of(empty));
        assertTrue(store.reports(id).contains(empty));
        String other = id();
        store.addMachine(other, false, List.of("C-" + other), 1, OptionalLong.empty());
        assertEquals(409, status(assertThrows(RegistrarException.class,
                () -> store.putNodeKeys(other, List.of(key(node, (byte) 5))))), "a reported node is bound too");
    }

    @Test
    void unknownMachines() throws Exception {
        FieldbusStore store = store();
        assertTrue(store.machine("absent-" + id()).isEmpty());
        assertFalse(store.rotate("absent", new Rotation(1, 2, OptionalLong.empty(), "r", false, OptionalLong.empty())));
        assertEquals(404, status(assertThrows(RegistrarException.class,
                () -> store.putNodeKeys("absent", List.of(key(serial(), (byte) 1))))));
    }
}
