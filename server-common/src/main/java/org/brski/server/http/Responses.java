package org.brski.server.http;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.brski.voucher.Problem;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writing complete responses from handlers: bytes with a media type, or an RFC 9457 problem. */
public final class Responses {
    private Responses() {
    }

    /** Completes {@code response} with {@code status}, {@code mediaType} and {@code body} (Content-Length set). */
    public static void send(Response response, Callback callback, int status, String mediaType, byte[] body) {
        Objects.requireNonNull(body, "body");
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, mediaType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Completes {@code response} with {@code problem} as {@code application/problem+json} (RFC 9457 section 3). */
    public static void problem(Response response, Callback callback, Problem problem) {
        send(response, callback, problem.status(), Problem.MEDIA_TYPE, problem.toJson());
    }

    /** A 405 problem with an {@code Allow} header listing {@code allowed} (RFC 9110 section 15.5.6). */
    public static void methodNotAllowed(Response response, Callback callback, String method, String... allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
        problem(response, callback, Problem.of("method-not-allowed", "Method not allowed", 405,
                "method " + sanitize(method) + " is not allowed here; use " + String.join(" or ", allowed)));
    }

    /** Bounds and strips a client-supplied token before it goes into a message or log line. */
    public static String sanitize(String value) {
        if (value == null) {
            return "(none)";
        }
        String cleaned = value.replaceAll("[^\\x20-\\x7E]", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "..." : cleaned;
    }
}
