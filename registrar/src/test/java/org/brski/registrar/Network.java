package org.brski.registrar;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.brski.masa.config.MasaSettings;
import org.brski.masa.http.MasaServer;
import org.brski.masa.store.Device;
import org.brski.masa.store.Ownership;
import org.brski.masa.voucher.MasaPolicy;
import org.brski.masa.voucher.VoucherSigningKey;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.registrar.config.AdminSettings;
import org.brski.registrar.config.RegistrarConfig;
import org.brski.registrar.est.EstSettings;
import org.brski.registrar.est.KeyDomainCa;
import org.brski.registrar.policy.ApprovalMode;
import org.brski.registrar.policy.Manufacturer;
import org.brski.server.HttpsServer;
import org.brski.server.config.Compat;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.http.Bodies;
import org.brski.server.http.Responses;
import org.brski.server.tls.ClientAuth;
import org.brski.server.tls.TlsContexts;
import org.brski.server.tls.TlsIdentity;
import org.brski.voucher.Assertion;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsSigner;
import org.brski.voucher.cms.CmsVerifier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A whole BRSKI network in process, every server on port 0: the real MASA (module masa), a scripted fake MASA that
 * misbehaves on request (by serial-number prefix), and the registrar with several manufacturers:
 * <ul>
 *   <li>{@code acme}: trusted, auto, MASA found from the IDevID extension (the real MASA);</li>
 *   <li>{@code fakeco}: trusted, auto, MASA URL override to the fake MASA;</li>
 *   <li>{@code holdco}: trusted, hold-for-approval, override to the fake MASA;</li>
 *   <li>{@code deadco}: trusted, override to a closed port;</li>
 *   <li>{@code badco}: distrusted;</li>
 *   <li>{@code nomasa}: trusted, no override and IDevIDs without MASA URL;</li>
 *   <li>{@code nqmco}: trusted, auto, {@code masaDialect nqminds}, override to the fake MASA's nqminds face (which
 *       refuses binary bodies and answers as nqminds brski does).</li>
 * </ul>
 */
public final class Network implements AutoCloseable {
    public final TestPki pki = TestPki.builder().pledges(1).build();
    public final HeldCertificate fakeCa = ca("Fakeco CA");
    public final HeldCertificate holdCa = ca("Holdco CA");
    public final HeldCertificate deadCa = ca("Deadco CA");
    public final HeldCertificate badCa = ca("Badco CA");
    public final HeldCertificate noMasaCa = ca("Nomasa CA");
    public final HeldCertificate nqmCa = ca("Nqmco CA");
    public final HeldCertificate strangerCa = ca("Stranger CA");
    public final HeldCertificate adminCa = ca("Admin CA");
    public final HeldCertificate admin = HeldCertificate.builder().commonName("operator").signedBy(adminCa)
            .extendedKeyUsage(HeldCertificate.ID_KP_CLIENT_AUTH).build();
    public final MasaServer masa;
    public final HttpsServer fakeMasa;
    public final RegistrarServer registrar;
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    /** What the fake MASA's nqminds face saw last: the Accept header of a voucher-request. */
    public volatile String nqmAccept;
    private final HeldCertificate fakeSigner = HeldCertificate.builder().commonName("Fake MASA").signedBy(fakeCa).build();
    private final HeldCertificate foreignSigner = HeldCertificate.builder().commonName("Foreign MASA")
            .signedBy(strangerCa).build();

    public Network() throws Exception {
        this(DatabaseConfig.h2Memory("registrar-" + UUID.randomUUID()));
    }

    public Network(DatabaseConfig database) throws Exception {
        this(database, Clock.systemUTC());
    }

    /** The registrar's configuration, to start more instances on the same database. */
    public final RegistrarConfig config;

    public Network(DatabaseConfig database, Clock registrarClock) throws Exception {
        this(database, registrarClock, Compat.NONE, Compat.NONE, Compat.NONE, EstSettings.defaults(), null, Clock.systemUTC());
    }

    /** A default network whose registrar serves the fieldbus domain key service with {@code keys}. */
    public static Network withFieldbus(org.brski.registrar.fieldbus.DomainKeyStore keys, DatabaseConfig database)
            throws Exception {
        return new Network(database, Clock.systemUTC(), Compat.NONE, Compat.NONE, Compat.NONE,
                EstSettings.defaults(), keys, Clock.systemUTC());
    }

    /** A network whose real MASA and registrar both accept the pledge dialect {@code compat}. */
    public Network(Compat compat) throws Exception {
        this(DatabaseConfig.h2Memory("registrar-" + UUID.randomUUID()), Clock.systemUTC(), compat, compat,
                Compat.NONE, EstSettings.defaults(), null, Clock.systemUTC());
    }

    /**
     * A network with an RFC 8995 registrar whose manufacturer {@code acme} has the MASA dialect {@code acmeDialect},
     * and whose real MASA accepts {@code masaCompat}.
     */
    public static Network withAcmeMasaDialect(Compat masaCompat, Compat acmeDialect) throws Exception {
        return new Network(DatabaseConfig.h2Memory("registrar-" + UUID.randomUUID()), Clock.systemUTC(), Compat.NONE,
                masaCompat, acmeDialect, EstSettings.defaults(), null, Clock.systemUTC());
    }

    /** A default network whose registrar and real MASA read the given clocks. */
    public static Network withClocks(Clock registrarClock, Clock masaClock) throws Exception {
        return new Network(DatabaseConfig.h2Memory("registrar-" + UUID.randomUUID()), registrarClock, Compat.NONE,
                Compat.NONE, Compat.NONE, EstSettings.defaults(), null, masaClock);
    }

    /** A default network whose registrar runs EST with {@code est}. */
    public static Network withEst(EstSettings est) throws Exception {
        return new Network(DatabaseConfig.h2Memory("registrar-" + UUID.randomUUID()), Clock.systemUTC(), Compat.NONE,
                Compat.NONE, Compat.NONE, est, null, Clock.systemUTC());
    }

    private Network(DatabaseConfig database, Clock registrarClock, Compat compat, Compat masaCompat,
            Compat acmeDialect, EstSettings est, org.brski.registrar.fieldbus.DomainKeyStore fieldbus, Clock masaClock)
            throws Exception {
        masa = MasaServer.start(new MasaSettings("127.0.0.1", 0, identity(pki.masaTls()),
                ClientAuth.wantAnyProvisionally(),
                VoucherSigningKey.of(pki.masaSigner().privateKey(), pki.masaSigner().certificate(), List.of()),
                MasaPolicy.builder().manufacturerAnchors(List.of(pki.manufacturerCa().certificate()))
                        .tlsClientAnchors(List.of(pki.domainCa().certificate())).compat(masaCompat).build(),
                DatabaseConfig.h2Memory("masa-" + UUID.randomUUID()), 16), masaClock);
        HeldCertificate fakeTls = HeldCertificate.builder().commonName("fake masa").signedBy(fakeCa)
                .dnsNames("localhost").ipAddresses("127.0.0.1").extendedKeyUsage(HeldCertificate.ID_KP_SERVER_AUTH)
                .build();
        fakeMasa = HttpsServer.builder().identity(identity(fakeTls)).route("/*", new FakeMasa()).build();
        fakeMasa.start();
        URI fake = URI.create(fakeMasa.uri() + "/.well-known/brski");
        config = RegistrarConfig.builder(identity(pki.registrar()),
                        KeyDomainCa.of(pki.domainCa().privateKey(), pki.domainCa().certificate(), List.of()))
                .database(database)
                .masaTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30))
                .manufacturer(Manufacturer.trusted("acme", pki.manufacturerCa().certificate())
                        .withMasaDialect(acmeDialect))
                .manufacturer(Manufacturer.trusted("fakeco", fakeCa.certificate()).withMasaUrl(Optional.of(fake)))
                .manufacturer(Manufacturer.trusted("holdco", holdCa.certificate()).withMode(ApprovalMode.HOLD)
                        .withMasaUrl(Optional.of(fake)).withMasaAnchors(List.of(fakeCa.certificate())))
                .manufacturer(Manufacturer.trusted("deadco", deadCa.certificate())
                        .withMasaUrl(Optional.of(URI.create("https://127.0.0.1:" + closedPort() + "/.well-known/brski"))))
                .manufacturer(Manufacturer.trusted("badco", badCa.certificate()).withTrusted(false))
                .manufacturer(Manufacturer.trusted("nomasa", noMasaCa.certificate()))
                .manufacturer(Manufacturer.trusted("nqmco", nqmCa.certificate())
                        .withMasaUrl(Optional.of(URI.create(fakeMasa.uri() + "/nqm/.well-known/brski")))
                        .withMasaAnchors(List.of(fakeCa.certificate())).withMasaDialect(Compat.NQMINDS))
                .admin(new AdminSettings("127.0.0.1", 0, List.of(adminCa.certificate())))
                .clock(registrarClock)
                .est(est)
                .compat(compat)
                .fieldbus(fieldbus)
                .build();
        registrar = RegistrarServer.start(config);
    }

    static HeldCertificate ca(String name) {
        return HeldCertificate.builder().commonName(name).certificateAuthority(1).build();
    }

    static TlsIdentity identity(HeldCertificate held) {
        return TlsIdentity.of(held.privateKey(), held.certificate(), held.issuerChain());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A new acme pledge known to the real MASA, whose IDevID names the real MASA. */
    public HeldCertificate acmePledge(String serial) throws Exception {
        masa.store().addDevice(new Device(serial, Ownership.byDefault(), OffsetDateTime.now()));
        return pledge(serial, pki.manufacturerCa(), masa.uri().toString());
    }

    /** A pledge IDevID issued by {@code ca}, with a MASA URL when not null. */
    public static HeldCertificate pledge(String serial, HeldCertificate ca, String masaUrl) {
        HeldCertificate.Builder b = HeldCertificate.builder().commonName("Pledge " + serial)
                .serialNumberAttribute(serial).extendedKeyUsage(HeldCertificate.ID_KP_CLIENT_AUTH).signedBy(ca);
        if (masaUrl != null) {
            b.masaUrl(masaUrl);
        }
        return b.build();
    }

    /** An HTTPS client presenting {@code client} (if any) and trusting the domain CA. */
    public HttpClient client(Optional<HeldCertificate> client) throws Exception {
        SSLContext context = TlsContexts.client(client.map(Network::identity), List.of(pki.domainCa().certificate()));
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .sslParameters(TlsContexts.clientParameters(context)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A pledge voucher-request as RFC 8995 5.2 describes it, signed by {@code signer}. */
    public byte[] pvr(HeldCertificate signer, String serial, String nonce, byte[] proximity, OffsetDateTime createdOn) {
        VoucherRequest.Builder b = VoucherRequest.builder().assertion(Assertion.PROXIMITY).serialNumber(serial)
                .createdOn(createdOn);
        if (nonce != null) {
            b.nonce(nonce);
        }
        if (proximity != null) {
            b.proximityRegistrarCert(proximity);
        }
        return VoucherCms.sign(CmsSigner.of(signer.privateKey(), signer.certificate(), List.of()), b.build());
    }

    /** A correct pledge voucher-request from {@code pledge}. */
    public byte[] pvr(HeldCertificate pledge, String nonce) throws Exception {
        String serial = org.brski.pkix.DeviceCertificates.serialNumber(pledge.certificate()).orElseThrow();
        return pvr(pledge, serial, nonce, pki.registrar().certificate().getEncoded(), OffsetDateTime.now());
    }

    /** Lets blocked slow-MASA requests finish. */
    public void releaseSlow() {
        slowRelease.countDown();
    }

    @Override
    public void close() {
        releaseSlow();
        registrar.close();
        fakeMasa.close();
        masa.close();
    }

    /**
     * The fake MASA: answers a registrar voucher-request with a voucher whose defect is chosen by the serial-number
     * prefix: OK (none), NONCE, SERIAL, PIN, SIG (foreign signer), TYPE (text/plain), ERR (500), REFUSE (404), SLOW
     * (waits until released), BIG (413), NOCREATED (no created-on), B64 (base64 body), NQM (as nqminds brski answers: no
     * created-on, base64, text/plain). Audit-log requests are answered 404, except for AUDIT devices: a log showing a nonceless
     * voucher for another domain. Under {@code /nqm/} it is a MASA of nqminds brski: a binary request body is refused
     * (400), a base64 one is decoded, and every voucher is answered as NQM (the defects above still apply).
     */
    private final class FakeMasa extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = request.getHttpURI().getDecodedPath();
            byte[] body = Bodies.read(request, 65536);
            boolean nqmFace = path.startsWith("/nqm/");
            if (nqmFace) {
                if (body.length == 0 || body[0] == 0x30) {
                    Responses.send(response, callback, 400, "text/plain",
                            "expected a base64 body".getBytes(StandardCharsets.US_ASCII));
                    return true;
                }
                if (path.endsWith("/requestvoucher")) {
                    nqmAccept = request.getHeaders().get("Accept");
                }
                body = java.util.Base64.getMimeDecoder().decode(body);
            }
            VoucherRequest rvr = VoucherCms.verifyVoucherRequest(CmsVerifier.signatureOnly(), VoucherJson.lenient(),
                    body).artifact();
            String serial = rvr.serialNumber();
            if (path.endsWith("/requestauditlog")) {
                if (!serial.startsWith("AUDIT-")) {
                    Responses.send(response, callback, 404, "text/plain", "no log".getBytes(StandardCharsets.US_ASCII));
                    return true;
                }
                String log = "{\"version\":1,\"events\":[{\"date\":\"2020-01-01T00:00:00Z\","
                        + "\"domainID\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"nonce\":null,\"assertion\":\"logged\"}]}";
                Responses.send(response, callback, 200, "application/json", log.getBytes(StandardCharsets.UTF_8));
                return true;
            }
            String kind = serial.substring(0, serial.indexOf('-'));
            if (kind.equals("SLOW")) {
                slowRelease.await(30, TimeUnit.SECONDS);
            }
            if (kind.equals("ERR")) {
                Responses.send(response, callback, 500, "text/plain", "boom".getBytes(StandardCharsets.US_ASCII));
                return true;
            }
            if (kind.equals("BIG")) {
                Responses.send(response, callback, 413, "text/plain", "too large".getBytes(StandardCharsets.US_ASCII));
                return true;
            }
            if (kind.equals("REFUSE")) {
                Responses.send(response, callback, 404, "text/plain", "unknown".getBytes(StandardCharsets.US_ASCII));
                return true;
            }
            X509Certificate pin = kind.equals("PIN") ? fakeCa.certificate() : pki.domainCa().certificate();
            boolean nqm = nqmFace || kind.equals("NQM");
            Voucher voucher = Voucher.builder().assertion(Assertion.LOGGED)
                    .createdOn(nqm || kind.equals("NOCREATED") ? null : OffsetDateTime.now())
                    .serialNumber(kind.equals("SERIAL") ? "OTHER-1" : serial)
                    .nonce(kind.equals("NONCE") ? "not-the-nonce" : rvr.nonce().orElse(null))
                    .pinnedDomainCert(pin.getEncoded()).build();
            HeldCertificate signer = kind.equals("SIG") ? foreignSigner : fakeSigner;
            byte[] signed = VoucherCms.sign(CmsSigner.of(signer.privateKey(), signer.certificate(), List.of()), voucher);
            if (nqm || kind.equals("B64")) {
                signed = java.util.Base64.getEncoder().encode(signed);
            }
            Responses.send(response, callback, 200, kind.equals("TYPE") || nqm ? "text/plain" : VoucherCms.MEDIA_TYPE,
                    signed);
            return true;
        }
    }
}
