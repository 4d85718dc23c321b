package org.brski.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /metrics}: the registry in the Prometheus text exposition format 0.0.4. */
public final class MetricsHandler extends Handler.Abstract {
    /** The Prometheus text format media type. */
    public static final String MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsHandler(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.GET.is(request.getMethod())) {
            Responses.methodNotAllowed(response, callback, request.getMethod(), "GET");
            return true;
        }
        Responses.send(response, callback, 200, MEDIA_TYPE, registry.scrape().getBytes(StandardCharsets.UTF_8));
        return true;
    }
}
