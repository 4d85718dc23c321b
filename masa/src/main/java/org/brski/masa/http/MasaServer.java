package org.brski.masa.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.brski.masa.audit.AuditLogResponder;
import org.brski.masa.config.MasaSettings;
import org.brski.masa.store.JdbcMasaStore;
import org.brski.masa.store.MasaStore;
import org.brski.masa.voucher.VoucherIssuer;
import org.brski.server.HttpsServer;
import org.brski.server.ServerException;
import org.brski.server.db.Database;
import org.brski.server.db.Databases;
import org.brski.server.http.ClientCertificateGate;
import org.brski.server.http.HealthHandler;
import org.brski.server.http.MetricsHandler;

/**
 * A running MASA: database (migrated), store, core and HTTPS server with the endpoints of RFC 8995 sections 5.5 and
 * 5.8, {@code /healthz}, and {@code /metrics} for operators whose TLS client certificate validates to the configured
 * metrics anchors (never anonymously: it reveals traffic and refusal patterns). Close it to stop serving and release
 * the database.
 */
public final class MasaServer implements AutoCloseable {
    private final Database database;
    private final MasaStore store;
    private final HttpsServer server;
    private final PrometheusMeterRegistry registry;

    private MasaServer(Database database, MasaStore store, HttpsServer server, PrometheusMeterRegistry registry) {
        this.database = database;
        this.store = store;
        this.server = server;
        this.registry = registry;
    }

    /**
     * Opens the database, builds the MASA and starts listening.
     *
     * @throws ServerException when the database, TLS identity or port cannot be used
     */
    public static MasaServer start(MasaSettings settings, Clock clock) throws ServerException {
        Database database = Databases.open(settings.database(), JdbcMasaStore.MIGRATIONS, JdbcMasaStore.HISTORY_TABLE);
        try {
            MasaStore store = new JdbcMasaStore(database.dataSource());
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            MasaMetrics metrics = new MasaMetrics(registry);
            VoucherIssuer issuer = new VoucherIssuer(settings.policy(), store, settings.signingKey(), clock);
            AuditLogResponder auditLog = new AuditLogResponder(store, issuer.verifier());
            int maxBody = settings.policy().maxBodyBytes();
            HttpsServer.Builder builder = HttpsServer.builder()
                    .name("masa")
                    .host(settings.host())
                    .port(settings.port())
                    .identity(settings.tls())
                    .clientAuth(settings.clientAuth())
                    .clock(clock)
                    .maxThreads(settings.maxThreads())
                    .limits(settings.limits())
                    .route(RequestVoucherHandler.PATH, new RequestVoucherHandler(issuer, maxBody, metrics))
                    .route(RequestAuditLogHandler.PATH, new RequestAuditLogHandler(auditLog, maxBody, metrics))
                    .route("/healthz", new HealthHandler(List.of(database::isHealthy)));
            if (!settings.metricsAnchors().isEmpty()) {
                builder.route("/metrics", new ClientCertificateGate(new MetricsHandler(registry),
                        settings.metricsAnchors(), clock));
            }
            HttpsServer server = builder.build();
            server.start();
            return new MasaServer(database, store, server, registry);
        } catch (ServerException | RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** {@code https://host:port}. */
    public URI uri() {
        return server.uri();
    }

    public int port() {
        return server.port();
    }

    /** The store, for administration and tests. */
    public MasaStore store() {
        return store;
    }

    /** The meter registry behind {@code /metrics}. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            database.close();
        }
    }
}
