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
import org.brski.pkix.TlsPolicy;
import org.brski.pkix.TlsProvider;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Builds {@link SSLContext}s for BRSKI servers and clients, and the Jetty factories and client parameters that restrict
 * them to the {@link TlsPolicy} (TLS 1.2/1.3, AEAD suites, SHA-2 signatures). The TLS implementation is {@link TlsProvider#configured()}, the one setting
 * shared with the pledge's client.
 */
public final class TlsContexts {
    /** The only TLS versions BRSKI peers speak here (RFC 8995 section 5.4: TLS 1.2 or newer is REQUIRED). */
    public static final List<String> PROTOCOLS = TlsPolicy.PROTOCOLS;

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

    /** Client SSL parameters restricted to the {@link TlsPolicy}, with HTTPS host name verification. */
    public static SSLParameters clientParameters(SSLContext context) {
        SSLParameters parameters = TlsPolicy.apply(context.getDefaultSSLParameters(),
                context.getSupportedSSLParameters().getCipherSuites());
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    /**
     * A Jetty server factory for {@code context} restricted to the {@link TlsPolicy} (protocols, AEAD suites, SHA-2
     * signatures), without renegotiation; client-certificate and SNI settings are the caller's.
     */
    public static SslContextFactory.Server jettyServer(SSLContext context) {
        SslContextFactory.Server factory = new SslContextFactory.Server() {
            @Override
            public SSLParameters customize(SSLParameters parameters) {
                return restrict(super.customize(parameters));
            }
        };
        return restrict(factory, context);
    }

    /** A Jetty client factory for {@code context} restricted to the {@link TlsPolicy}, verifying host names. */
    public static SslContextFactory.Client jettyClient(SSLContext context) {
        SslContextFactory.Client factory = new SslContextFactory.Client() {
            @Override
            public SSLParameters customize(SSLParameters parameters) {
                return restrict(super.customize(parameters));
            }
        };
        factory.setEndpointIdentificationAlgorithm("HTTPS");
        return restrict(factory, context);
    }

    private static <F extends SslContextFactory> F restrict(F factory, SSLContext context) {
        factory.setSslContext(context);
        factory.setIncludeProtocols(TlsPolicy.PROTOCOLS.toArray(new String[0]));
        factory.setIncludeCipherSuites(TlsPolicy.CIPHER_SUITES.toArray(new String[0]));
        factory.setUseCipherSuitesOrder(true);
        factory.setRenegotiationAllowed(false);
        return factory;
    }

    private static SSLParameters restrict(SSLParameters parameters) {
        parameters.setAlgorithmConstraints(TlsPolicy.constraints());
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
