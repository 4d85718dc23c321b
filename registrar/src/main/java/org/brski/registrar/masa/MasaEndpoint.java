package org.brski.registrar.masa;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import org.brski.server.config.Compat;

/**
 * Where and how to reach one MASA (RFC 8995 section 5.4).
 *
 * @param baseUri    {@code https://host[:port][/path]/.well-known/brski}
 * @param tlsAnchors anchors that validate the MASA's TLS server certificate
 * @param dialect    the MASA's dialect: {@link Compat#NONE} (RFC 8995: binary DER bodies) or {@link Compat#NQMINDS}
 *                   (nqminds brski: base64 bodies both ways)
 */
public record MasaEndpoint(URI baseUri, List<X509Certificate> tlsAnchors, Compat dialect) {
    /** What a MASA may answer to a voucher-request besides the voucher media type, with its q-value, in nqminds. */
    private static final String NQMINDS_EXTRA_ACCEPT = ", text/plain;q=0.5";

    public MasaEndpoint {
        Objects.requireNonNull(baseUri, "baseUri");
        tlsAnchors = List.copyOf(tlsAnchors);
        Objects.requireNonNull(dialect, "dialect");
        if (!"https".equalsIgnoreCase(baseUri.getScheme())) {
            throw new IllegalArgumentException("the MASA is reached over https only: " + baseUri);
        }
    }

    /** A MASA speaking RFC 8995 as written. */
    public MasaEndpoint(URI baseUri, List<X509Certificate> tlsAnchors) {
        this(baseUri, tlsAnchors, Compat.NONE);
    }

    /** The URI of an operation such as {@code requestvoucher}. */
    public URI resolve(String operation) {
        String base = baseUri.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + operation);
    }

    /**
     * The body that carries a registrar voucher-request (DER CMS) to this MASA: the DER itself (RFC 8995 section 6),
     * or in the nqminds dialect its base64 on one line, as nqminds brski writes and expects it. The media type is
     * {@code application/voucher-cms+json} either way.
     */
    public byte[] requestBody(byte[] der) {
        return dialect == Compat.NQMINDS ? Base64.getEncoder().encode(der) : der.clone();
    }

    /** The Accept header for an answer of media type {@code standard}: nqminds brski may label it text/plain. */
    public String accept(String standard) {
        return dialect == Compat.NQMINDS ? standard + NQMINDS_EXTRA_ACCEPT : standard;
    }
}
