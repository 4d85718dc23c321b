package org.brski.masa.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.brski.masa.config.MasaSettings;
import org.brski.masa.store.Device;
import org.brski.masa.store.Ownership;
import org.brski.masa.voucher.MasaPolicy;
import org.brski.masa.voucher.VoucherSigningKey;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.tls.ClientAuth;
import org.brski.server.tls.TlsContexts;
import org.brski.server.tls.TlsIdentity;

/** A MASA on port 0 over an in-memory test PKI and H2 database, with HTTPS clients as registrars. */
final class MasaFixture implements AutoCloseable {
    final TestPki pki;
    final MasaServer masa;
    /** The anchor of operators allowed to read {@code /metrics}, and one such operator. */
    final HeldCertificate opsCa = HeldCertificate.builder().commonName("MASA operations CA").certificateAuthority(0)
            .build();
    final HeldCertificate operator = HeldCertificate.builder().commonName("prometheus").signedBy(opsCa).build();

    MasaFixture(int pledges, MasaPolicy.Builder policy) throws Exception {
        pki = TestPki.builder().pledges(pledges).build();
        MasaPolicy built = policy.manufacturerAnchors(List.of(pki.manufacturerCa().certificate()))
                .tlsClientAnchors(List.of(pki.domainCa().certificate())).build();
        MasaSettings settings = new MasaSettings("127.0.0.1", 0, identity(pki.masaTls()),
                ClientAuth.wantAnyProvisionally(),
                VoucherSigningKey.of(pki.masaSigner().privateKey(), pki.masaSigner().certificate(),
                        pki.masaSigner().issuerChain()),
                built, DatabaseConfig.h2Memory("masa-" + UUID.randomUUID()), 64)
                .withMetricsAnchors(List.of(opsCa.certificate()));
        masa = MasaServer.start(settings, Clock.systemUTC());
        for (String serial : pki.serials()) {
            masa.store().addDevice(new Device(serial, Ownership.byDefault(), java.time.OffsetDateTime.now()));
        }
    }

    static TlsIdentity identity(HeldCertificate held) {
        return TlsIdentity.of(held.privateKey(), held.certificate(), held.issuerChain());
    }

    /** An HTTPS client trusting the manufacturer CA, presenting {@code clientCertificate} if any. */
    HttpClient client(Optional<HeldCertificate> clientCertificate) throws Exception {
        SSLContext context = TlsContexts.client(clientCertificate.map(MasaFixture::identity),
                List.of(pki.manufacturerCa().certificate()));
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .sslParameters(TlsContexts.clientParameters(context)).build();
    }

    HttpResponse<byte[]> post(HttpClient client, String path, byte[] body, String contentType, String accept)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(masa.uri().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    long auditEvents() throws Exception {
        long total = 0;
        for (String serial : pki.serials()) {
            total += masa.store().auditEventCount(serial);
        }
        return total;
    }

    @Override
    public void close() {
        masa.close();
    }
}
