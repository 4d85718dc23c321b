package org.brski.registrar.est;

import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.operator.ContentSigner;

/**
 * The domain CA that issues LDevIDs (RFC 8995 section 5.9.3). Only signing is needed, so the private key may live in
 * a file, an HSM or a remote CA; implementations must be thread-safe.
 */
public interface DomainCa {
    /** The CA certificate that issues LDevIDs. */
    X509Certificate certificate();

    /** The CA certificates to publish in {@code /cacerts} (the CA first, then any issuers). */
    List<X509Certificate> caCertificates();

    /** A fresh signer for one certificate (BC content signers are single-use and not thread-safe). */
    ContentSigner newSigner();
}
