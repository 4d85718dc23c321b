package org.brski.server.http;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.brski.voucher.Problem;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writing complete responses from handlers: bytes with a media type, or an RFC 9457 problem. */
public final class Responses {
    /**
     * The challenge of every 401 (RFC 9110 section 15.5.2: a 401 MUST carry WWW-Authenticate). BRSKI and EST clients
     * authenticate with a TLS client certificate (RFC 8995 section 5.1, RFC 7030 section 3.3.2), for which no HTTP
     * scheme is registered: the challenge names that credential, so that a client (libest, curl) reports what is
     * missing instead of a bare authentication failure. No HTTP credential is accepted instead.
     */
    public static final String CLIENT_CERTIFICATE_CHALLENGE = "TLS-Client-Certificate realm=\"brski\"";

    private Responses() {
    }

    /**
     * Completes {@code response} with {@code status}, {@code mediaType} and {@code body} (Content-Length set); a 401
     * gets {@link #CLIENT_CERTIFICATE_CHALLENGE} unless the caller set a challenge.
     */
    public static void send(Response response, Callback callback, int status, String mediaType, byte[] body) {
        Objects.requireNonNull(body, "body");
        if (status == 401 && !response.getHeaders().contains(HttpHeader.WWW_AUTHENTICATE)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, CLIENT_CERTIFICATE_CHALLENGE);
        }
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
