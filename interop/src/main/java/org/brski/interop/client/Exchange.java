package org.brski.interop.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.brski.pledge.http.HttpReply;

/**
 * One request the suite sent and what came back, kept so that a report shows a peer's developer exactly what to
 * reproduce: the TLS client identity, method, path, the header fields the suite set, the body (an excerpt when it is
 * text, else its length, SHA-256 and first bytes), and the answer (status, header fields, body the same way) or the
 * transport failure. Immutable; every part of the answer is untrusted and is bounded and made printable here.
 */
public final class Exchange {
    /** Longest body excerpt and header value kept. */
    public static final int EXCERPT = 160;
    private static final int FIRST_BYTES = 16;

    private final String identity;
    private final String method;
    private final String path;
    private final Map<String, String> requestHeaders;
    private final String requestBody;
    private final int status;
    private final Map<String, String> replyHeaders;
    private final String replyBody;
    private final String failure;

    private Exchange(String identity, String method, String path, Map<String, String> requestHeaders,
            String requestBody, int status, Map<String, String> replyHeaders, String replyBody, String failure) {
        this.identity = identity;
        this.method = method;
        this.path = path;
        this.requestHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(requestHeaders));
        this.requestBody = requestBody;
        this.status = status;
        this.replyHeaders = replyHeaders;
        this.replyBody = replyBody;
        this.failure = failure;
    }

    /** The record of one {@link Attempt}. */
    static Exchange of(String identity, String method, String path, Map<String, String> headers, byte[] body,
            Attempt attempt) {
        Objects.requireNonNull(attempt, "attempt");
        Map<String, String> sent = new LinkedHashMap<>();
        headers.forEach((name, value) -> sent.put(name, printable(value, EXCERPT)));
        Optional<HttpReply> reply = attempt.reply();
        Map<String, String> received = new LinkedHashMap<>();
        reply.ifPresent(r -> r.headers().forEach((name, values) -> received.put(printable(name, 64),
                printable(String.join(", ", values), EXCERPT))));
        return new Exchange(identity, method, path, sent, body(body), reply.map(HttpReply::status).orElse(-1),
                Collections.unmodifiableMap(received), reply.map(r -> body(r.body())).orElse(""),
                attempt.failure().map(f -> printable(f, 2 * EXCERPT)).orElse(null));
    }

    /** {@code POST /.well-known/brski/requestvoucher}. */
    public String request() {
        return method + " " + path;
    }

    /** The TLS client certificate's subject the request was sent with. */
    public String identity() {
        return identity;
    }

    /** The header fields the suite set (the HTTP client adds Host, Content-Length and the like). */
    public Map<String, String> requestHeaders() {
        return requestHeaders;
    }

    /** The request body: {@code none}, {@code empty}, a text excerpt, or length, SHA-256 and first bytes. */
    public String requestBody() {
        return requestBody;
    }

    /** The HTTP status, empty when there was no answer. */
    public Optional<Integer> status() {
        return status < 0 ? Optional.empty() : Optional.of(status);
    }

    /** The answer's header fields (lower-case names). */
    public Map<String, String> replyHeaders() {
        return replyHeaders;
    }

    /** The answer's body, described as the request body is. */
    public String replyBody() {
        return replyBody;
    }

    /** The transport failure, when there was no HTTP answer. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** The exchange as report lines: the request, its headers and body; the answer, its headers and body. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("request: " + request() + " (TLS client certificate '" + identity + "')");
        lines.add("  headers: " + (requestHeaders.isEmpty() ? "(none set)" : format(requestHeaders)));
        lines.add("  body: " + requestBody);
        if (failure != null) {
            lines.add("answer: none (" + failure + ")");
        } else {
            lines.add("answer: HTTP " + status);
            lines.add("  headers: " + (replyHeaders.isEmpty() ? "(none)" : format(replyHeaders)));
            lines.add("  body: " + replyBody);
        }
        return lines;
    }

    private static String format(Map<String, String> headers) {
        List<String> fields = new ArrayList<>();
        headers.forEach((name, value) -> fields.add(name + ": " + value));
        return String.join("; ", fields);
    }

    /** A body as a report shows it. */
    static String body(byte[] body) {
        if (body == null) {
            return "none";
        }
        if (body.length == 0) {
            return "empty (0 bytes)";
        }
        String size = body.length + " bytes, SHA-256 " + HexFormat.of().formatHex(sha256(body)).substring(0, 16)
                + "...";
        if (isText(body)) {
            return size + ", text: " + printable(new String(body, StandardCharsets.US_ASCII), EXCERPT);
        }
        return size + ", binary, starts " + HexFormat.ofDelimiter(" ").formatHex(body, 0,
                Math.min(body.length, FIRST_BYTES)) + (body.length > FIRST_BYTES ? " ..." : "");
    }

    private static boolean isText(byte[] body) {
        for (byte b : body) {
            int c = b & 0xff;
            if ((c < 0x20 || c > 0x7e) && c != '\r' && c != '\n' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** One printable ASCII line of at most {@code max} characters (untrusted text goes into reports). */
    static String printable(String text, int max) {
        String flat = text.replaceAll("[\\r\\n\\t]+", " ").replaceAll("[^\\x20-\\x7E]", "?");
        return flat.length() > max ? flat.substring(0, max) + "..." : flat;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JCA algorithm", e);
        }
    }

    @Override
    public String toString() {
        return "Exchange[" + request() + " -> " + (failure != null ? failure : "HTTP " + status) + "]";
    }
}
