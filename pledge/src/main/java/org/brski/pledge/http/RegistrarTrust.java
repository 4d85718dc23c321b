package org.brski.pledge.http;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.brski.pkix.CertPaths;
import org.brski.pkix.Crypto;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.PkixException;
import org.brski.pledge.TrustTime;

/**
 * How the pledge judges the registrar's TLS certificate.
 *
 * <ul>
 *   <li>{@link #provisional()} (RFC 8995 section 5.1): any server chain is accepted provisionally, after checking that
 *       each certificate's signature verifies with the next one's key; the first chain is kept for the voucher-request
 *       ({@code proximity-registrar-cert}) and for the check against the voucher's pinned-domain-cert (5.6.2). Every
 *       later connection must present the same end-entity certificate (section 5: "MUST check each subsequent
 *       connection for the same certificates"), so a connection re-opened by the HTTP client cannot swap in
 *       another server.</li>
 *   <li>{@link #anchoredTo(Collection, TrustTime)}: after enrollment, the server chain must validate to the domain
 *       trust anchors (at the pledge's {@link TrustTime}) and the end-entity certificate must carry EKU
 *       id-kp-cmcRA. Path validation uses {@link CertPaths}
 *       (no TLS EKU rules: field registrar certificates may carry only id-kp-cmcRA) and no host name check: a BRSKI
 *       registrar is reached through a join proxy or a link-local address, and its identity is what the domain CA
 *       certifies. Without a host name check the id-kp-cmcRA EKU is what tells the registrar from any other
 *       certificate of the domain, such as another device's LDevID (RFC 7030 section 3.6.1; RFC 8995 section 5.6.2:
 *       the pin "can be used to authenticate any dynamically discovered EST server that contains the id-kp-cmcRA
 *       extended key usage").</li>
 * </ul>
 * Client certificates are never judged here (this is a client-side trust manager).
 */
public final class RegistrarTrust extends X509ExtendedTrustManager {
    private final List<X509Certificate> anchors;
    private final TrustTime time;
    private final AtomicReference<List<X509Certificate>> firstChain = new AtomicReference<>();

    private RegistrarTrust(List<X509Certificate> anchors, TrustTime time) {
        this.anchors = anchors;
        this.time = time;
    }

    /** Provisional trust: accept and keep the first server chain, require the same end-entity later. */
    public static RegistrarTrust provisional() {
        return new RegistrarTrust(List.of(), TrustTime.untrusted()); // judges no path, hence no time
    }

    /**
     * Trust in the domain: the server chain must validate to one of {@code anchors} at {@code time} (see
     * {@link TrustTime}), and the server's certificate must carry EKU id-kp-cmcRA.
     *
     * @throws IllegalArgumentException when {@code anchors} is empty
     */
    public static RegistrarTrust anchoredTo(Collection<X509Certificate> anchors, TrustTime time) {
        List<X509Certificate> copy = List.copyOf(anchors);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("at least one domain trust anchor is needed");
        }
        return new RegistrarTrust(copy, Objects.requireNonNull(time, "time"));
    }

    /** {@link #anchoredTo(Collection, TrustTime)} with a trusted clock. */
    public static RegistrarTrust anchoredTo(Collection<X509Certificate> anchors, Clock clock) {
        return anchoredTo(anchors, TrustTime.of(clock));
    }

    /** Whether this is the provisional mode. */
    public boolean isProvisional() {
        return anchors.isEmpty();
    }

    /** The server chain of the first handshake, end-entity first; empty before any handshake completed. */
    public Optional<List<X509Certificate>> serverChain() {
        return Optional.ofNullable(firstChain.get());
    }

    private void checkServer(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the registrar sent no certificate");
        }
        List<X509Certificate> list = List.copyOf(Arrays.asList(chain));
        if (isProvisional()) {
            checkSignatures(list);
        } else {
            try {
                time.validate(list.get(0), list.subList(1, list.size()), anchors);
            } catch (PkixException e) {
                throw new CertificateException("the registrar's certificate does not validate to the domain trust "
                        + "anchors: " + e.getMessage(), e);
            }
            if (!DeviceCertificates.hasExtendedKeyUsage(list.get(0), DeviceCertificates.ID_KP_CMC_RA)) {
                throw new CertificateException("the certificate '"
                        + DeviceCertificates.displayName(list.get(0).getSubjectX500Principal())
                        + "' validates to the domain trust anchors but lacks EKU id-kp-cmcRA: it is not a registrar"
                        + " (RFC 7030 3.6.1, RFC 8995 5.9)");
            }
        }
        if (!firstChain.compareAndSet(null, list) && !firstChain.get().get(0).equals(list.get(0))) {
            throw new CertificateException("the registrar presented another certificate than on the first connection"
                    + " ('" + DeviceCertificates.displayName(list.get(0).getSubjectX500Principal()) + "')");
        }
    }

    /** RFC 8995 5.1: "The signature in the certificate MUST be validated even if a signing key cannot (yet) be". */
    private static void checkSignatures(List<X509Certificate> chain) throws CertificateException {
        if (chain.size() > CertPaths.MAX_CHAIN_LENGTH + 1) {
            throw new CertificateException("the registrar's chain is longer than " + (CertPaths.MAX_CHAIN_LENGTH + 1));
        }
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : null;
            if (issuer == null && !certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
                return; // the issuer was not sent: the check against the pin decides later
            }
            try {
                certificate.verify((issuer != null ? issuer : certificate).getPublicKey(), Crypto.provider());
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new CertificateException("the signature of the registrar's certificate '"
                        + DeviceCertificates.displayName(certificate.getSubjectX500Principal())
                        + "' does not verify with " + (issuer != null ? "the next certificate's key" : "its own key"),
                        e);
            }
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkServer(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServer(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServer(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a pledge does not accept TLS clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a pledge does not accept TLS clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a pledge does not accept TLS clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return anchors.toArray(new X509Certificate[0]);
    }

    @Override
    public String toString() {
        return isProvisional() ? "RegistrarTrust[provisional]" : "RegistrarTrust[" + anchors.size() + " anchor(s)]";
    }
}
