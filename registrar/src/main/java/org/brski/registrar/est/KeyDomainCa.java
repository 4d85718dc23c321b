package org.brski.registrar.est;

import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.brski.pkix.Crypto;

/**
 * A {@link DomainCa} whose key is held in memory (loaded from a PEM file). The key never appears in
 * {@link #toString()} or logs.
 */
public final class KeyDomainCa implements DomainCa {
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final List<X509Certificate> caCertificates;
    private final String algorithm;
    private final SecureRandom random = Crypto.newSecureRandom();

    private KeyDomainCa(PrivateKey key, X509Certificate certificate, List<X509Certificate> caCertificates,
            String algorithm) {
        this.key = key;
        this.certificate = certificate;
        this.caCertificates = caCertificates;
        this.algorithm = algorithm;
    }

    /**
     * A CA from its key, certificate and the certificates above it.
     *
     * @throws IllegalArgumentException when the key is neither EC nor RSA
     */
    public static KeyDomainCa of(PrivateKey key, X509Certificate certificate, List<X509Certificate> issuers) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
        String algorithm;
        if (key instanceof ECKey ec) {
            algorithm = ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        } else if ("RSA".equalsIgnoreCase(key.getAlgorithm())) {
            algorithm = "SHA256withRSA";
        } else {
            throw new IllegalArgumentException("domain CA key must be EC or RSA, not " + key.getAlgorithm());
        }
        List<X509Certificate> all = new ArrayList<>();
        all.add(certificate);
        for (X509Certificate c : issuers) {
            if (!all.contains(c)) {
                all.add(c);
            }
        }
        return new KeyDomainCa(key, certificate, List.copyOf(all), algorithm);
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public List<X509Certificate> caCertificates() {
        return caCertificates;
    }

    @Override
    public ContentSigner newSigner() {
        try {
            return new JcaContentSignerBuilder(algorithm).setProvider(Crypto.provider()).setSecureRandom(random)
                    .build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("domain CA key cannot sign with " + algorithm, e);
        }
    }

    @Override
    public String toString() {
        return "KeyDomainCa[" + certificate.getSubjectX500Principal().getName() + ", " + algorithm + "]";
    }
}
