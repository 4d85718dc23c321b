package org.brski.interop;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.brski.masa.config.MasaSettings;
import org.brski.masa.http.MasaServer;
import org.brski.masa.store.Device;
import org.brski.masa.store.Ownership;
import org.brski.masa.voucher.MasaPolicy;
import org.brski.masa.voucher.VoucherSigningKey;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.registrar.RegistrarServer;
import org.brski.registrar.config.RegistrarConfig;
import org.brski.registrar.est.KeyDomainCa;
import org.brski.registrar.policy.Manufacturer;
import org.brski.server.config.Compat;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.tls.ClientAuth;
import org.brski.server.tls.TlsIdentity;

/**
 * Our own MASA and registrar, in process on 127.0.0.1 port 0 with in-memory H2, set up as the suite's preconditions
 * ask: the MASA knows every pledge of the PKI, the registrar trusts the manufacturer and uses this MASA (the
 * configured MASA URL is the base that ends in {@code /.well-known/brski}, as the registrar resolves operations on it).
 */
final class OwnServices implements AutoCloseable {
    final MasaServer masa;
    final RegistrarServer registrar;

    private OwnServices(MasaServer masa, RegistrarServer registrar) {
        this.masa = masa;
        this.registrar = registrar;
    }

    static OwnServices start(TestPki pki) throws Exception {
        return start(pki, Compat.NONE);
    }

    /** The services accepting {@code compat} besides RFC 8995 as written (both started with the same switch). */
    static OwnServices start(TestPki pki, Compat compat) throws Exception {
        MasaServer masa = MasaServer.start(new MasaSettings("127.0.0.1", 0, identity(pki.masaTls()),
                ClientAuth.wantAnyProvisionally(),
                VoucherSigningKey.of(pki.masaSigner().privateKey(), pki.masaSigner().certificate(), List.of()),
                MasaPolicy.builder().manufacturerAnchors(List.of(pki.manufacturerCa().certificate()))
                        .tlsClientAnchors(List.of(pki.domainCa().certificate())).compat(compat).build(),
                DatabaseConfig.h2Memory("masa-" + UUID.randomUUID()), 8), Clock.systemUTC());
        try {
            for (String serial : pki.serials()) {
                masa.store().addDevice(new Device(serial, Ownership.byDefault(), OffsetDateTime.now()));
            }
            RegistrarServer registrar = RegistrarServer.start(RegistrarConfig.builder(identity(pki.registrar()),
                            KeyDomainCa.of(pki.domainCa().privateKey(), pki.domainCa().certificate(), List.of()))
                    .database(DatabaseConfig.h2Memory("registrar-" + UUID.randomUUID()))
                    .compat(compat)
                    .masaTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30))
                    .manufacturer(Manufacturer.trusted("acme", pki.manufacturerCa().certificate())
                            .withMasaUrl(Optional.of(URI.create(masa.uri() + "/.well-known/brski"))))
                    .build());
            return new OwnServices(masa, registrar);
        } catch (Exception | Error e) {
            masa.close();
            throw e;
        }
    }

    URI registrarUri() {
        return registrar.uri();
    }

    URI masaUri() {
        return masa.uri();
    }

    static TlsIdentity identity(HeldCertificate held) {
        return TlsIdentity.of(held.privateKey(), held.certificate(), held.issuerChain());
    }

    @Override
    public void close() {
        registrar.close();
        masa.close();
    }
}
