package org.brski.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.server.http.Bodies;
import org.brski.server.http.HealthHandler;
import org.brski.server.http.MediaTypes;
import org.brski.server.http.MetricsHandler;
import org.brski.server.http.PeerCertificates;
import org.brski.server.http.Responses;
import org.brski.server.tls.ClientAuth;
import org.brski.server.tls.TlsContexts;
import org.brski.server.tls.TlsIdentity;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpsServerTest {
    private static TestPki pki;
    private static TlsIdentity serverIdentity;
    private HttpsServer server;

    @BeforeAll
    static void pki() {
        pki = TestPki.builder().pledges(1).build();
        HeldCertificate tls = pki.masaTls();
        serverIdentity = TlsIdentity.of(tls.privateKey(), tls.certificate(), tls.issuerChain());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Echoes the body (at most 100 bytes) and reports the number of peer certificates in a header. */
    static final class EchoHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            try {
                MediaTypes.requireContentType(request, List.of("application/octet-stream"));
                String type = MediaTypes.negotiate(request, List.of("application/octet-stream"));
                byte[] body = Bodies.read(request, 100);
                List<X509Certificate> peers = PeerCertificates.of(request);
                response.getHeaders().put("X-Peer-Certificates", String.valueOf(peers.size()));
                Responses.send(response, callback, 200, type, body);
            } catch (ServerException e) {
                Responses.problem(response, callback, e.problem());
            }
            return true;
        }
    }

    private HttpsServer start(ClientAuth clientAuth) throws ServerException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("test_requests").increment();
        server = HttpsServer.builder().port(0).identity(serverIdentity).clientAuth(clientAuth)
                .route("/echo", new EchoHandler())
                .route("/healthz", new HealthHandler(List.of(() -> true)))
                .route("/metrics", new MetricsHandler(registry))
                .build();
        server.start();
        return server;
    }

    private static HttpClient client(Optional<HeldCertificate> identity, String... protocols) throws Exception {
        SSLContext context = TlsContexts.client(identity.map(h -> TlsIdentity.of(h.privateKey(), h.certificate(),
                h.issuerChain())), List.of(pki.manufacturerCa().certificate()));
        SSLParameters parameters = TlsContexts.clientParameters(context);
        if (protocols.length > 0) {
            parameters.setProtocols(protocols);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .sslParameters(parameters).build();
    }

    private HttpResponse<String> post(HttpClient client, HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri().resolve("/echo"))
                .header("Content-Type", "application/octet-stream").POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void portZeroBindsAnEphemeralPortAndServesHttps() throws Exception {
        start(ClientAuth.none());
        assertTrue(server.port() > 0);
        assertEquals(URI.create("https://127.0.0.1:" + server.port()), server.uri());
        HttpResponse<String> response = post(client(Optional.empty()), HttpRequest.BodyPublishers.ofString("hello"));
        assertEquals(200, response.statusCode());
        assertEquals("hello", response.body());
        assertEquals("0", response.headers().firstValue("X-Peer-Certificates").orElseThrow());
    }

    @Test
    void tls11IsRefused() throws Exception {
        start(ClientAuth.none());
        HttpClient old = client(Optional.empty(), "TLSv1.1");
        assertThrows(IOException.class, () -> post(old, HttpRequest.BodyPublishers.ofString("x")));
        HttpResponse<String> tls12 = post(client(Optional.empty(), "TLSv1.2"), HttpRequest.BodyPublishers.ofString("x"));
        assertEquals(200, tls12.statusCode());
    }

    @Test
    void provisionalModeAcceptsAnUnknownClientCertificateAndHandsItToTheHandler() throws Exception {
        start(ClientAuth.wantAnyProvisionally());
        HeldCertificate stranger = HeldCertificate.builder().commonName("stranger").build();
        HttpResponse<String> response = post(client(Optional.of(stranger)), HttpRequest.BodyPublishers.ofString("x"));
        assertEquals(200, response.statusCode());
        assertEquals("1", response.headers().firstValue("X-Peer-Certificates").orElseThrow());
        HttpResponse<String> anonymous = post(client(Optional.empty()), HttpRequest.BodyPublishers.ofString("x"));
        assertEquals("0", anonymous.headers().firstValue("X-Peer-Certificates").orElseThrow());
    }

    @Test
    void requireTrustedRefusesStrangersAndAnonymousClients() throws Exception {
        start(ClientAuth.requireTrusted(List.of(pki.domainCa().certificate())));
        HttpResponse<String> registrar = post(client(Optional.of(pki.registrar())),
                HttpRequest.BodyPublishers.ofString("x"));
        assertEquals(200, registrar.statusCode());
        assertEquals("2", registrar.headers().firstValue("X-Peer-Certificates").orElseThrow());
        HeldCertificate stranger = HeldCertificate.builder().commonName("stranger").build();
        assertThrows(IOException.class, () -> post(client(Optional.of(stranger)), HttpRequest.BodyPublishers.ofString("x")));
        assertThrows(IOException.class, () -> post(client(Optional.empty()), HttpRequest.BodyPublishers.ofString("x")));
    }

    @Test
    void oversizedBodiesAre413WithAndWithoutContentLength() throws Exception {
        start(ClientAuth.none());
        HttpClient client = client(Optional.empty());
        byte[] big = new byte[101];
        HttpResponse<String> declared = post(client, HttpRequest.BodyPublishers.ofByteArray(big));
        assertEquals(413, declared.statusCode());
        assertEquals("application/problem+json", declared.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<String> chunked = post(client,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[5000])));
        assertEquals(413, chunked.statusCode());
        HttpResponse<String> fits = post(client,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[100])));
        assertEquals(200, fits.statusCode());
        assertEquals(100, fits.body().length());
    }

    /** The client always reads the 413: the rest of a refused body is discarded, not cut off by a reset. */
    @Test
    void largeRefusedBodiesStillGetTheirAnswer() throws Exception {
        start(ClientAuth.none());
        HttpClient client = client(Optional.empty());
        byte[] big = new byte[512 * 1024];
        for (int i = 0; i < 20; i++) {
            assertEquals(413, post(client, HttpRequest.BodyPublishers.ofByteArray(big)).statusCode());
            assertEquals(413, post(client, HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(big))).statusCode());
        }
        assertEquals(200, post(client, HttpRequest.BodyPublishers.ofString("x")).statusCode());
    }

    @Test
    void mediaTypesAre415And406() throws Exception {
        start(ClientAuth.none());
        HttpClient client = client(Optional.empty());
        HttpResponse<String> wrongType = client.send(HttpRequest.newBuilder(server.uri().resolve("/echo"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(415, wrongType.statusCode());
        assertTrue(wrongType.body().contains("\"status\":415"), wrongType.body());
        HttpResponse<String> wrongAccept = client.send(HttpRequest.newBuilder(server.uri().resolve("/echo"))
                .header("Content-Type", "application/octet-stream").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(406, wrongAccept.statusCode());
    }

    @Test
    void healthMetricsAndUnknownPaths() throws Exception {
        start(ClientAuth.none());
        HttpClient client = client(Optional.empty());
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(server.uri().resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"up\"}", health.body());
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("test_requests_total 1.0"), metrics.body());
        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(server.uri().resolve("/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        assertEquals("application/problem+json", missing.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<String> wrongMethod = client.send(HttpRequest.newBuilder(server.uri().resolve("/healthz"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("GET, HEAD", wrongMethod.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void anIdentityIsRequired() {
        ConfigException e = assertThrows(ConfigException.class, () -> HttpsServer.builder().build());
        assertEquals("tls", e.key().orElseThrow());
    }
}
