package org.brski.registrar.http;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import org.brski.registrar.RegistrarException;
import org.brski.server.ServerException;
import org.brski.pkix.DeviceCertificates;
import org.brski.server.http.BeforeBody;
import org.brski.server.http.Bodies;
import org.brski.server.http.MediaTypes;
import org.brski.server.http.PeerCertificates;
import org.brski.server.http.Responses;
import org.brski.voucher.Problem;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The shape of every registrar endpoint: one HTTP method, optional Content-Type check (415), the TLS client
 * certificate judged before the body ({@link #judgePeer}), bounded body (413), the TLS client certificate chain, and problems (RFC 9457) with Retry-After where the core asks for it. Subclasses
 * implement {@link #respond}.
 */
public abstract class Endpoint extends Handler.Abstract implements BeforeBody {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    private final String method;
    private final List<String> contentTypes;
    private final int maxBody;
    private final String name;
    private final MeterRegistry metrics;

    /**
     * @param name         the endpoint's name, for logs and metrics
     * @param method       the one HTTP method served
     * @param contentTypes accepted request media types (empty: not checked, e.g. GET)
     * @param maxBody      largest body read
     */
    protected Endpoint(String name, String method, List<String> contentTypes, int maxBody, MeterRegistry metrics) {
        this.name = Objects.requireNonNull(name, "name");
        this.method = Objects.requireNonNull(method, "method");
        this.contentTypes = List.copyOf(contentTypes);
        this.maxBody = maxBody;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The request, reduced to what the core needs. */
    public record Exchange(byte[] body, List<X509Certificate> peer, Request request) {
    }

    /** Produces the answer, or throws the problem to answer. */
    protected abstract Reply respond(Exchange exchange) throws RegistrarException, ServerException;

    /**
     * Judges the TLS client certificate before the body is read (see {@link BeforeBody}): an endpoint that requires a
     * certificate of some kind refuses here, so that an anonymous client cannot make it wait for a (slow) body. The
     * core checks again, completely, after the body. Default: no requirement.
     */
    protected void judgePeer(List<X509Certificate> peer) throws RegistrarException {
    }

    /**
     * For {@link #judgePeer}: a device certificate (an IDevID or LDevID, with a subject serialNumber) is required.
     *
     * @throws RegistrarException 401 {@code client-certificate-required}, 403 {@code no-serial-number}
     */
    protected static void requireDeviceCertificate(List<X509Certificate> peer) throws RegistrarException {
        if (peer.isEmpty()) {
            throw RegistrarException.unauthorized("client-certificate-required",
                    "a TLS client certificate (the device's IDevID or LDevID) is required");
        }
        if (DeviceCertificates.serialNumber(peer.get(0)).isEmpty()) {
            throw RegistrarException.forbidden("no-serial-number",
                    "the TLS client certificate has no subject serialNumber (not a device certificate)");
        }
    }

    /** Method (405), media type (415) and {@link #judgePeer} before the body is read. */
    @Override
    public final boolean refuseBeforeBody(Request request, Response response, Callback callback) {
        if (!method.equalsIgnoreCase(request.getMethod())) {
            Responses.methodNotAllowed(response, callback, request.getMethod(), method);
            return true;
        }
        String client = Request.getRemoteAddr(request);
        try {
            if (!contentTypes.isEmpty()) {
                MediaTypes.requireContentType(request, contentTypes);
            }
            judgePeer(PeerCertificates.of(request));
            return false;
        } catch (RegistrarException e) {
            refuse(response, callback, client, e);
        } catch (ServerException e) {
            refuse(response, callback, client, e.problem(), e.getMessage());
        }
        return true;
    }

    @Override
    public final boolean handle(Request request, Response response, Callback callback) {
        if (refuseBeforeBody(request, response, callback)) { // again: a handler may be reached without HttpsServer
            return true;
        }
        String client = Request.getRemoteAddr(request);
        try {
            byte[] body = "GET".equals(method) ? new byte[0] : Bodies.read(request, maxBody);
            Reply reply = respond(new Exchange(body, PeerCertificates.of(request), request));
            reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
            if (reply.status() != 200) {
                LOG.info("{} from {}: {}{}", name, client, reply.status(),
                        reply.outcome().equals(Integer.toString(reply.status())) ? "" : " (" + reply.outcome() + ")");
            }
            count(reply.outcome());
            Responses.send(response, callback, reply.status(), reply.mediaType(), reply.body());
        } catch (RegistrarException e) {
            refuse(response, callback, client, e);
        } catch (ServerException e) {
            refuse(response, callback, client, e.problem(), e.getMessage());
        }
        return true;
    }

    private void refuse(Response response, Callback callback, String client, RegistrarException e) {
        e.retryAfter().ifPresent(d -> response.getHeaders().put(HttpHeader.RETRY_AFTER,
                Long.toString(Math.max(1, d.toSeconds()))));
        refuse(response, callback, client, e.problem(), e.getMessage());
    }

    private void refuse(Response response, Callback callback, String client, Problem problem, String logMessage) {
        if (problem.status() == 401) {
            // RFC 8995 5.2: after a 401 (possible on-path attacker) the connection MUST be closed
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (problem.status() >= 500) {
            LOG.warn("{} from {} refused {}: {}", name, client, problem.status(), logMessage);
        } else {
            LOG.info("{} from {} refused {}: {}", name, client, problem.status(), logMessage);
        }
        count(Integer.toString(problem.status()));
        Responses.problem(response, callback, problem);
    }

    private void count(String status) {
        metrics.counter("registrar_requests_total", "endpoint", name, "status", status).increment();
    }
}
