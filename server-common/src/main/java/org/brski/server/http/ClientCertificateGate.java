package org.brski.server.http;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.brski.pkix.CertPaths;
import org.brski.pkix.PkixException;
import org.brski.voucher.Problem;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the wrapped route only to TLS clients whose certificate validates now to one of the anchors; others get 401
 * {@code client-certificate-required} (no certificate; with the challenge of
 * {@link Responses#CLIENT_CERTIFICATE_CHALLENGE}) or 403 {@code client-certificate-not-trusted}, before any body is
 * read. For operator endpoints such as {@code /metrics} on a port whose TLS layer accepts any client certificate
 * provisionally (RFC 8995 section 5.1).
 */
public final class ClientCertificateGate extends Handler.Wrapper implements BeforeBody {
    private final List<X509Certificate> anchors;
    private final Clock clock;

    public ClientCertificateGate(Handler route, List<X509Certificate> anchors, Clock clock) {
        super(Objects.requireNonNull(route, "route"));
        this.anchors = List.copyOf(anchors);
        this.clock = Objects.requireNonNull(clock, "clock");
        if (this.anchors.isEmpty()) {
            throw new IllegalArgumentException("a client-certificate gate needs at least one anchor");
        }
    }

    @Override
    public boolean refuseBeforeBody(Request request, Response response, Callback callback) {
        List<X509Certificate> peer = PeerCertificates.of(request);
        if (peer.isEmpty()) {
            Responses.problem(response, callback, Problem.of("client-certificate-required", "Unauthorized", 401,
                    "this resource requires a TLS client certificate"));
            return true;
        }
        try {
            CertPaths.validate(peer.get(0), peer.subList(1, peer.size()), anchors, clock.instant());
            return false;
        } catch (PkixException e) {
            Responses.problem(response, callback, Problem.of("client-certificate-not-trusted", "Forbidden", 403,
                    "the TLS client certificate is not authorized for this resource"));
            return true;
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return refuseBeforeBody(request, response, callback) || super.handle(request, response, callback);
    }
}
