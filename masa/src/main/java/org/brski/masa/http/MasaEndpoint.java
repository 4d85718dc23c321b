package org.brski.masa.http;

import java.time.Duration;
import org.brski.masa.MasaException;
import org.brski.masa.Refusal;
import org.brski.masa.voucher.MasaRequest;
import org.brski.masa.voucher.MasaResponse;
import org.brski.server.ServerException;
import org.brski.server.http.BeforeBody;
import org.brski.server.http.Bodies;
import org.brski.server.http.PeerCertificates;
import org.brski.server.http.Responses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both MASA endpoints do around the core: POST only (405), bounded body (413), hand bytes, media types and the
 * TLS peer chain to the core, answer its result or its problem, log refusals and record metrics.
 */
abstract class MasaEndpoint extends Handler.Abstract implements BeforeBody {
    private static final Logger LOG = LoggerFactory.getLogger(MasaEndpoint.class);

    private final String name;
    private final int maxBodyBytes;
    private final MasaMetrics metrics;

    MasaEndpoint(String name, int maxBodyBytes, MasaMetrics metrics) {
        this.name = name;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
    }

    /** Runs the core. */
    abstract MasaResponse process(MasaRequest request) throws MasaException;

    /** Counts a success. */
    abstract void succeeded(MasaMetrics metrics);

    /**
     * A wrong method is refused before the body is read. Nothing else can be: the registrar authenticates by the CMS
     * signature of its request, its TLS client certificate is optional (RFC 8995 section 5.5).
     */
    @Override
    public boolean refuseBeforeBody(Request request, Response response, Callback callback) {
        if (!HttpMethod.POST.is(request.getMethod())) {
            Responses.methodNotAllowed(response, callback, request.getMethod(), "POST");
            return true;
        }
        return false;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.POST.is(request.getMethod())) {
            Responses.methodNotAllowed(response, callback, request.getMethod(), "POST");
            return true;
        }
        long start = System.nanoTime();
        String client = Request.getRemoteAddr(request);
        try {
            byte[] body;
            try {
                body = Bodies.read(request, maxBodyBytes);
            } catch (ServerException e) {
                throw new MasaException(e.problem().status() == 413 ? Refusal.TOO_LARGE : Refusal.MALFORMED_REQUEST,
                        e.problem().detail());
            }
            String accept = String.join(",", request.getHeaders().getValuesList(HttpHeader.ACCEPT));
            MasaRequest masaRequest = MasaRequest.of(body, request.getHeaders().get(HttpHeader.CONTENT_TYPE),
                    accept.isEmpty() ? null : accept, PeerCertificates.of(request));
            MasaResponse result = process(masaRequest);
            succeeded(metrics);
            metrics.latency(name, true, Duration.ofNanos(System.nanoTime() - start));
            Responses.send(response, callback, 200, result.mediaType(), result.body());
        } catch (MasaException e) {
            metrics.refused(name, e.refusal());
            metrics.latency(name, false, Duration.ofNanos(System.nanoTime() - start));
            if (e.refusal().status() >= 500) {
                LOG.error("{} from {} failed: {}", name, client, e.getMessage(), e);
            } else {
                LOG.warn("{} from {} refused ({} {}): {}", name, client, e.refusal().status(), e.refusal().slug(),
                        e.getMessage());
            }
            Responses.problem(response, callback, e.problem());
        } catch (RuntimeException e) {
            metrics.refused(name, Refusal.INTERNAL);
            LOG.error("{} from {} failed unexpectedly", name, client, e);
            Responses.problem(response, callback, new MasaException(Refusal.INTERNAL,
                    "the MASA could not process the request").problem());
        }
        return true;
    }
}
