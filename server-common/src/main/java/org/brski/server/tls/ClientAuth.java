package org.brski.server.tls;

import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * How a server treats TLS client certificates. Immutable; build with the static factories.
 *
 * <ul>
 *   <li>{@link #none()}: no certificate is requested.</li>
 *   <li>{@link #wantAnyProvisionally()}: a certificate is requested and any one is accepted at the TLS layer, to be
 *       judged by the protocol core (RFC 8995 section 5.1: the registrar accepts a pledge's IDevID provisionally).
 *       The handshake still proves possession of the certificate's key.</li>
 *   <li>{@link #wantTrusted(Collection)}: a certificate is requested; when one is sent it must validate to an anchor,
 *       but a client may send none.</li>
 *   <li>{@link #requireTrusted(Collection)}: a certificate validating to an anchor is mandatory.</li>
 * </ul>
 * Trusted modes validate the path (signatures, validity) with {@link org.brski.pkix.CertPaths}; extended key usages
 * are left to the protocol layer, since BRSKI registrar certificates may carry only id-kp-cmcRA.
 */
public final class ClientAuth {
    /** The client-certificate modes. */
    public enum Mode { NONE, WANT_ANY_PROVISIONALLY, WANT_TRUSTED, REQUIRE_TRUSTED }

    private static final ClientAuth NONE = new ClientAuth(Mode.NONE, List.of());
    private static final ClientAuth WANT_ANY = new ClientAuth(Mode.WANT_ANY_PROVISIONALLY, List.of());

    private final Mode mode;
    private final List<X509Certificate> anchors;

    private ClientAuth(Mode mode, List<X509Certificate> anchors) {
        this.mode = mode;
        this.anchors = anchors;
    }

    public static ClientAuth none() {
        return NONE;
    }

    public static ClientAuth wantAnyProvisionally() {
        return WANT_ANY;
    }

    public static ClientAuth wantTrusted(Collection<X509Certificate> anchors) {
        return new ClientAuth(Mode.WANT_TRUSTED, requireAnchors(anchors));
    }

    public static ClientAuth requireTrusted(Collection<X509Certificate> anchors) {
        return new ClientAuth(Mode.REQUIRE_TRUSTED, requireAnchors(anchors));
    }

    public Mode mode() {
        return mode;
    }

    /** The anchors of the trusted modes (empty otherwise). */
    public List<X509Certificate> anchors() {
        return anchors;
    }

    private static List<X509Certificate> requireAnchors(Collection<X509Certificate> anchors) {
        List<X509Certificate> copy = List.copyOf(Objects.requireNonNull(anchors, "anchors"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a trusted client-certificate mode needs at least one anchor");
        }
        return copy;
    }

    @Override
    public String toString() {
        return "ClientAuth[" + mode + (anchors.isEmpty() ? "" : ", " + anchors.size() + " anchor(s)") + "]";
    }
}
