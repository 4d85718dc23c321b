package org.brski.masa.voucher;

import java.util.Objects;

/** What the MASA core answers on success: a media type and the body bytes (HTTP 200). */
public record MasaResponse(String mediaType, byte[] body) {
    public MasaResponse {
        Objects.requireNonNull(mediaType, "mediaType");
        body = Objects.requireNonNull(body, "body").clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
