package org.brski.pledge.http;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP response from the registrar: status, header fields (names compared case-insensitively) and the whole body,
 * already bounded in size. Immutable. Until the voucher is verified every part of it is untrusted input
 * (RFC 8995 section 5.1).
 */
public final class HttpReply {
    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    private HttpReply(int status, Map<String, List<String>> headers, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** A reply with these parts (header names are folded to lower case). */
    public static HttpReply of(int status, Map<String, List<String>> headers, byte[] body) {
        Map<String, List<String>> copy = new TreeMap<>();
        headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        return new HttpReply(status, copy, body.clone());
    }

    public int status() {
        return status;
    }

    /** The first value of a header field. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every header field, names in lower case, sorted (for reports; the values are untrusted). */
    public Map<String, List<String>> headers() {
        return Collections.unmodifiableMap(headers);
    }

    /** The media type without parameters, lower case ({@code application/pkcs7-mime}); empty when absent. */
    public String mediaType() {
        String value = header("content-type").orElse("");
        int semicolon = value.indexOf(';');
        return (semicolon >= 0 ? value.substring(0, semicolon) : value).trim().toLowerCase(Locale.ROOT);
    }

    /** The body, a fresh copy. */
    public byte[] body() {
        return body.clone();
    }

    /** Body length in bytes. */
    public int length() {
        return body.length;
    }

    /** The start of the body as printable ASCII, for error messages about untrusted answers. */
    public String excerpt() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(body.length, 80); i++) {
            int c = body[i] & 0xff;
            text.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return body.length > 80 ? text + "..." : text.toString();
    }

    @Override
    public String toString() {
        return "HttpReply[" + status + ", " + mediaType() + ", " + body.length + " bytes]";
    }
}
