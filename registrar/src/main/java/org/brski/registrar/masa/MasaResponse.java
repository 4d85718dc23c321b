package org.brski.registrar.masa;

import java.util.Objects;
import java.util.Optional;

/**
 * What a MASA answered: status, media type and body (bounded by the client).
 *
 * @param status      HTTP status
 * @param contentType Content-Type header, if any
 * @param body        the body bytes
 */
public record MasaResponse(int status, Optional<String> contentType, byte[] body) {
    public MasaResponse {
        Objects.requireNonNull(contentType, "contentType");
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as text for logs: printable ASCII only, at most 200 characters. */
    public String bodyForLog() {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).replaceAll("[^\\x20-\\x7E]", "?");
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
