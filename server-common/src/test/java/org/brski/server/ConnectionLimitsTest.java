package org.brski.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.server.config.LimitsYaml;
import org.brski.server.http.BeforeBody;
import org.brski.server.http.Bodies;
import org.brski.server.http.HealthHandler;
import org.brski.server.http.Responses;
import org.brski.server.tls.ClientAuth;
import org.brski.server.tls.TlsContexts;
import org.brski.server.tls.TlsIdentity;
import org.brski.voucher.Problem;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each slow-client limit of {@link HttpsServer} on its own, with short timeouts: handshake, header and body-rate
 * deadlines close the connection; the per-source limit closes extra connections of one address only; a route refuses
 * before the body; slow bodies hold no request thread. Attackers bind to 127.0.0.2 and up (Linux routes 127/8 to lo).
 */
class ConnectionLimitsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(800);
    private static TestPki pki;
    private static SSLContext clientContext;
    private HttpsServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.builder().pledges(0).build();
        clientContext = TlsContexts.client(Optional.empty(), List.of(pki.manufacturerCa().certificate()));
    }

    @AfterEach
    void stop() throws IOException {
        for (int i = sockets.size() - 1; i >= 0; i--) {
            try {
                sockets.get(i).close();
            } catch (IOException e) {
                // closed by the server already
            }
        }
        if (server != null) {
            server.close();
        }
    }

    /** Answers the body's length after reading it (blocking, as the services' handlers do). */
    static final class LengthHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            try {
                byte[] body = Bodies.read(request, 4096);
                Responses.send(response, callback, 200, "text/plain",
                        Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII));
            } catch (ServerException e) {
                Responses.problem(response, callback, e.problem());
            }
            return true;
        }
    }

    /** Refuses, before the body, every request without a client certificate. */
    static final class CertificateRequired extends Handler.Abstract implements BeforeBody {
        @Override
        public boolean refuseBeforeBody(Request request, Response response, Callback callback) {
            if (org.brski.server.http.PeerCertificates.of(request).isEmpty()) {
                Responses.problem(response, callback, Problem.of("client-certificate-required", "Forbidden", 403,
                        "a client certificate is required"));
                return true;
            }
            return false;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            throw new AssertionError("the body of an anonymous request must not be handled");
        }
    }

    private HttpsServer start(ConnectionLimits limits, int maxThreads) throws ServerException {
        HeldCertificate tls = pki.masaTls();
        server = HttpsServer.builder().port(0).maxThreads(maxThreads).limits(limits)
                .identity(TlsIdentity.of(tls.privateKey(), tls.certificate(), tls.issuerChain()))
                .clientAuth(ClientAuth.wantAnyProvisionally())
                .route("/length", new LengthHandler())
                .route("/protected", new CertificateRequired())
                .route("/healthz", new HealthHandler(List.of(() -> true)))
                .build();
        server.start();
        return server;
    }

    private static ConnectionLimits.Builder shortLimits() {
        return ConnectionLimits.builder().handshakeTimeout(TIMEOUT).headerTimeout(TIMEOUT).body(TIMEOUT, 100)
                .idleTimeout(Duration.ofSeconds(20));
    }

    private Socket plain(String source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        sockets.add(socket);
        return socket;
    }

    private SSLSocket tls(String source) throws IOException {
        SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket(plain(source), "127.0.0.1",
                server.port(), true);
        socket.startHandshake();
        sockets.add(socket);
        return socket;
    }

    /** Writes {@code bytes} one at a time every {@code pause} until the peer closes; the time it took. */
    private static Duration dribbleUntilClosed(Socket socket, byte[] bytes, Duration pause, Duration atMost)
            throws InterruptedException {
        long start = System.nanoTime();
        OutputStream out;
        try {
            out = socket.getOutputStream();
            socket.setSoTimeout(1);
        } catch (IOException e) {
            return Duration.ZERO;
        }
        for (int i = 0; System.nanoTime() - start < atMost.toNanos(); i++) {
            try {
                out.write(bytes[i % bytes.length]);
                out.flush();
                if (socket.getInputStream().read() < 0) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (SocketTimeoutException e) {
                // nothing to read yet: still open
            } catch (IOException e) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(pause.toMillis());
        }
        throw new AssertionError("the connection was still open after " + atMost);
    }

    private static String request(Socket socket, String request) throws IOException {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) > 0) {
            answer.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            if (answer.indexOf("\r\n\r\n") > 0) {
                break;
            }
        }
        return answer.toString();
    }

    @Test
    void aHalfSentClientHelloIsClosedAtTheHandshakeTimeout() throws Exception {
        start(shortLimits().build(), 8);
        // a TLS record header announcing a 512-byte handshake message, then the first bytes of a ClientHello
        byte[] half = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03, 0x11, 0x22};
        Duration held = dribbleUntilClosed(plain("127.0.0.2"), half, Duration.ofMillis(100), Duration.ofSeconds(5));
        assertTrue(held.compareTo(TIMEOUT.plusMillis(1500)) < 0, "held " + held);
        assertEquals(1L, server.closedConnections().get("handshake"));
    }

    @Test
    void slowlorisHeadersAreClosedAtTheHeaderTimeout() throws Exception {
        start(shortLimits().build(), 8);
        SSLSocket socket = tls("127.0.0.2");
        byte[] headers = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-a: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
                .getBytes(StandardCharsets.US_ASCII);
        Duration held = dribbleUntilClosed(socket, headers, Duration.ofMillis(100), Duration.ofSeconds(5));
        assertTrue(held.compareTo(TIMEOUT.plusMillis(1500)) < 0, "held " + held);
        assertEquals(1L, server.closedConnections().get("headers"));
    }

    @Test
    void aSlowBodyIsClosedBelowTheMinimumRateAndHoldsNoThread() throws Exception {
        Duration grace = Duration.ofSeconds(3);
        start(shortLimits().body(grace, 100).build(), 8);
        List<SSLSocket> slow = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // more slow bodies than the server has threads
            SSLSocket socket = tls("127.0.0.2");
            socket.getOutputStream().write(("POST /length HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nab")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            slow.add(socket);
        }
        long start = System.nanoTime();
        String health = request(tls("127.0.0.1"), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(health.startsWith("HTTP/1.1 200"), health);
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500), "healthz waited for the slow bodies");
        Duration held = dribbleUntilClosed(slow.get(slow.size() - 1), new byte[] {'x'}, Duration.ofMillis(100),
                Duration.ofSeconds(8));
        assertTrue(held.compareTo(grace.plusMillis(1500)) < 0, "held " + held);
        for (int i = 0; i < 20 && server.closedConnections().getOrDefault("body-rate", 0L) < 20; i++) {
            Thread.sleep(100);
        }
        assertEquals(20L, server.closedConnections().get("body-rate"));
    }

    @Test
    void aBodyAtAnAcceptableRateIsServed() throws Exception {
        start(shortLimits().build(), 8);
        SSLSocket socket = tls("127.0.0.2");
        OutputStream out = socket.getOutputStream();
        out.write("POST /length HTTP/1.1\r\nHost: x\r\nContent-Length: 300\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 3; i++) { // 300 bytes in ~1.2 s: above 100 B/s after the grace
            out.write(new byte[100]);
            out.flush();
            Thread.sleep(400);
        }
        String answer = request(socket, "");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    }

    @Test
    void aRouteRefusesBeforeTheBodyArrives() throws Exception {
        start(shortLimits().build(), 8);
        long start = System.nanoTime();
        String answer = request(tls("127.0.0.2"),
                "POST /protected HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        assertTrue(System.nanoTime() - start < TIMEOUT.toNanos(), "answered before the body deadline");
    }

    @Test
    void connectionsBeyondThePerSourceLimitAreClosedForThatSourceOnly() throws Exception {
        start(shortLimits().maxConnectionsPerSource(4).build(), 8);
        int refused = 0;
        for (int i = 0; i < 8; i++) {
            try {
                tls("127.0.0.3");
            } catch (IOException e) {
                refused++;
            }
        }
        assertEquals(4, refused);
        assertEquals(4L, server.closedConnections().get("per-source"));
        String health = request(tls("127.0.0.1"), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(health.startsWith("HTTP/1.1 200"), health);
    }

    @Test
    void limitsAreValidatedNamingTheKey() throws ConfigException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConnectionLimits.builder().headerTimeout(Duration.ZERO).build());
        assertEquals(Optional.of("server.limits.headerTimeoutSeconds"), e.key());
        assertEquals(Optional.of("server.limits.maxConnectionsPerSource"), assertThrows(ConfigException.class,
                () -> ConnectionLimits.builder().maxConnections(10).maxConnectionsPerSource(11).build()).key());
        assertEquals(Optional.of("server.limits.minBodyBytesPerSecond"), assertThrows(ConfigException.class,
                () -> ConnectionLimits.builder().body(Duration.ofSeconds(1), 0).build()).key());
        assertEquals(Optional.of("server.limits.handshakeTimeoutSeconds"), assertThrows(ConfigException.class,
                () -> new LimitsYaml(-1.0, null, null, null, null, null, null).resolve()).key());
        ConnectionLimits yaml = new LimitsYaml(2.5, null, null, null, 4096, 8, null).resolve();
        assertEquals(Duration.ofMillis(2500), yaml.handshakeTimeout());
        assertEquals(4096, yaml.minBodyRate());
        assertEquals(8, yaml.maxConnectionsPerSource());
        assertEquals(ConnectionLimits.defaults().headerTimeout(), yaml.headerTimeout());
    }
}
