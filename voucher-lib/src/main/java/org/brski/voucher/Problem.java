package org.brski.voucher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An RFC 9457 problem details document: what an HTTP layer answers, with media type
 * {@value #MEDIA_TYPE}, when a request is refused. The detail names what was wrong in the request, never
 * internal causes (stack traces, SQL, file paths).
 *
 * @param type   a URI naming the problem class, e.g. {@code urn:brski:problem:bad-signature}
 * @param title  a short fixed summary of the problem class
 * @param status the HTTP status code
 * @param detail what was wrong with this particular request
 */
public record Problem(String type, String title, int status, String detail) {
    /** The RFC 9457 media type. */
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("problem status must be 4xx or 5xx: " + status);
        }
    }

    /** A problem whose type is {@code urn:brski:problem:<slug>}. */
    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem("urn:brski:problem:" + slug, title, status, detail);
    }

    /** The JSON document ({@code type}, {@code title}, {@code status}, {@code detail}). */
    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        node.put("title", title);
        node.put("status", status);
        node.put("detail", detail);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
