package org.brski.registrar.masa;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Where and how to reach one MASA (RFC 8995 section 5.4).
 *
 * @param baseUri    {@code https://host[:port][/path]/.well-known/brski}
 * @param tlsAnchors anchors that validate the MASA's TLS server certificate
 */
public record MasaEndpoint(URI baseUri, List<X509Certificate> tlsAnchors) {
    public MasaEndpoint {
        Objects.requireNonNull(baseUri, "baseUri");
        tlsAnchors = List.copyOf(tlsAnchors);
        if (!"https".equalsIgnoreCase(baseUri.getScheme())) {
            throw new IllegalArgumentException("the MASA is reached over https only: " + baseUri);
        }
    }

    /** The URI of an operation such as {@code requestvoucher}. */
    public URI resolve(String operation) {
        String base = baseUri.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + operation);
    }
}
