package org.brski.registrar;

import java.util.Optional;

import org.brski.registrar.admin.AdminService;
import org.brski.registrar.config.RegistrarConfig;
import org.brski.registrar.est.EstService;
import org.brski.registrar.fieldbus.FieldbusAdmin;
import org.brski.registrar.fieldbus.FieldbusKeyService;
import org.brski.registrar.fieldbus.JdbcFieldbusStore;
import org.brski.registrar.masa.AuditLogVerifier;
import org.brski.registrar.masa.JettyMasaClient;
import org.brski.registrar.masa.MasaClient;
import org.brski.registrar.policy.Manufacturer;
import org.brski.registrar.policy.StoreAdmissionPolicy;
import org.brski.registrar.store.JdbcRegistrarStore;
import org.brski.registrar.store.RegistrarStore;
import org.brski.registrar.voucher.TelemetryService;
import org.brski.registrar.voucher.VoucherService;
import org.brski.server.ServerException;
import org.brski.server.db.Database;
import org.brski.server.db.Databases;

/**
 * The registrar's services wired together, without HTTP: the store (migrated), admission policy, MASA client, voucher,
 * telemetry, EST and admin services. {@link RegistrarServer} puts handlers in front of it; the CLI uses it directly
 * for operator commands. Close it to release the MASA client and the database pool.
 */
public final class Registrar implements AutoCloseable {
    private final Database database;
    private final RegistrarStore store;
    private final MasaClient masa;
    private final VoucherService vouchers;
    private final TelemetryService telemetry;
    private final EstService est;
    private final AdminService admin;
    private final FieldbusKeyService fieldbus;

    private Registrar(Database database, RegistrarStore store, MasaClient masa, VoucherService vouchers,
            TelemetryService telemetry, EstService est, AdminService admin, FieldbusKeyService fieldbus) {
        this.database = database;
        this.store = store;
        this.masa = masa;
        this.vouchers = vouchers;
        this.telemetry = telemetry;
        this.est = est;
        this.admin = admin;
        this.fieldbus = fieldbus;
    }

    /**
     * Opens the database (applying migrations), stores the configured manufacturers and builds the services.
     *
     * @throws RegistrarException 503 when the database cannot be opened, or a configured manufacturer conflicts
     */
    public static Registrar open(RegistrarConfig config) throws RegistrarException {
        return open(config, JettyMasaClient.create(config.identity(), config.masaConnectTimeout(),
                config.masaRequestTimeout(), config.masaRetryAfter(),
                Math.max(config.voucher().maxVoucherBytes(), AuditLogVerifier.MAX_BYTES) + 1024));
    }

    /** As {@link #open(RegistrarConfig)} with a given MASA client (tests, alternative transports); it is closed with this. */
    public static Registrar open(RegistrarConfig config, MasaClient masa) throws RegistrarException {
        Database database;
        try {
            database = Databases.open(config.database(), JdbcRegistrarStore.MIGRATIONS,
                    JdbcRegistrarStore.HISTORY_TABLE);
        } catch (ServerException e) {
            masa.close();
            throw new RegistrarException(e.problem(), e.getMessage(), e, null);
        }
        try {
            RegistrarStore store = JdbcRegistrarStore.of(database.dataSource(), config.clock());
            for (Manufacturer m : config.manufacturers()) {
                store.putManufacturer(m);
            }
            for (Manufacturer seed : config.seedManufacturers()) {
                if (store.manufacturers().stream().noneMatch(m -> m.caFingerprint().equals(seed.caFingerprint()))) {
                    store.putManufacturer(seed);
                }
            }
            VoucherService vouchers = VoucherService.create(store, new StoreAdmissionPolicy(store, config.clock()),
                    masa, config.identity(), config.domainCa().certificate(), config.voucher(), config.clock())
                    .withMasaRetryAfter(config.masaRetryAfter()).withCompat(config.compat());
            EstService est = new EstService(store, config.domainCa(), config.est(), config.clock(),
                    config.compat());
            FieldbusKeyService fieldbus = config.fieldbus().map(keys -> FieldbusKeyService.of(
                    FieldbusAdmin.of(JdbcFieldbusStore.of(database.dataSource(), config.clock()), keys), est,
                    config.identity(), config.clock())).orElse(null);
            return new Registrar(database, store, masa, vouchers, new TelemetryService(store, config.clock()), est,
                    new AdminService(store, Optional.of(vouchers)), fieldbus);
        } catch (RegistrarException | RuntimeException e) {
            masa.close();
            database.close();
            throw e;
        }
    }

    public RegistrarStore store() {
        return store;
    }

    public VoucherService vouchers() {
        return vouchers;
    }

    public TelemetryService telemetry() {
        return telemetry;
    }

    public EstService est() {
        return est;
    }

    public AdminService admin() {
        return admin;
    }

    /** The fieldbus domain key service, when configured ({@link RegistrarConfig#fieldbus()}). */
    public Optional<FieldbusKeyService> fieldbus() {
        return Optional.ofNullable(fieldbus);
    }

    /** Whether the database answers. */
    public boolean healthy() {
        return database.isHealthy();
    }

    @Override
    public void close() {
        masa.close();
        database.close();
    }
}
