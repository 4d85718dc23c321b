package org.brski.server.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.brski.pkix.CertPaths;
import org.brski.pkix.PkixException;

/**
 * Judges the peer's certificate chain: with no anchors every chain is accepted (provisional TLS, RFC 8995 section 5.1;
 * the handshake still proves key possession), otherwise the leaf must validate to one of the anchors now. The
 * JDK's PKIX trust manager is not used because it enforces TLS extended key usages that BRSKI certificates may lack.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {
    private final List<X509Certificate> anchors;
    private final Clock clock;

    PeerTrustManager(List<X509Certificate> anchors, Clock clock) {
        this.anchors = List.copyOf(anchors);
        this.clock = clock;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("peer sent no certificate");
        }
        if (anchors.isEmpty()) {
            return;
        }
        List<X509Certificate> rest = Arrays.asList(chain).subList(1, chain.length);
        try {
            CertPaths.validate(chain[0], rest, anchors, clock.instant());
        } catch (PkixException e) {
            throw new CertificateException(e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    /** The anchors, advertised as certificate_authorities; empty for the accept-any mode. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return anchors.toArray(new X509Certificate[0]);
    }
}
