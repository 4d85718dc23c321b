package org.brski.registrar.http;

import java.util.Map;
import java.util.Objects;

/**
 * A complete answer of an endpoint.
 *
 * @param status    HTTP status
 * @param mediaType Content-Type
 * @param body      the body
 * @param headers   extra headers
 */
public record Reply(int status, String mediaType, byte[] body, Map<String, String> headers) {
    public Reply {
        Objects.requireNonNull(mediaType, "mediaType");
        body = body.clone();
        headers = Map.copyOf(headers);
    }

    public static Reply ok(String mediaType, byte[] body) {
        return new Reply(200, mediaType, body, Map.of());
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
