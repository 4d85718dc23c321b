package org.brski.cli.demo;

import java.net.URI;
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
import org.brski.registrar.est.KeyDomainCa;
import org.brski.registrar.policy.ApprovalMode;
import org.brski.registrar.policy.Manufacturer;
import org.brski.server.ServerException;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.tls.TlsIdentity;

/**
 * The demo's MASA and registrar, running in this process on 127.0.0.1: the MASA with the manufacturer's TLS and
 * voucher-signing keys (RFC 8995 5.4, 5.6), the registrar with the domain CA (5.3, 5.9). Closing stops the registrar,
 * then the MASA.
 */
final class DemoServices implements AutoCloseable {
    /** The name under which the registrar trusts the test manufacturer. */
    static final String MANUFACTURER = "demo-manufacturer";

    private final MasaServer masa;
    private final RegistrarServer registrar;
    private final URI masaBase;

    private DemoServices(MasaServer masa, RegistrarServer registrar, URI masaBase) {
        this.masa = masa;
        this.registrar = registrar;
        this.masaBase = masaBase;
    }

    /** Where both services keep their data. */
    record Databases(DatabaseConfig masa, DatabaseConfig registrar) {
    }

    /**
     * Starts the MASA, then the registrar.
     *
     * @param masaPort      0 for a port chosen by the OS
     * @param registrarPort 0 for a port chosen by the OS
     * @throws DemoException naming the service that could not start
     */
    static DemoServices start(TestPki pki, Workspace workspace, Databases databases, int masaPort, int registrarPort)
            throws DemoException {
        MasaServer masa;
        try {
            DatabaseConfig db = databases.masa();
            masa = MasaServer.start(new MasaConfig(
                    new MasaConfig.Server("127.0.0.1", masaPort, null, null, null, null, 16),
                    new MasaConfig.Database(db.url(), db.user(), db.password(), 4),
                    null, null, null, null).resolve(workspace.dir(), Optional.of(pki)), Clock.systemUTC());
        } catch (ServerException e) {
            throw new DemoException("the MASA did not start: " + e.getMessage(), e);
        }
        try {
            RegistrarServer registrar = RegistrarServer.start(RegistrarConfig.builder(identity(pki.registrar()),
                            KeyDomainCa.of(pki.domainCa().privateKey(), pki.domainCa().certificate(), List.of()))
                    .port(registrarPort)
                    .database(databases.registrar())
                    .masaTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(30))
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
    int register(TestPki pki, List<String> serials) throws DemoException {
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

    URI masaUri() {
        return masa.uri();
    }

    /** The MASA base URI the registrar uses ({@code https://127.0.0.1:PORT/.well-known/brski}). */
    URI masaBase() {
        return masaBase;
    }

    URI registrarUri() {
        return registrar.uri();
    }

    MasaServer masa() {
        return masa;
    }

    RegistrarServer registrar() {
        return registrar;
    }

    /** Blocks until the registrar stops (with {@code --keep-running}: until the process is interrupted). */
    void join() throws InterruptedException {
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
