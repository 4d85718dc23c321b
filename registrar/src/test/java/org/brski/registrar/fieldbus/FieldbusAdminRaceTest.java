package org.brski.registrar.fieldbus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.brski.registrar.RegistrarException;
import org.brski.registrar.store.JdbcRegistrarStore;
import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Operator changes racing each other: a revision must never be left revoked while it is the current one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FieldbusAdminRaceTest {
    private Path dir;
    private Database database;
    private DomainKeyStore keys;

    @BeforeAll
    void open() throws Exception {
        dir = Files.createTempDirectory("fieldbus-race");
        keys = FileDomainKeyStore.load(FieldbusTestKeys.createStore(dir), FieldbusTestKeys.PASSWORD.toCharArray());
        database = Databases.open(DatabaseConfig.h2Memory("fieldbus-race-" + UUID.randomUUID()),
                JdbcRegistrarStore.MIGRATIONS, JdbcRegistrarStore.HISTORY_TABLE);
    }

    @AfterAll
    void close() throws Exception {
        database.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Runs {@code interleave} once, just before the first read of a single revision. */
    private static FieldbusStore interleaving(FieldbusStore real, Runnable interleave) {
        return new DelegatingStore(real) {
            private boolean done;

            @Override
            public Optional<KeyRevision> revision(String machineId, int revision) throws RegistrarException {
                if (!done) {
                    done = true;
                    interleave.run();
                }
                return super.revision(machineId, revision);
            }
        };
    }

    @Test
    void revokingTheRevisionAConcurrentRotationJustMadeCurrentRotatesAgain() throws Exception {
        FieldbusStore real = JdbcFieldbusStore.of(database.dataSource(), Clock.systemUTC());
        FieldbusAdmin other = FieldbusAdmin.of(real, keys);
        String m = "race-" + UUID.randomUUID().toString().substring(0, 8);
        other.addMachine(m, List.of("C-" + m), false);
        other.rotate(m);
        // operator A revokes revision 3 while operator B's rotation 2 -> 3 lands between A's reads
        FieldbusAdmin admin = FieldbusAdmin.of(interleaving(real, () -> {
            try {
                other.rotate(m);
            } catch (RegistrarException e) {
                throw new IllegalStateException(e);
            }
        }), keys);
        KeyRevision current = admin.revoke(m, 3);

        assertEquals(RevisionState.REVOKED, real.revision(m, 3).orElseThrow().state());
        Machine machine = real.machine(m).orElseThrow();
        assertEquals(current.revision(), machine.currentRevision());
        assertEquals(RevisionState.ACTIVE, real.revision(m, machine.currentRevision()).orElseThrow().state(),
                "the machine keeps a served revision");
    }

    /** A {@link FieldbusStore} forwarding every call. */
    private static class DelegatingStore implements FieldbusStore {
        private final FieldbusStore real;

        DelegatingStore(FieldbusStore real) {
            this.real = real;
        }

        @Override
        public void addMachine(String id, boolean operatorKey, List<String> controllers, long integratorKeyId,
                OptionalLong operatorKeyId) throws RegistrarException {
            real.addMachine(id, operatorKey, controllers, integratorKeyId, operatorKeyId);
        }

        @Override
        public Optional<Machine> machine(String id) throws RegistrarException {
            return real.machine(id);
        }

        @Override
        public List<Machine> machines(int limit) throws RegistrarException {
            return real.machines(limit);
        }

        @Override
        public Optional<Machine> machineOfController(String deviceSerial) throws RegistrarException {
            return real.machineOfController(deviceSerial);
        }

        @Override
        public Optional<KeyRevision> revision(String machineId, int revision) throws RegistrarException {
            return real.revision(machineId, revision);
        }

        @Override
        public List<KeyRevision> revisions(String machineId) throws RegistrarException {
            return real.revisions(machineId);
        }

        @Override
        public boolean rotate(String machineId, Rotation rotation) throws RegistrarException {
            return real.rotate(machineId, rotation);
        }

        @Override
        public boolean revoke(String machineId, int revision) throws RegistrarException {
            return real.revoke(machineId, revision);
        }

        @Override
        public void putNodeKeys(String machineId, List<NodeKey> keys) throws RegistrarException {
            real.putNodeKeys(machineId, keys);
        }

        @Override
        public List<NodeKey> nodeKeys(String machineId) throws RegistrarException {
            return real.nodeKeys(machineId);
        }

        @Override
        public void recordReports(String machineId, List<NodeReport> reports) throws RegistrarException {
            real.recordReports(machineId, reports);
        }

        @Override
        public List<NodeReport> reports(String machineId) throws RegistrarException {
            return real.reports(machineId);
        }
    }
}
