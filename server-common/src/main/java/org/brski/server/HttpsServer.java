package org.brski.server;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.brski.server.http.NotFoundHandler;
import org.brski.server.http.ProblemErrorHandler;
import org.brski.server.tls.ClientAuth;
import org.brski.server.tls.TlsContexts;
import org.brski.server.tls.TlsIdentity;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTPS-only Jetty 12 server for a BRSKI service: TLS 1.2/1.3 under the {@link org.brski.pkix.TlsPolicy} (RFC 8995
 * section 5.4; AEAD suites, SHA-2 signatures), one connector, handlers routed by exact path through a
 * {@link PathMappingsHandler}, unknown paths and Jetty's own errors answered as RFC 9457 problems. Port 0 binds an
 * ephemeral port; {@link #port()} reports the bound one after {@link #start()}.
 *
 * <p>Slow and anonymous clients cannot exhaust it ({@link ConnectionLimits}): handshake, header and body-rate deadlines,
 * per-source and total connection limits, and routes that read bodies without blocking a thread and may refuse a
 * request before its body ({@link org.brski.server.http.BeforeBody}).
 *
 * <p>Peer certificates reach handlers as {@code EndPoint.SslSessionData} (see
 * {@link org.brski.server.http.PeerCertificates}); SNI host checks are off so that clients may connect by IP address.
 */
public final class HttpsServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final String host;
    private final ConnectionGuard guard;

    private HttpsServer(Server server, ServerConnector connector, String host, ConnectionGuard guard) {
        this.server = server;
        this.connector = connector;
        this.host = host;
        this.guard = guard;
    }

    /** A builder; {@link Builder#identity(TlsIdentity)} is mandatory. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts serving.
     *
     * @throws ServerException when the port cannot be bound or Jetty fails to start
     */
    public void start() throws ServerException {
        try {
            server.start();
        } catch (Exception e) { // Jetty's LifeCycle.start declares Exception
            close();
            throw new ServerException(ProblemErrorHandler.INTERNAL, "cannot start HTTPS server on " + host + ":"
                    + connector.getPort() + ": " + e.getMessage(), e);
        }
    }

    /** The bound port (after {@link #start()}). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The host the connector binds to. */
    public String host() {
        return host;
    }

    /** {@code https://host:port} (after {@link #start()}); IPv6 literals are bracketed. */
    public URI uri() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("https://" + h + ":" + port());
    }

    /**
     * Connections closed for breaking a {@link ConnectionLimits} limit, by reason: {@code per-source},
     * {@code handshake}, {@code headers}, {@code body-rate}.
     */
    public Map<String, Long> closedConnections() {
        return guard.closedCounts();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops the server, waiting for in-flight requests up to the configured stop timeout. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) { // LifeCycle.stop declares Exception; nothing left to do but report
            throw new IllegalStateException("HTTPS server did not stop cleanly: " + e.getMessage(), e);
        }
    }

    /** Collects the settings of an {@link HttpsServer}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private TlsIdentity identity;
        private ClientAuth clientAuth = ClientAuth.none();
        private final Map<String, Handler> routes = new LinkedHashMap<>();
        private int maxThreads = 200;
        private ConnectionLimits limits = ConnectionLimits.defaults();
        private Duration stopTimeout = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();
        private String name = "https";

        private Builder() {
        }

        /** Interface to bind (default 127.0.0.1; {@code 0.0.0.0} for all). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Port to bind, 0 for an ephemeral port (default 0). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** The server's TLS key, certificate and chain. */
        public Builder identity(TlsIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** Client-certificate mode (default {@link ClientAuth#none()}). */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
            return this;
        }

        /** Routes the exact path (or a servlet-style path spec such as {@code /prefix/*}) to {@code handler}. */
        public Builder route(String pathSpec, Handler handler) {
            routes.put(Objects.requireNonNull(pathSpec, "pathSpec"), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        public Builder maxThreads(int maxThreads) {
            if (maxThreads < 8) {
                throw new IllegalArgumentException("maxThreads must be at least 8");
            }
            this.maxThreads = maxThreads;
            return this;
        }

        /** The slow-client limits (default {@link ConnectionLimits#defaults()}). */
        public Builder limits(ConnectionLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
            return this;
        }

        /** Clock used to validate client certificates in the trusted modes. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Name of the thread pool, for thread dumps and logs. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The configured server, not yet started.
         *
         * @throws ServerException when the TLS identity cannot be used
         */
        public HttpsServer build() throws ServerException {
            if (identity == null) {
                throw new ConfigException("tls", "a TLS identity (certificate and key) is required");
            }
            SSLContext sslContext;
            try {
                sslContext = TlsContexts.server(identity, clientAuth, clock);
            } catch (GeneralSecurityException e) {
                throw new ConfigException("tls", "TLS identity cannot be used: " + e.getMessage(), e);
            }
            SslContextFactory.Server ssl = TlsContexts.jettyServer(sslContext);
            ssl.setSniRequired(false);
            ssl.setEndpointIdentificationAlgorithm(null);
            switch (clientAuth.mode()) {
                case NONE -> { }
                case WANT_ANY_PROVISIONALLY, WANT_TRUSTED -> ssl.setWantClientAuth(true);
                case REQUIRE_TRUSTED -> ssl.setNeedClientAuth(true);
                default -> throw new IllegalStateException("unknown client-auth mode " + clientAuth.mode());
            }

            QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
            threads.setName(name);
            Server server = new Server(threads);
            server.setStopTimeout(stopTimeout.toMillis());

            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            secure.setSniRequired(false);
            // HTTPS only, so HSTS costs nothing and keeps browsers of operators (and TLS scanners) from plain HTTP
            secure.setStsMaxAge(365, java.util.concurrent.TimeUnit.DAYS);
            http.addCustomizer(secure);

            ServerConnector connector = new ServerConnector(server,
                    new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(limits.idleTimeout().toMillis());
            ConnectionGuard guard = new ConnectionGuard(limits, name, connector.getScheduler());
            connector.addBean(guard);
            connector.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
            server.addConnector(connector);

            PathMappingsHandler mappings = new PathMappingsHandler();
            routes.forEach((spec, handler) -> mappings.addMapping(PathSpec.from(spec), new GuardedRoute(handler, guard)));
            if (!routes.containsKey("/")) {
                mappings.addMapping(PathSpec.from("/"), new GuardedRoute(new NotFoundHandler(), guard));
            }
            server.setHandler(mappings);
            server.setErrorHandler(new ProblemErrorHandler());
            return new HttpsServer(server, connector, host, guard);
        }
    }
}
