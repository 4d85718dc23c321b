package org.brski.cli.demo;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.brski.masa.MasaException;
import org.brski.masa.config.MasaConfig;
import org.brski.masa.http.MasaServer;
import org.brski.masa.store.Device;
import org.brski.masa.store.Ownership;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.RegistrarServer;
import org.brski.registrar.config.RegistrarConfig;
import org.brski.registrar.config.RegistrarYaml;
import org.brski.registrar.est.KeyDomainCa;
import org.brski.registrar.fieldbus.DomainKeyStore;
import org.brski.registrar.policy.ApprovalMode;
import org.brski.registrar.policy.Manufacturer;
import org.brski.server.ServerException;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.tls.TlsIdentity;

/**
 * A MASA and a registrar of one test PKI, running in this process on 127.0.0.1: the MASA with the manufacturer's TLS
 * and voucher-signing keys (RFC 8995 5.4, 5.6), the registrar with the domain CA (5.3, 5.9). Used by {@code brski
 * demo} and by the end-to-end tests. Closing stops the registrar, then the MASA.
 *
 * <pre>{@code
 * try (DemoServices domain = DemoServices.start(pki, dir, DemoServices.Databases.h2Memory(), 0, 0)) {
 *     domain.register(pki, pki.serials());
 *     pledge.onboard(domain.registrarUri());
 * }
 * }</pre>
 */
public final class DemoServices implements AutoCloseable {
    /** The name under which the registrar trusts the test manufacturer. */
    public static final String MANUFACTURER = "demo-manufacturer";

    private final MasaServer masa;
    private final RegistrarServer registrar;
    private final URI masaBase;

    private DemoServices(MasaServer masa, RegistrarServer registrar, URI masaBase) {
        this.masa = masa;
        this.registrar = registrar;
        this.masaBase = masaBase;
    }

    /**
     * Where both services keep their data (they may share one database: their tables and migration histories have
     * distinct names).
     *
     * @param masa      the MASA's database
     * @param registrar the registrar's database
     */
    public record Databases(DatabaseConfig masa, DatabaseConfig registrar) {
        /** Private in-memory H2 databases that vanish when the services close. */
        public static Databases h2Memory() {
            String id = Long.toHexString(System.nanoTime());
            return new Databases(DatabaseConfig.h2Memory("masa-" + id), DatabaseConfig.h2Memory("registrar-" + id));
        }

        /**
         * The databases of a workspace: the one of {@code --database} when given, else H2 files in the workspace
         * (AUTO_SERVER, so that {@code brski registrar ...} commands work on the registrar's file while a demo runs).
         */
        public static Databases of(Workspace ws, ServiceOptions options) {
            if (options.sharedDatabase().isPresent()) {
                return shared(options.sharedDatabase().get());
            }
            return new Databases(DatabaseConfig.h2File(ws.h2File(Workspace.MASA_DB)),
                    RegistrarYaml.shared(DatabaseConfig.h2File(ws.h2File(Workspace.REGISTRAR_DB))));
        }

        /** Both services on one database, e.g. PostgreSQL. */
        public static Databases shared(DatabaseConfig database) {
            return new Databases(database, database);
        }
    }

    /**
     * Starts the MASA, then the registrar.
     *
     * @param baseDir       directory relative paths resolve against
     * @param masaPort      0 for a port chosen by the OS
     * @param registrarPort 0 for a port chosen by the OS
     * @throws DemoException naming the service that could not start
     */
    public static DemoServices start(TestPki pki, Path baseDir, Databases databases, int masaPort,
            int registrarPort) throws DemoException {
        return start(pki, baseDir, databases, masaPort, registrarPort, null);
    }

    /**
     * As {@link #start(TestPki, Path, Databases, int, int)}, with the registrar's fieldbus domain key service (EmSA
     * WP-104 key packages) served from {@code fieldbus}; null: not served.
     */
    public static DemoServices start(TestPki pki, Path baseDir, Databases databases, int masaPort,
            int registrarPort, DomainKeyStore fieldbus) throws DemoException {
        MasaServer masa;
        try {
            DatabaseConfig db = databases.masa();
            masa = MasaServer.start(new MasaConfig(
                    new MasaConfig.Server("127.0.0.1", masaPort, null, null, null, null, 16),
                    new MasaConfig.Database(db.url(), db.user(), db.password(), 4),
                    null, null, null, null).resolve(baseDir, Optional.of(pki)), Clock.systemUTC());
        } catch (ServerException e) {
            throw new DemoException("the MASA did not start: " + e.getMessage(), e);
        }
        try {
            RegistrarServer registrar = RegistrarServer.start(RegistrarConfig.builder(identity(pki.registrar()),
                            KeyDomainCa.of(pki.domainCa().privateKey(), pki.domainCa().certificate(), List.of()))
                    .port(registrarPort)
                    .database(databases.registrar())
                    .masaTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(30))
                    .fieldbus(fieldbus)
                    .build());
            return new DemoServices(masa, registrar, URI.create(masa.uri() + "/.well-known/brski"));
        } catch (RegistrarException | RuntimeException e) {
            masa.close();
            throw new DemoException("the registrar did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Registers each pledge at the MASA (the manufacturer's sales records, RFC 8995 5.5) and trusts the manufacturer
     * at the registrar, pointing it at this MASA instead of the MASA URL in the IDevIDs (5.4).
     *
     * @return how many devices were new to the MASA
     */
    public int register(TestPki pki, List<String> serials) throws DemoException {
        int added = 0;
        try {
            for (String serial : serials) {
                if (masa.store().addDevice(new Device(serial, Ownership.byDefault(), OffsetDateTime.now()))) {
                    added++;
                }
            }
        } catch (MasaException e) {
            throw new DemoException("registering the pledges at the MASA failed: " + e.getMessage(), e);
        }
        try {
            registrar.registrar().admin().putManufacturer(new Manufacturer(MANUFACTURER,
                    pki.manufacturerCa().certificate(), true, ApprovalMode.AUTO, List.of(), Optional.of(masaBase)));
        } catch (RegistrarException e) {
            throw new DemoException("trusting the manufacturer at the registrar failed: " + e.getMessage(), e);
        }
        return added;
    }

    public URI masaUri() {
        return masa.uri();
    }

    /** The MASA base URI the registrar uses ({@code https://127.0.0.1:PORT/.well-known/brski}). */
    public URI masaBase() {
        return masaBase;
    }

    public URI registrarUri() {
        return registrar.uri();
    }

    public MasaServer masa() {
        return masa;
    }

    public RegistrarServer registrar() {
        return registrar;
    }

    /** Blocks until the registrar stops (with {@code --keep-running}: until the process is interrupted). */
    public void join() throws InterruptedException {
        registrar.join();
    }

    @Override
    public void close() {
        try {
            registrar.close();
        } finally {
            masa.close();
        }
    }

    private static TlsIdentity identity(HeldCertificate held) {
        return TlsIdentity.of(held.privateKey(), held.certificate(), held.issuerChain());
    }
}
