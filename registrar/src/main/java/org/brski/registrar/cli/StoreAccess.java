package org.brski.registrar.cli;

import java.time.Clock;
import java.util.Optional;

import org.brski.registrar.RegistrarException;
import org.brski.registrar.admin.AdminService;
import org.brski.registrar.fieldbus.DomainKeyStore;
import org.brski.registrar.fieldbus.FieldbusAdmin;
import org.brski.registrar.fieldbus.JdbcFieldbusStore;
import org.brski.registrar.store.JdbcRegistrarStore;
import org.brski.server.ServerException;
import org.brski.server.db.Database;
import org.brski.server.db.Databases;

/** The registrar's database opened for operator commands (migrated, pooled, closed after use). */
final class StoreAccess implements AutoCloseable {
    private final Database database;
    final AdminService admin;

    private StoreAccess(Database database) {
        this.database = database;
        this.admin = new AdminService(JdbcRegistrarStore.of(database.dataSource(), Clock.systemUTC()), Optional.empty());
    }

    static StoreAccess open(ConfigOptions options) throws ServerException {
        return new StoreAccess(Databases.open(options.databaseConfig(options.yaml()), JdbcRegistrarStore.MIGRATIONS,
                JdbcRegistrarStore.HISTORY_TABLE));
    }

    /** The fieldbus operator operations on this database with the given master key store. */
    FieldbusAdmin fieldbus(DomainKeyStore keys) {
        return FieldbusAdmin.of(JdbcFieldbusStore.of(database.dataSource(), Clock.systemUTC()), keys);
    }

    @Override
    public void close() {
        database.close();
    }

    /** Runs {@code action} on a freshly opened store and maps failures to exit codes. */
    interface Action {
        void run(AdminService admin) throws RegistrarException;
    }

    static int run(ConfigOptions options, picocli.CommandLine.Model.CommandSpec spec, Action action) {
        return runOn(options, spec, access -> action.run(access.admin));
    }

    /** Runs {@code action} on a freshly opened store access and maps failures to exit codes. */
    interface AccessAction {
        void run(StoreAccess access) throws RegistrarException;
    }

    static int runOn(ConfigOptions options, picocli.CommandLine.Model.CommandSpec spec, AccessAction action) {
        try (StoreAccess access = open(options)) {
            action.run(access);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (RegistrarException e) {
            return Failures.report(spec.commandLine().getErr(), e);
        } catch (ServerException e) {
            return Failures.report(spec.commandLine().getErr(), e);
        }
    }
}
