package org.brski.pkix;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Which TLS implementation every BRSKI TLS context of this process uses: the servers (MASA, registrar), the registrar's
 * MASA client and the pledge's registrar client all build their {@link SSLContext}s here, so the choice lives in one
 * place. Selected with the system property {@value #PROPERTY} ({@code jdk}, {@code bc} or {@code bcjsse}); the CLI
 * sets it from {@code --tls-provider}. The default is {@link #DEFAULT}, chosen by measurement ({@code brski bench},
 * see the README's Performance section).
 *
 * <ul>
 * <li>{@link #JDK}: SunJSSE with the JVM's providers as installed (ECDHE and ECDSA from SunEC).</li>
 * <li>{@link #BC}: SunJSSE with Bouncy Castle inserted at provider position 1, so the handshake's EC operations come
 * from BC. Global: the entry point inserts the provider once, explicitly ({@link #select(TlsProvider)} or
 * {@link #install()}; the CLI's {@code Main} does it); BC then also serves AES-GCM, SecureRandom, KeyStore and PKIX for
 * everything else in the process.</li>
 * <li>{@link #BCJSSE}: Bouncy Castle's JSSE ({@code bctls}) backed by {@link Crypto#provider()}, per context; nothing
 * global changes.</li>
 * </ul>
 *
 * <p>Key objects are converted to the provider that signs with them ({@link #handshakeKey(PrivateKey)}): a key of
 * another provider is translated on every handshake.
 */
public enum TlsProvider {
    JDK,
    BC,
    BCJSSE;

    /** The system property naming the provider. */
    public static final String PROPERTY = "brski.tls.provider";

    /**
     * The measured default: with {@code brski bench} (200 onboardings, 2 cores) BCJSSE and BC-first both onboarded
     * 15-20% more pledges per second than JDK at 13-24% less process CPU each; BCJSSE changes nothing global.
     */
    public static final TlsProvider DEFAULT = BCJSSE;

    /** Keeps BCJSSE's per-handshake INFO logging off (a logger that is not referenced may be collected). */
    private static final Logger BCJSSE_LOG = Logger.getLogger("org.bouncycastle.jsse");
    /**
     * BCJSSE warns once per process about each {@code jdk.certpath.disabledAlgorithms} entry it cannot parse (the JDK's
     * own defaults): noise on every command's stderr, and the JDK's certificate path rules are not what BRSKI uses.
     */
    private static final Logger BCJSSE_CONSTRAINTS_LOG =
            Logger.getLogger("org.bouncycastle.jsse.provider.DisabledAlgorithmConstraints");

    private static final class Jsse {
        static final Provider PROVIDER;

        static {
            BCJSSE_LOG.setLevel(Level.WARNING);
            BCJSSE_CONSTRAINTS_LOG.setLevel(Level.SEVERE);
            PROVIDER = new BouncyCastleJsseProvider(Crypto.provider());
        }
    }

    /** The provider configured for this process ({@value #PROPERTY}, else {@link #DEFAULT}). */
    public static TlsProvider configured() {
        String value = System.getProperty(PROPERTY);
        return value == null || value.isBlank() ? DEFAULT : parse(value);
    }

    /**
     * The provider named {@code value} ({@code jdk}, {@code bc}, {@code bcjsse}; case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static TlsProvider parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown TLS provider '" + value + "' (jdk, bc or bcjsse)", e);
        }
    }

    /**
     * Makes {@code provider} this process's TLS provider: sets {@value #PROPERTY} and, for {@link #BC} only, inserts
     * Bouncy Castle at provider position 1 (once). Meant for a program's entry point, before any TLS context exists.
     */
    public static void select(TlsProvider provider) {
        System.setProperty(PROPERTY, provider.name().toLowerCase(Locale.ROOT));
        provider.install();
    }

    /**
     * For {@link #BC}: puts {@link Crypto#provider()} at provider position 1 unless a BC provider is there already (a
     * BC provider registered further down is moved). Nothing for the other providers. Global and permanent for the
     * process: call it once, at the entry point (the CLI's {@code Main} does).
     */
    public void install() {
        if (this != BC) {
            return;
        }
        synchronized (TlsProvider.class) {
            if (!bcFirst()) {
                Security.removeProvider(Crypto.provider().getName());
                Security.insertProviderAt(Crypto.provider(), 1);
            }
        }
    }

    /** Whether the JVM's provider list currently starts with Bouncy Castle. */
    public static boolean bcFirst() {
        return Security.getProviders()[0].getName().equals(Crypto.provider().getName());
    }

    /**
     * A TLS context of this implementation with the given managers (either may be null for the defaults).
     *
     * @throws IllegalStateException for {@link #BC} when Bouncy Castle is not at provider position 1 ({@link #install()}
     *     was not called): that context would silently be {@link #JDK}'s
     */
    public SSLContext context(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
            throws GeneralSecurityException {
        if (this == BC && !bcFirst()) {
            throw new IllegalStateException("TLS provider bc needs Bouncy Castle at provider position 1: call "
                    + "TlsProvider.select(TlsProvider.BC) (or install()) once at the program's entry point");
        }
        SSLContext context = this == BCJSSE ? SSLContext.getInstance("TLS", Jsse.PROVIDER)
                : SSLContext.getInstance("TLS");
        context.init(keyManagers, trustManagers, random);
        // BCJSSE keeps every TLS 1.2 session; bound the cache whatever the implementation
        context.getServerSessionContext().setSessionCacheSize(4096);
        context.getClientSessionContext().setSessionCacheSize(256);
        return context;
    }

    /** A key manager factory of this implementation ("PKIX" for BCJSSE, so that it keeps BC's key objects). */
    public KeyManagerFactory keyManagerFactory() throws GeneralSecurityException {
        return this == BCJSSE ? KeyManagerFactory.getInstance("PKIX", Jsse.PROVIDER)
                : KeyManagerFactory.getInstance("SunX509");
    }

    /** A PKIX trust manager factory of this implementation. */
    public TrustManagerFactory trustManagerFactory() throws GeneralSecurityException {
        return this == BCJSSE ? TrustManagerFactory.getInstance("PKIX", Jsse.PROVIDER)
                : TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    }

    /** An empty in-memory key store whose keys come back as objects of the provider that will sign with them. */
    public KeyStore emptyKeyStore() throws GeneralSecurityException {
        KeyStore store = this == BCJSSE ? KeyStore.getInstance("PKCS12", Crypto.provider())
                : KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot create an in-memory key store", e);
        }
        return store;
    }

    /**
     * {@code key} as an object of the provider that signs in this implementation's handshakes (BC for
     * {@link #BCJSSE}; otherwise the JVM's first provider for the algorithm), with the algorithm name JSSE expects
     * ("EC", not BC's "ECDSA"). Returns {@code key} unchanged when it cannot be re-encoded.
     */
    public PrivateKey handshakeKey(PrivateKey key) {
        if (key.getEncoded() == null) {
            return key;
        }
        String algorithm = "ECDSA".equals(key.getAlgorithm()) ? "EC" : key.getAlgorithm();
        try {
            KeyFactory factory = this == BCJSSE ? KeyFactory.getInstance(algorithm, Crypto.provider())
                    : KeyFactory.getInstance(algorithm);
            if (factory.getProvider().getName().equals(providerName(key)) && algorithm.equals(key.getAlgorithm())) {
                return key;
            }
            return factory.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            return key;
        }
    }

    private static String providerName(PrivateKey key) {
        String cls = key.getClass().getName();
        return cls.startsWith("org.bouncycastle.") ? Crypto.provider().getName() : "";
    }
}
