package org.brski.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.brski.pkix.Crypto;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.server.ConfigException;

/**
 * A private key with its certificate and the issuer chain to present after it: a TLS server or client identity, or a
 * signing identity. Immutable. Keys are loaded through Bouncy Castle (GUIDE: keys must belong to the provider that uses
 * them). {@link #toString()} never shows the key.
 */
public final class TlsIdentity {
    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final List<X509Certificate> chain;

    private TlsIdentity(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.chain = chain;
    }

    /**
     * An identity from objects in memory.
     *
     * @param chain the issuers to send after {@code certificate}, nearest first; a repetition of the certificate is
     *     dropped
     */
    public static TlsIdentity of(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain) {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
        List<X509Certificate> rest = new ArrayList<>();
        for (X509Certificate c : Objects.requireNonNull(chain, "chain")) {
            if (!c.equals(certificate) && !rest.contains(c)) {
                rest.add(c);
            }
        }
        return new TlsIdentity(privateKey, certificate, List.copyOf(rest));
    }

    /**
     * Loads a PEM certificate file (the certificate first, then optionally its issuers) and a PEM private key file.
     *
     * @param certKey the configuration key naming the certificate file, used in error messages
     * @param keyKey the configuration key naming the key file, used in error messages
     */
    public static TlsIdentity fromPem(Path certificateFile, Path keyFile, String certKey, String keyKey)
            throws ConfigException {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.readCertificates(certificateFile);
        } catch (PkixException e) {
            throw new ConfigException(certKey, e.getMessage(), e);
        }
        PrivateKey key;
        try {
            key = Pem.readPrivateKey(keyFile);
        } catch (PkixException e) {
            throw new ConfigException(keyKey, e.getMessage(), e);
        }
        return of(key, certificates.get(0), certificates.subList(1, certificates.size()));
    }

    /**
     * Loads the first key entry of a PKCS#12 file through Bouncy Castle's key store.
     *
     * @param fileKey the configuration key naming the file, used in error messages
     */
    public static TlsIdentity fromPkcs12(Path file, char[] password, String fileKey) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12", Crypto.provider());
            store.load(in, password);
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, password);
                Certificate[] certificates = store.getCertificateChain(alias);
                if (!(key instanceof PrivateKey privateKey) || certificates == null || certificates.length == 0) {
                    continue;
                }
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : certificates) {
                    chain.add((X509Certificate) c);
                }
                return of(privateKey, chain.get(0), chain.subList(1, chain.size()));
            }
            throw new ConfigException(fileKey, file + ": holds no private key entry with a certificate");
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new ConfigException(fileKey, file + ": cannot read PKCS#12 (" + e.getMessage() + ")", e);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The issuers sent after the certificate, nearest first (may be empty). */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The certificate followed by its chain. */
    public List<X509Certificate> chainWithCertificate() {
        List<X509Certificate> all = new ArrayList<>();
        all.add(certificate);
        all.addAll(chain);
        return List.copyOf(all);
    }

    @Override
    public String toString() {
        return "TlsIdentity[" + certificate.getSubjectX500Principal().getName() + ", chain " + chain.size() + "]";
    }
}
