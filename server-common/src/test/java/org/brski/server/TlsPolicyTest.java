package org.brski.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.security.AlgorithmConstraints;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.TlsPolicy;
import org.brski.server.http.HealthHandler;
import org.brski.server.tls.ClientAuth;
import org.brski.server.tls.TlsContexts;
import org.brski.server.tls.TlsIdentity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: TLS 1.2 offered and accepted SHA-1 signature algorithms (RFC 9155) and CBC suites. Every port and every
 * client now speaks TLS 1.3, or TLS 1.2 with ECDHE + AEAD suites and SHA-2 signatures only ({@link TlsPolicy}). The
 * peers here are plain JSSE sockets of the JDK's own provider, restricted to what the test offers.
 */
class TlsPolicyTest {
    private static final String CBC = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";
    private static TestPki pki;
    private static TlsIdentity identity;
    private static HttpsServer server;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.builder().pledges(0).build();
        HeldCertificate tls = pki.masaTls();
        identity = TlsIdentity.of(tls.privateKey(), tls.certificate(), tls.issuerChain());
        server = HttpsServer.builder().port(0).identity(identity).clientAuth(ClientAuth.wantAnyProvisionally())
                .route("/healthz", new HealthHandler(List.of(() -> true))).build();
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * Permits, among TLS signature schemes ({@code ecdsa_secp256r1_sha256}, ...), only those with SHA-1: a peer that
     * offers nothing else. Certificate signature algorithms ({@code SHA256withECDSA}) stay permitted.
     */
    private static final AlgorithmConstraints ONLY_SHA1 = TlsPolicy.signatureConstraints(
            a -> !a.contains("_") || a.toLowerCase(Locale.ROOT).endsWith("_sha1"));

    /** A JDK (SunJSSE) client context trusting the test PKI: a peer independent of the configured provider. */
    private static SSLContext jdkClient() throws Exception {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("manufacturer-ca", pki.manufacturerCa().certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(null, trust.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static SSLSocket handshake(SSLContext context, int port, SSLParameters parameters) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5000);
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static SSLParameters tls12(SSLContext context, String... suites) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.2"});
        if (suites.length > 0) {
            parameters.setCipherSuites(suites);
        }
        return parameters;
    }

    @Test
    void theServerRefusesAClientOfferingOnlyCbcSuites() throws Exception {
        SSLContext client = jdkClient();
        assertThrows(IOException.class, () -> handshake(client, server.port(), tls12(client, CBC)).close());
    }

    @Test
    void theServerRefusesAClientOfferingOnlySha1Signatures() throws Exception {
        SSLContext client = jdkClient();
        SSLParameters parameters = tls12(client);
        parameters.setAlgorithmConstraints(ONLY_SHA1);
        assertThrows(IOException.class, () -> handshake(client, server.port(), parameters).close());
    }

    @Test
    void theServerAcceptsNormalClientsWithAeadSuites() throws Exception {
        SSLContext client = jdkClient();
        try (SSLSocket tls12 = handshake(client, server.port(), tls12(client))) {
            String suite = tls12.getSession().getCipherSuite();
            assertTrue(suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("CHACHA20")),
                    suite);
        }
        try (SSLSocket tls13 = handshake(client, server.port(), client.getDefaultSSLParameters())) {
            assertEquals("TLSv1.3", tls13.getSession().getProtocol());
        }
    }

    /** A one-connection JSSE server restricted by {@code parameters}; completes when its handshake ends. */
    private static Future<?> serveOnce(SSLServerSocket listener, ExecutorService pool) {
        return pool.submit(() -> {
            try (SSLSocket socket = (SSLSocket) listener.accept()) {
                socket.setSoTimeout(5000);
                socket.startHandshake();
            }
            return null;
        });
    }

    private static void ourClientAgainst(SSLParameters serverParameters, boolean accepted) throws Exception {
        SSLContext serverContext = TlsContexts.server(identity, ClientAuth.none(), Clock.systemUTC());
        SSLContext ourClient = TlsContexts.client(Optional.empty(), List.of(pki.manufacturerCa().certificate()));
        SSLParameters ours = TlsContexts.clientParameters(ourClient);
        ours.setEndpointIdentificationAlgorithm(null); // the test server's certificate names no host
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSSLParameters(serverParameters);
            Future<?> served = serveOnce(listener, pool);
            if (accepted) {
                handshake(ourClient, listener.getLocalPort(), ours).close();
                served.get(5, TimeUnit.SECONDS);
            } else {
                assertThrows(IOException.class, () -> handshake(ourClient, listener.getLocalPort(), ours).close());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ourClientsRefuseServersOfferingOnlyCbcSuites() throws Exception {
        SSLContext serverContext = TlsContexts.server(identity, ClientAuth.none(), Clock.systemUTC());
        ourClientAgainst(tls12(serverContext, CBC), false);
        ourClientAgainst(tls12(serverContext), true);
    }

    @Test
    void ourClientsRefuseServersSigningOnlyWithSha1() throws Exception {
        SSLContext serverContext = TlsContexts.server(identity, ClientAuth.none(), Clock.systemUTC());
        SSLParameters sha1 = tls12(serverContext);
        sha1.setAlgorithmConstraints(ONLY_SHA1);
        ourClientAgainst(sha1, false);
    }

    @Test
    void thePolicyListsOnlyAeadSuitesAndRecognisesSha1Names() {
        for (String suite : TlsPolicy.CIPHER_SUITES) {
            assertTrue(suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305"), suite);
            assertTrue(suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")
                    || suite.startsWith("TLS_ECDHE_"), suite);
        }
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), TlsPolicy.PROTOCOLS);
    }
}
