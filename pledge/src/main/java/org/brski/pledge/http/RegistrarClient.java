package org.brski.pledge.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.brski.pkix.TlsPolicy;
import org.brski.pkix.TlsProvider;
import org.brski.pledge.PledgeException;
import org.brski.pledge.PledgeException.Reason;
import org.brski.pledge.Step;

/**
 * HTTPS to one registrar (BRSKI-EST, RFC 8995 section 5), over the JDK's {@link HttpClient}.
 *
 * <p>Why the JDK client and not Jetty's: a pledge library is embedded in devices, and {@code java.net.http} adds no
 * dependency; its connection pool keeps the TLS connection persistent across the BRSKI and EST requests as RFC 8995
 * section 5 recommends; byte-array bodies are sent with {@code Content-Length}, never chunked (bc-java#1324); and the
 * trust manager sees the registrar's chain during the first exchange, which is where the pledge takes
 * {@code proximity-registrar-cert} from.
 *
 * <p>Every exchange is bounded: connect time, the whole exchange (handshake, request, every byte of the response)
 * and the body size. Redirects are not followed (RFC 8995 5.6 allows at most one; none is simplest and safe). TLS 1.2
 * and 1.3 only (section 5.1). The TLS implementation is {@link TlsProvider#configured()}, shared with the servers.
 * On Java 21 and later {@link #close()} closes the pooled connections; on Java 17 they are
 * released when idle or when this object is collected.
 */
public final class RegistrarClient implements AutoCloseable {
    /** TLS versions a pledge speaks (RFC 8995 section 5.1: TLS 1.2 or newer is REQUIRED). */
    public static final List<String> PROTOCOLS = TlsPolicy.PROTOCOLS;

    private final URI base;
    private final HttpClient client;
    private final Duration exchangeTimeout;
    private final int maxBytes;

    private RegistrarClient(URI base, HttpClient client, Duration exchangeTimeout, int maxBytes) {
        this.base = base;
        this.client = client;
        this.exchangeTimeout = exchangeTimeout;
        this.maxBytes = maxBytes;
    }

    /**
     * A client for the registrar at {@code registrar} ({@code https://host[:port]}; a path is ignored, BRSKI and EST
     * paths are absolute), presenting {@code key} and {@code chain} as client certificate and judging the server with
     * {@code trust}.
     *
     * @throws PledgeException CONFIGURATION when the URI is not https with a host, or TLS cannot be set up
     */
    public static RegistrarClient open(URI registrar, PrivateKey key, List<X509Certificate> chain,
            RegistrarTrust trust, Duration connectTimeout, Duration exchangeTimeout, int maxBytes, SecureRandom random)
            throws PledgeException {
        Objects.requireNonNull(registrar, "registrar");
        if (!"https".equalsIgnoreCase(registrar.getScheme()) || registrar.getHost() == null) {
            throw new PledgeException(Step.CONFIGURE, Reason.CONFIGURATION,
                    "the registrar URI must be https://host[:port]: " + registrar);
        }
        SSLContext context;
        try {
            TlsProvider provider = TlsProvider.configured();
            context = provider.context(new KeyManager[] {new IdentityKeyManager(provider.handshakeKey(key), chain)},
                    new TrustManager[] {trust}, random);
        } catch (GeneralSecurityException e) {
            throw new PledgeException(Step.CONFIGURE, Reason.CONFIGURATION, "cannot set up TLS: " + e.getMessage(), e);
        }
        SSLParameters parameters = TlsPolicy.apply(context.getDefaultSSLParameters(),
                context.getSupportedSSLParameters().getCipherSuites());
        HttpClient client = HttpClient.newBuilder()
                .sslContext(context)
                .sslParameters(parameters)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        return new RegistrarClient(registrar, client, exchangeTimeout, maxBytes);
    }

    /** The registrar's URI as given. */
    public URI registrar() {
        return base;
    }

    /** GET {@code path} with the given Accept header. */
    public HttpReply get(Step step, String path, String accept) throws PledgeException {
        HttpRequest request = request(path).header("Accept", accept).GET().build();
        return exchange(step, request);
    }

    /**
     * POST {@code body} (sent with Content-Length) to {@code path}.
     *
     * @param base64 whether the body is base64 text of DER, announced with {@code Content-Transfer-Encoding: base64}
     *     (RFC 7030 section 4, RFC 8951)
     */
    public HttpReply post(Step step, String path, byte[] body, String contentType, String accept, boolean base64)
            throws PledgeException {
        HttpRequest.Builder builder = request(path)
                .header("Content-Type", contentType)
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (base64) {
            builder.header("Content-Transfer-Encoding", "base64");
        }
        return exchange(step, builder.build());
    }

    /**
     * Sends {@code method} to {@code path} with exactly the given header fields (none added, so Accept or Content-Type
     * may be omitted or varied) and {@code body} (none when null; sent with Content-Length). For conformance and
     * interop tools that must send what {@link #get} and {@link #post} never would; bounded like every exchange.
     */
    public HttpReply send(Step step, String method, String path, Map<String, String> headers, byte[] body)
            throws PledgeException {
        HttpRequest.Builder builder = request(path).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        return exchange(step, builder.build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(exchangeTimeout);
    }

    private HttpReply exchange(Step step, HttpRequest request) throws PledgeException {
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(request, info -> new BoundedBody(maxBytes,
                        info.headers().firstValueAsLong("content-length").orElse(-1)));
        HttpResponse<byte[]> response;
        try {
            response = future.get(exchangeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new PledgeException(step, Reason.TIMEOUT, request.method() + " " + request.uri().getPath()
                    + ": no complete answer within " + exchangeTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new PledgeException(step, Reason.INTERRUPTED, "interrupted while waiting for the registrar", e);
        } catch (ExecutionException e) {
            throw failure(step, request, e.getCause() != null ? e.getCause() : e);
        }
        return HttpReply.of(response.statusCode(), response.headers().map(), response.body());
    }

    private PledgeException failure(Step step, HttpRequest request, Throwable cause) {
        String what = request.method() + " " + request.uri().getPath() + ": ";
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof TooLarge) {
                return new PledgeException(step, Reason.RESPONSE_TOO_LARGE, what + t.getMessage(), cause);
            }
            if (t instanceof HttpTimeoutException) {
                return new PledgeException(step, Reason.TIMEOUT, what + "timed out (" + t.getMessage() + ")", cause);
            }
            if (t instanceof SSLException) {
                return new PledgeException(step, Reason.TLS, what + "TLS failed: " + innermost(t), cause);
            }
            if (t instanceof ConnectException) {
                return new PledgeException(step, Reason.TRANSPORT, what + "cannot connect to " + base.getHost() + ":"
                        + port(base) + " (" + innermost(t) + ")", cause);
            }
        }
        return new PledgeException(step, Reason.TRANSPORT, what + innermost(cause), cause);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : 443;
    }

    private static String innermost(Throwable t) {
        Throwable last = t;
        String message = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            last = c;
            if (c.getMessage() != null) {
                message = c.getMessage();
            }
        }
        return message != null ? message : last.getClass().getSimpleName();
    }

    /** Closes pooled connections where the runtime supports it (Java 21+); harmless otherwise. */
    @Override
    public void close() {
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing is best effort: the connections die with the client anyway
            }
        }
    }

    @Override
    public String toString() {
        return "RegistrarClient[" + base + "]";
    }

    /** The response body exceeded the bound. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    /** Collects a body of at most {@code max} bytes, cancelling the stream as soon as it grows beyond. */
    private static final class BoundedBody implements BodySubscriber<byte[]> {
        private final int max;
        private final long declared;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        BoundedBody(int max, long declared) {
            this.max = max;
            this.declared = declared;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            this.subscription = s;
            if (declared > max) {
                s.cancel();
                result.completeExceptionally(new TooLarge(String.format(Locale.ROOT,
                        "the answer announces %d bytes, more than the %d accepted", declared, max)));
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if ((long) out.size() + item.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge("the answer is longer than the " + max
                            + " bytes accepted"));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }
}
