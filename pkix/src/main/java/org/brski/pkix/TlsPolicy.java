package org.brski.pkix;

import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.SSLParameters;

/**
 * The TLS policy of every BRSKI port and client of this project, for every {@link TlsProvider}: TLS 1.3 and 1.2 only
 * (RFC 8995 section 5.4), TLS 1.2 with ECDHE and AEAD suites only (AES-GCM, ChaCha20-Poly1305; no CBC, no static RSA,
 * RFC 9325 section 4.2), and handshake signatures with SHA-2 only (RFC 9155 deprecates SHA-1 and MD5 in TLS 1.2).
 * Applied to {@link SSLParameters}, so that servers and clients built on any TLS implementation get the same rules.
 */
public final class TlsPolicy {
    /** The TLS versions spoken, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** The suites offered and accepted, in order of preference (TLS 1.3 ones, then TLS 1.2 ECDHE with AEAD). */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Refuses SHA-1 and MD5 in signatures (handshake signature schemes and certificate signatures alike). */
    private static final AlgorithmConstraints NO_WEAK_SIGNATURES = signatureConstraints(a -> !weakDigest(a));

    private TlsPolicy() {
    }

    /**
     * Restricts {@code parameters} to this policy: protocols, the cipher suites of {@link #CIPHER_SUITES} that the
     * implementation supports ({@code supported}), and algorithm constraints refusing SHA-1 and MD5 signatures.
     *
     * @return {@code parameters}
     */
    public static SSLParameters apply(SSLParameters parameters, String[] supported) {
        parameters.setProtocols(PROTOCOLS.toArray(new String[0]));
        parameters.setCipherSuites(cipherSuites(supported));
        parameters.setAlgorithmConstraints(NO_WEAK_SIGNATURES);
        return parameters;
    }

    /** The suites of {@link #CIPHER_SUITES} found in {@code supported}, in the policy's order. */
    public static String[] cipherSuites(String[] supported) {
        List<String> available = Arrays.asList(supported);
        return CIPHER_SUITES.stream().filter(available::contains).toArray(String[]::new);
    }

    /** The constraints refusing SHA-1 and MD5 signatures (for APIs that take constraints rather than parameters). */
    public static AlgorithmConstraints constraints() {
        return NO_WEAK_SIGNATURES;
    }

    /**
     * Constraints that permit a signature algorithm or TLS signature scheme ({@code SHA256withECDSA},
     * {@code ecdsa_secp256r1_sha256}) when {@code permitted} says so, and everything that is not a signature.
     */
    public static AlgorithmConstraints signatureConstraints(Predicate<String> permitted) {
        return new AlgorithmConstraints() {
            @Override
            public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
                return !primitives.contains(CryptoPrimitive.SIGNATURE) || permitted.test(algorithm);
            }

            @Override
            public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
                return true;
            }

            @Override
            public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key,
                    AlgorithmParameters parameters) {
                return permits(primitives, algorithm, parameters);
            }
        };
    }

    /** Whether a signature algorithm or TLS signature scheme name uses SHA-1 or MD5 ("ecdsa_sha1", "SHA1withRSA"). */
    static boolean weakDigest(String algorithm) {
        String a = algorithm.toUpperCase(Locale.ROOT).replace("-", "");
        return a.contains("SHA1") || a.contains("MD5") || a.equals("SHA") || a.startsWith("SHAWITH");
    }
}
