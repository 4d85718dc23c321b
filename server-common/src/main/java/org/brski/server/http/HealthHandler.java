package org.brski.server.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /healthz}: 200 {@code {"status":"up"}} when every check passes, else 503 {@code {"status":"down"}}.
 * Which check failed is not revealed to the caller.
 */
public final class HealthHandler extends Handler.Abstract {
    /** One readiness condition, e.g. "the database answers". Must not block for long. */
    @FunctionalInterface
    public interface HealthCheck {
        boolean healthy();
    }

    private static final byte[] UP = "{\"status\":\"up\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DOWN = "{\"status\":\"down\"}".getBytes(StandardCharsets.US_ASCII);

    private final List<HealthCheck> checks;

    public HealthHandler(List<HealthCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            Responses.methodNotAllowed(response, callback, request.getMethod(), "GET", "HEAD");
            return true;
        }
        boolean healthy = true;
        for (HealthCheck check : checks) {
            try {
                healthy &= check.healthy();
            } catch (RuntimeException e) {
                healthy = false;
            }
        }
        Responses.send(response, callback, healthy ? 200 : 503, "application/json", healthy ? UP : DOWN);
        return true;
    }
}
