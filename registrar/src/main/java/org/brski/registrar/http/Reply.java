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
 * @param outcome   the {@code status} label of the request metric: the HTTP status, or a word for answers that are
 *                  no refusal although their status says so (the nqminds probe: {@code probe})
 */
public record Reply(int status, String mediaType, byte[] body, Map<String, String> headers, String outcome) {
    public Reply {
        Objects.requireNonNull(mediaType, "mediaType");
        body = body.clone();
        headers = Map.copyOf(headers);
        Objects.requireNonNull(outcome, "outcome");
    }

    /** A reply counted under its HTTP status. */
    public Reply(int status, String mediaType, byte[] body, Map<String, String> headers) {
        this(status, mediaType, body, headers, Integer.toString(status));
    }

    public static Reply ok(String mediaType, byte[] body) {
        return new Reply(200, mediaType, body, Map.of());
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
