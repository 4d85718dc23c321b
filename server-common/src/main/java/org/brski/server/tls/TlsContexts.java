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
import org.brski.pkix.TlsProvider;

/**
 * Builds {@link SSLContext}s for BRSKI servers and clients. Protocols are restricted to TLS 1.2 and 1.3 by the users
 * of these contexts ({@link #PROTOCOLS}). The TLS implementation is {@link TlsProvider#configured()}, the one setting
 * shared with the pledge's client.
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
        TlsProvider provider = TlsProvider.configured();
        return provider.context(keyManagers(provider, identity), trust, new SecureRandom());
    }

    /**
     * A client context that validates the server with the JDK's PKIX rules against {@code anchors} (host name checks are
     * the HTTP client's job) and presents {@code identity}, if any, as client certificate.
     */
    public static SSLContext client(Optional<TlsIdentity> identity, Collection<X509Certificate> anchors)
            throws GeneralSecurityException {
        TlsProvider provider = TlsProvider.configured();
        KeyStore trustStore = provider.emptyKeyStore();
        int i = 0;
        for (X509Certificate anchor : anchors) {
            trustStore.setCertificateEntry("anchor-" + i++, anchor);
        }
        TrustManagerFactory tmf = provider.trustManagerFactory();
        tmf.init(trustStore);
        return provider.context(identity.isPresent() ? keyManagers(provider, identity.get()) : null,
                tmf.getTrustManagers(), new SecureRandom());
    }

    /** Client SSL parameters limited to {@link #PROTOCOLS}, with HTTPS host name verification. */
    public static SSLParameters clientParameters(SSLContext context) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(new String[0]));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    /** Key managers whose key object comes from the provider that signs with it in the handshake (GUIDE 3). */
    private static KeyManager[] keyManagers(TlsProvider provider, TlsIdentity identity)
            throws GeneralSecurityException {
        char[] password = "in-memory".toCharArray(); // protects nothing: the store never leaves this method
        KeyStore store = provider.emptyKeyStore();
        store.setKeyEntry("identity", provider.handshakeKey(identity.privateKey()), password,
                identity.chainWithCertificate().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = provider.keyManagerFactory();
        kmf.init(store, password);
        return kmf.getKeyManagers();
    }
}
