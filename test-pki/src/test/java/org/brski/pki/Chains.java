package org.brski.pki;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.brski.pkix.Crypto;

/** Test helpers: JDK PKIX path validation (revocation off) and a sign/verify key check. */
final class Chains {
    private Chains() {
    }

    /** Validates {@code held}'s chain up to {@code anchor} with the JDK's PKIX CertPathValidator at {@code at}. */
    static void validate(HeldCertificate held, X509Certificate anchor, Instant at) throws GeneralSecurityException {
        List<X509Certificate> path = new ArrayList<>(held.chainWithSelf());
        path.remove(anchor);
        validate(path, anchor, at);
    }

    static void validate(List<X509Certificate> path, X509Certificate anchor, Instant at)
            throws GeneralSecurityException {
        CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    }

    static void validate(HeldCertificate held, X509Certificate anchor) throws GeneralSecurityException {
        validate(held, anchor, Instant.now());
    }

    /** Whether the private key signs what the certificate's public key verifies. */
    static boolean keyWorks(HeldCertificate held) throws GeneralSecurityException {
        byte[] data = {1, 2, 3, 4};
        Signature signer = Signature.getInstance(held.keyType().signatureAlgorithm(), Crypto.provider());
        signer.initSign(held.privateKey());
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(held.keyType().signatureAlgorithm(), Crypto.provider());
        verifier.initVerify(held.certificate().getPublicKey());
        verifier.update(data);
        return verifier.verify(signature);
    }
}
