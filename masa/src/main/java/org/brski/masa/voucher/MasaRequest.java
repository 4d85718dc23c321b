package org.brski.masa.voucher;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What a transport hands the MASA core: the request body as received, its Content-Type and Accept values (null when
 * absent) and the TLS client certificate chain (leaf first, empty when none was sent).
 */
public record MasaRequest(byte[] body, String contentType, String accept, List<X509Certificate> peerChain) {
    public MasaRequest {
        body = Objects.requireNonNull(body, "body").clone();
        peerChain = List.copyOf(Objects.requireNonNull(peerChain, "peerChain"));
    }

    public static MasaRequest of(byte[] body, String contentType, String accept, List<X509Certificate> peerChain) {
        return new MasaRequest(body, contentType, accept, peerChain);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
