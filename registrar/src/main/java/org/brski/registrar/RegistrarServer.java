package org.brski.registrar;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.brski.registrar.admin.AdminHandlers;
import org.brski.registrar.admin.FieldbusAdminHandlers;
import org.brski.registrar.config.AdminSettings;
import org.brski.registrar.config.RegistrarConfig;
import org.brski.registrar.fieldbus.FieldbusKeyService;
import org.brski.registrar.http.EstHandlers;
import org.brski.registrar.http.FieldbusHandlers;
import org.brski.registrar.http.RequestVoucherHandler;
import org.brski.registrar.http.StatusHandler;
import org.brski.registrar.masa.MasaClient;
import org.brski.server.HttpsServer;
import org.brski.server.ServerException;
import org.brski.server.http.HealthHandler;
import org.brski.server.http.MetricsHandler;
import org.brski.server.tls.ClientAuth;
import org.brski.server.tls.TlsIdentity;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A running registrar: HTTPS on the configured port (TLS 1.2/1.3, any client certificate accepted provisionally and
 * judged by the core, RFC 8995 5.1) serving BRSKI, EST and {@code /healthz}; and, when configured, the admin API and
 * Prometheus {@code /metrics} on their own port requiring an admin client certificate (never anonymous on the port
 * pledges reach).
 *
 * <pre>{@code
 * try (RegistrarServer registrar = RegistrarServer.start(config)) {
 *     URI base = registrar.uri(); // https://127.0.0.1:PORT
 * }
 * }</pre>
 */
public final class RegistrarServer implements AutoCloseable {
    /** Path prefix of the BRSKI endpoints. */
    public static final String BRSKI = "/.well-known/brski";
    /** Path prefix of the EST endpoints. */
    public static final String EST = "/.well-known/est";
    /** Path prefix of the fieldbus domain key service (served when configured). */
    public static final String FIELDBUS = "/brski-fieldbus/v1";

    private final Registrar registrar;
    private final HttpsServer server;
    private final HttpsServer adminServer;

    private RegistrarServer(Registrar registrar, HttpsServer server, HttpsServer adminServer) {
        this.registrar = registrar;
        this.server = server;
        this.adminServer = adminServer;
    }

    /**
     * Opens the store and starts listening.
     *
     * @throws RegistrarException when the database cannot be opened or a port cannot be bound
     */
    public static RegistrarServer start(RegistrarConfig config) throws RegistrarException {
        return start(config, Registrar.open(config));
    }

    /** As {@link #start(RegistrarConfig)} with a given MASA client (for tests and alternative transports). */
    public static RegistrarServer start(RegistrarConfig config, MasaClient masa) throws RegistrarException {
        return start(config, Registrar.open(config, masa));
    }

    private static RegistrarServer start(RegistrarConfig config, Registrar registrar) throws RegistrarException {
        Objects.requireNonNull(config, "config");
        HttpsServer server = null;
        HttpsServer admin = null;
        try {
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            int maxCsr = config.est().maxCsrBytes();
            HttpsServer.Builder builder = HttpsServer.builder()
                    .name("registrar")
                    .host(config.host())
                    .port(config.port())
                    .identity(config.identity())
                    .clientAuth(ClientAuth.wantAnyProvisionally())
                    .clock(config.clock())
                    .limits(config.limits())
                    .route(BRSKI + "/requestvoucher", new RequestVoucherHandler(registrar.vouchers(),
                            config.voucher().maxRequestBytes(), metrics))
                    .route(BRSKI + "/voucher_status", StatusHandler.voucherStatus(registrar.telemetry(), metrics))
                    .route(BRSKI + "/enrollstatus", StatusHandler.enrollStatus(registrar.telemetry(), metrics))
                    .route(EST + "/cacerts", new EstHandlers.CaCerts(registrar.est(), metrics))
                    .route(EST + "/csrattrs", new EstHandlers.CsrAttrs(registrar.est(), metrics))
                    .route(EST + "/simpleenroll", new EstHandlers.SimpleEnroll(registrar.est(), maxCsr, metrics))
                    .route(EST + "/simplereenroll", new EstHandlers.SimpleReenroll(registrar.est(), maxCsr, metrics))
                    .route(EST + "/serverkeygen", new EstHandlers.ServerKeyGen(registrar.est(), maxCsr, metrics))
                    .route("/healthz", new HealthHandler(List.of(registrar::healthy)));
            if (registrar.fieldbus().isPresent()) {
                FieldbusKeyService fieldbus = registrar.fieldbus().get();
                builder.route(FIELDBUS + "/key-package", new FieldbusHandlers.KeyPackage(fieldbus, metrics))
                        .route(FIELDBUS + "/escrow", new FieldbusHandlers.Escrow(fieldbus, metrics))
                        .route(FIELDBUS + "/report", new FieldbusHandlers.Report(fieldbus, metrics));
            }
            server = builder.build();
            server.start();
            Optional<AdminSettings> adminSettings = config.admin();
            if (adminSettings.isPresent()) {
                admin = adminServer(config.identity(), adminSettings.get(), registrar, config, metrics);
                admin.start();
            }
            return new RegistrarServer(registrar, server, admin);
        } catch (ServerException e) {
            closeQuietly(server);
            closeQuietly(admin);
            registrar.close();
            throw new RegistrarException(e.problem(), e.getMessage(), e, null);
        }
    }

    private static HttpsServer adminServer(TlsIdentity identity, AdminSettings settings, Registrar registrar,
            RegistrarConfig config, PrometheusMeterRegistry metrics) throws ServerException {
        HttpsServer.Builder builder = HttpsServer.builder()
                .name("registrar-admin")
                .host(settings.host())
                .port(settings.port())
                .identity(identity)
                .clientAuth(ClientAuth.requireTrusted(settings.clientAnchors()))
                .clock(config.clock())
                .maxThreads(16)
                .route("/admin/manufacturers", AdminHandlers.manufacturers(registrar.admin()))
                .route("/admin/manufacturers/*", AdminHandlers.manufacturerActions(registrar.admin()))
                .route("/admin/devices", AdminHandlers.devices(registrar.admin()))
                .route("/admin/devices/*", AdminHandlers.deviceActions(registrar.admin()))
                .route("/metrics", new MetricsHandler(metrics));
        registrar.fieldbus().ifPresent(f -> builder
                .route("/admin/fieldbus/machines", FieldbusAdminHandlers.machines(f.admin()))
                .route("/admin/fieldbus/machines/*", FieldbusAdminHandlers.machineActions(f.admin())));
        return builder.build();
    }

    private static void closeQuietly(HttpsServer server) {
        if (server != null) {
            try {
                server.close();
            } catch (RuntimeException e) {
                // already failing; the original error is reported
            }
        }
    }

    /** {@code https://host:port} of the BRSKI/EST listener. */
    public URI uri() {
        return server.uri();
    }

    /** {@code https://host:port} of the admin API, when configured. */
    public Optional<URI> adminUri() {
        return Optional.ofNullable(adminServer).map(HttpsServer::uri);
    }

    /** The wired services (store, admin, ...). */
    public Registrar registrar() {
        return registrar;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops the listeners, then releases the MASA client and the database. */
    @Override
    public void close() {
        try {
            closeQuietly(adminServer);
            server.close();
        } finally {
            registrar.close();
        }
    }
}
