package org.brski.pkix;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * DER in and out for certificates carried inside BRSKI artifacts ({@code pinned-domain-cert},
 * {@code proximity-registrar-cert}, stored rows), through the shared Bouncy Castle provider.
 */
public final class Certificates {
    private Certificates() {
    }

    /**
     * Parses one DER X.509 certificate.
     *
     * @throws PkixException when {@code der} is not a DER certificate (PEM armour included: binary leaves hold DER)
     */
    public static X509Certificate fromDer(byte[] der) throws PkixException {
        if (der == null || der.length == 0) {
            throw new PkixException("empty certificate");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509", Crypto.provider());
            if (factory.generateCertificate(new ByteArrayInputStream(der)) instanceof X509Certificate certificate) {
                return certificate;
            }
            throw new PkixException("not an X.509 certificate");
        } catch (CertificateException | RuntimeException e) {
            throw new PkixException("not a DER X.509 certificate (" + e.getMessage() + ")", e);
        }
    }

    /** The DER encoding of a certificate this JVM already parsed, which cannot fail for a well-formed object. */
    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }
}
