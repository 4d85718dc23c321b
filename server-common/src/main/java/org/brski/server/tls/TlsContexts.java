package org.brski.server.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds {@link SSLContext}s for BRSKI servers and clients. Protocols are restricted to TLS 1.2 and 1.3 by the users
 * of these contexts ({@link #PROTOCOLS}); the JDK's JSSE provider is used.
 */
public final class TlsContexts {
    /** The only TLS versions BRSKI peers speak here (RFC 8995 section 5.4: TLS 1.2 or newer is REQUIRED). */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsContexts() {
    }

    /** A server context presenting {@code identity} and judging client certificates per {@code clientAuth}. */
    public static SSLContext server(TlsIdentity identity, ClientAuth clientAuth, Clock clock)
            throws GeneralSecurityException {
        TrustManager[] trust = clientAuth.mode() == ClientAuth.Mode.NONE
                ? null
                : new TrustManager[] {new PeerTrustManager(clientAuth.anchors(), clock)};
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(identity), trust, new SecureRandom());
        return context;
    }

    /**
     * A client context that validates the server with the JDK's PKIX rules against {@code anchors} (host name checks are
     * the HTTP client's job) and presents {@code identity}, if any, as client certificate.
     */
    public static SSLContext client(Optional<TlsIdentity> identity, Collection<X509Certificate> anchors)
            throws GeneralSecurityException {
        KeyStore trustStore = emptyStore();
        int i = 0;
        for (X509Certificate anchor : anchors) {
            trustStore.setCertificateEntry("anchor-" + i++, anchor);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(identity.isPresent() ? keyManagers(identity.get()) : null, tmf.getTrustManagers(),
                new SecureRandom());
        return context;
    }

    /** Client SSL parameters limited to {@link #PROTOCOLS}, with HTTPS host name verification. */
    public static SSLParameters clientParameters(SSLContext context) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(new String[0]));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    private static KeyManager[] keyManagers(TlsIdentity identity) throws GeneralSecurityException {
        char[] password = "in-memory".toCharArray(); // protects nothing: the store never leaves this method
        KeyStore store = emptyStore();
        store.setKeyEntry("identity", identity.privateKey(), password,
                identity.chainWithCertificate().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(store, password);
        return kmf.getKeyManagers();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot create an in-memory key store", e);
        }
        return store;
    }
}
