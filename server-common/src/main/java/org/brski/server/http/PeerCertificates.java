package org.brski.server.http;

import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/** The TLS client certificate chain of a request, as the handshake delivered it (leaf first). */
public final class PeerCertificates {
    private PeerCertificates() {
    }

    /**
     * The peer's certificates, leaf first, or an empty list when the client sent none (or the connection is not TLS).
     * In the provisional mode nothing about them has been judged yet except possession of the leaf's key.
     */
    public static List<X509Certificate> of(Request request) {
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData data) {
            X509Certificate[] certificates = data.peerCertificates();
            if (certificates != null) {
                return List.of(certificates);
            }
        }
        return List.of();
    }
}
