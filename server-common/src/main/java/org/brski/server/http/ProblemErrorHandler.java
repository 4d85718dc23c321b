package org.brski.server.http;

import java.nio.ByteBuffer;
import org.brski.voucher.Problem;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages as RFC 9457 problems (no HTML, no exception messages): used for failures outside the handlers,
 * such as unparseable requests, headers too large, or a handler that threw.
 */
public final class ProblemErrorHandler extends ErrorHandler {
    /** The problem for unexpected server failures: says nothing about the cause. */
    public static final Problem INTERNAL = Problem.of("internal-error", "Internal server error", 500,
            "the server could not process the request");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object attribute = request.getAttribute(ERROR_STATUS);
        if (attribute instanceof Integer s) {
            status = s;
        }
        Responses.problem(response, callback, problemFor(status));
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        return ByteBuffer.wrap(problemFor(status).toJson());
    }

    static Problem problemFor(int status) {
        if (status < 400 || status > 599) {
            return INTERNAL;
        }
        if (status >= 500) {
            return Problem.of("internal-error", "Internal server error", status,
                    "the server could not process the request");
        }
        String title = HttpStatus.getMessage(status);
        return Problem.of("http-" + status, title, status, "the request was refused: " + title);
    }
}
