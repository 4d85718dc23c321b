package org.brski.registrar.masa;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import org.brski.registrar.RegistrarException;
import org.brski.registrar.policy.Manufacturer;
import org.brski.server.tls.TlsContexts;
import org.brski.server.tls.TlsIdentity;
import org.brski.voucher.VoucherCms;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MasaClient} on the Jetty 12 HttpClient: TLS 1.2/1.3 with the registrar's client certificate (RFC 8995 5.4.1),
 * the MASA validated against the anchors of its endpoint with host name verification (RFC 6125), one pooled client
 * per anchor set, bounded connect and total timeouts and a bounded response size. Thread-safe; close it to release the
 * pools.
 */
public final class JettyMasaClient implements MasaClient {
    private static final Logger LOG = LoggerFactory.getLogger(JettyMasaClient.class);

    private final TlsIdentity identity;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration retryAfter;
    private final int maxResponseBytes;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    private JettyMasaClient(TlsIdentity identity, Duration connectTimeout, Duration requestTimeout,
            Duration retryAfter, int maxResponseBytes) {
        this.identity = identity;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.retryAfter = retryAfter;
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * A client presenting {@code identity} to every MASA.
     *
     * @param connectTimeout   longest wait for a TCP+TLS connection
     * @param requestTimeout   longest wait for a whole exchange
     * @param retryAfter       what to announce to the pledge when the MASA fails
     * @param maxResponseBytes largest MASA answer read
     */
    public static JettyMasaClient create(TlsIdentity identity, Duration connectTimeout, Duration requestTimeout,
            Duration retryAfter, int maxResponseBytes) {
        return new JettyMasaClient(Objects.requireNonNull(identity, "identity"), connectTimeout, requestTimeout,
                retryAfter, maxResponseBytes);
    }

    @Override
    public MasaResponse requestVoucher(MasaEndpoint masa, byte[] rvr) throws RegistrarException {
        return post(masa, "requestvoucher", rvr, VoucherCms.MEDIA_TYPE);
    }

    @Override
    public MasaResponse requestAuditLog(MasaEndpoint masa, byte[] rvr) throws RegistrarException {
        return post(masa, "requestauditlog", rvr, "application/json");
    }

    /** POSTs {@code body} (DER CMS) in the endpoint's dialect ({@link MasaEndpoint#requestBody}). */
    private MasaResponse post(MasaEndpoint masa, String operation, byte[] body, String accept)
            throws RegistrarException {
        URI uri = masa.resolve(operation);
        HttpClient client = client(masa.tlsAnchors());
        Request request = client.newRequest(uri)
                .method(HttpMethod.POST)
                .headers(h -> h.put(HttpHeader.ACCEPT, masa.accept(accept)))
                .body(new BytesRequestContent(VoucherCms.MEDIA_TYPE, masa.requestBody(body)))
                .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ContentResponse response = new CompletableResponseListener(request, maxResponseBytes).send()
                    .get(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return new MasaResponse(response.getStatus(), Optional.ofNullable(response.getHeaders().get(HttpHeader.CONTENT_TYPE)),
                    response.getContent());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(uri, "interrupted", e);
        } catch (ExecutionException e) {
            throw unavailable(uri, describe(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            request.abort(e);
            throw unavailable(uri, "no answer within " + requestTimeout.toMillis() + " ms", e);
        }
    }

    private static String describe(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return "timed out";
        }
        String message = cause == null ? "failed" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

    private RegistrarException unavailable(URI uri, String why, Throwable cause) {
        LOG.warn("MASA {} unavailable: {}", uri, why);
        return RegistrarException.unavailable("masa-unavailable", "the manufacturer's MASA could not be reached;"
                + " retry later", "MASA " + uri + " unavailable: " + why, cause, retryAfter);
    }

    private HttpClient client(List<X509Certificate> anchors) throws RegistrarException {
        String key = anchors.stream().map(Manufacturer::fingerprint).sorted().collect(Collectors.joining(","));
        HttpClient existing = clients.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (clients) {
            HttpClient again = clients.get(key);
            if (again != null) {
                return again;
            }
            HttpClient created = newClient(anchors);
            clients.put(key, created);
            return created;
        }
    }

    private HttpClient newClient(List<X509Certificate> anchors) throws RegistrarException {
        SSLContext context;
        try {
            context = TlsContexts.client(Optional.of(identity), anchors);
        } catch (GeneralSecurityException e) {
            throw new RegistrarException(org.brski.voucher.Problem.of("masa-tls-misconfigured",
                    "Service unavailable", 503, "the registrar cannot set up TLS towards the MASA"),
                    "cannot build MASA TLS context: " + e.getMessage(), e, retryAfter);
        }
        SslContextFactory.Client ssl = TlsContexts.jettyClient(context);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        connector.setConnectTimeout(connectTimeout);
        connector.setIdleTimeout(Duration.ofSeconds(30));
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("masa-client");
        threads.setDaemon(true);
        connector.setExecutor(threads);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setExecutor(threads);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setFollowRedirects(false);
        client.setMaxConnectionsPerDestination(16);
        client.setUserAgentField(null);
        try {
            client.start();
        } catch (Exception e) { // Jetty's LifeCycle.start declares Exception
            throw new IllegalStateException("cannot start the MASA HTTP client: " + e.getMessage(), e);
        }
        return client;
    }

    @Override
    public void close() {
        for (HttpClient client : clients.values()) {
            try {
                client.stop();
            } catch (Exception e) { // LifeCycle.stop declares Exception; nothing left to do but log
                LOG.warn("MASA HTTP client did not stop cleanly: {}", e.getMessage());
            }
        }
        clients.clear();
    }
}
