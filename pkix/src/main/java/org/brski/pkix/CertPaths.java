package org.brski.pkix;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Validates a certificate against trust anchors at a chosen instant ({@link #validate}) or, for a device without a
 * trustworthy clock, at an instant when the whole path was valid ({@link #validateAtSomeTime}), building the path from
 * an unordered bag of intermediates (as carried in a CMS SignedData). Revocation is not checked here; callers that
 * need it add it.
 *
 * <p>EKU is deliberately not judged: BRSKI registrar certificates may carry only id-kp-cmcRA, which the JDK's
 * TLS rules reject; each protocol step checks the usages it needs itself.
 */
public final class CertPaths {
    /** Longest chain accepted, anchor excluded: bounds the work an attacker can cause. */
    public static final int MAX_CHAIN_LENGTH = 8;

    private CertPaths() {
    }

    /**
     * Validates {@code leaf} to one of {@code anchors} at {@code at}.
     *
     * @return the validated path, leaf first, ending with the anchor certificate (a path of one when the leaf is
     *     itself an anchor)
     * @throws PkixException naming why: no path to a trusted anchor, expired or not yet valid, bad signature
     */
    public static List<X509Certificate> validate(X509Certificate leaf, Collection<X509Certificate> intermediates,
            Collection<X509Certificate> anchors, Instant at) throws PkixException {
        if (anchors.isEmpty()) {
            throw new PkixException("no trust anchor configured");
        }
        List<X509Certificate> path = buildPath(leaf, intermediates, anchors);
        for (X509Certificate certificate : path) {
            checkValidity(certificate, at);
        }
        return validatePath(path, at);
    }

    /**
     * Validates {@code leaf} to one of {@code anchors} without knowing the current time, for a device without a
     * trustworthy real-time clock (RFC 8995 section 2.6.1: such a pledge "MAY ignore all time stamps ... in the
     * certificate validity periods"). The path is built as {@link #validate} builds it; the validation time is then
     * the latest {@code notBefore} on the path, anchor included: the first instant at which every certificate of the
     * path is valid. When that instant is after the earliest {@code notAfter}, the certificates were never valid
     * together and the path is refused. Otherwise signatures, name chaining, basic constraints, key usage and path
     * length are validated at that instant exactly as {@link #validate} does.
     *
     * <p>What this does not establish: that the certificates are valid <em>now</em>. An expired (or revoked) chain
     * validates; freshness must come from elsewhere, e.g. a voucher nonce.
     *
     * @return the validated path, leaf first, ending with the anchor certificate
     * @throws PkixException naming why: no path to a trusted anchor, validity periods that never overlap, bad signature
     */
    public static List<X509Certificate> validateAtSomeTime(X509Certificate leaf,
            Collection<X509Certificate> intermediates, Collection<X509Certificate> anchors) throws PkixException {
        if (anchors.isEmpty()) {
            throw new PkixException("no trust anchor configured");
        }
        List<X509Certificate> path = buildPath(leaf, intermediates, anchors);
        X509Certificate latestStart = path.get(0);
        X509Certificate earliestEnd = path.get(0);
        for (X509Certificate certificate : path) {
            if (certificate.getNotBefore().after(latestStart.getNotBefore())) {
                latestStart = certificate;
            }
            if (certificate.getNotAfter().before(earliestEnd.getNotAfter())) {
                earliestEnd = certificate;
            }
        }
        Instant at = latestStart.getNotBefore().toInstant();
        if (at.isAfter(earliestEnd.getNotAfter().toInstant())) {
            throw new PkixException("the certificates on the path were never valid at the same time: '"
                    + DeviceCertificates.displayName(earliestEnd.getSubjectX500Principal()) + "' expired on "
                    + earliestEnd.getNotAfter().toInstant() + ", before '"
                    + DeviceCertificates.displayName(latestStart.getSubjectX500Principal()) + "' became valid on "
                    + at);
        }
        return validatePath(path, at);
    }

    /** Signatures and path rules of an ordered path (leaf first, anchor last) at {@code at}. */
    private static List<X509Certificate> validatePath(List<X509Certificate> path, Instant at) throws PkixException {
        X509Certificate anchor = path.get(path.size() - 1);
        List<X509Certificate> toValidate = path.subList(0, path.size() - 1);
        if (toValidate.isEmpty()) {
            return List.copyOf(path); // the leaf is itself trusted: only its validity period remains to check
        }
        try {
            // BC's validator verifies with the certificates' own verify(PublicKey): BC certificate objects make that
            // BC with BC keys; the JDK's objects would verify with SunEC (GUIDE 3: ~9x slower for ECDSA).
            CertificateFactory factory = CertificateFactory.getInstance("X.509", Crypto.provider());
            List<X509Certificate> bcPath = new ArrayList<>(toValidate.size());
            for (X509Certificate certificate : toValidate) {
                bcPath.add(bcObject(factory, certificate));
            }
            CertPath certPath = factory.generateCertPath(bcPath);
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(bcObject(factory, anchor), null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX", Crypto.provider()).validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            throw new PkixException(describe(e, at), e);
        } catch (GeneralSecurityException e) {
            throw new PkixException("certificate path cannot be validated: " + e.getMessage(), e);
        }
        return List.copyOf(path);
    }

    private static X509Certificate bcObject(CertificateFactory factory, X509Certificate certificate)
            throws GeneralSecurityException {
        if (certificate.getClass().getName().startsWith("org.bouncycastle.")) {
            return certificate;
        }
        return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
    }

    /** Orders {@code leaf} and the intermediates that issue it into a path ending at an anchor. */
    private static List<X509Certificate> buildPath(X509Certificate leaf, Collection<X509Certificate> intermediates,
            Collection<X509Certificate> anchors) throws PkixException {
        List<X509Certificate> path = new ArrayList<>();
        Set<X509Certificate> used = new HashSet<>();
        X509Certificate current = leaf;
        path.add(leaf);
        if (anchors.contains(leaf)) {
            return path; // the leaf itself is trusted, e.g. a pinned end-entity certificate
        }
        while (true) {
            X509Certificate anchor = issuerAmong(current, anchors);
            if (anchor != null) {
                path.add(anchor);
                return path;
            }
            X509Certificate next = issuerAmong(current, intermediates);
            if (next == null || !used.add(next) || next.equals(current)) {
                throw new PkixException("certificate '" + DeviceCertificates.displayName(current.getSubjectX500Principal())
                        + "' does not chain to a trusted anchor");
            }
            if (path.size() >= MAX_CHAIN_LENGTH) {
                throw new PkixException("certificate chain longer than " + MAX_CHAIN_LENGTH);
            }
            path.add(next);
            current = next;
        }
    }

    private static X509Certificate issuerAmong(X509Certificate certificate, Collection<X509Certificate> candidates) {
        X500Principal issuer = certificate.getIssuerX500Principal();
        for (X509Certificate candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(issuer) && signedBy(certificate, candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey(), Crypto.provider());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static void checkValidity(X509Certificate certificate, Instant at) throws PkixException {
        Date date = Date.from(at);
        if (date.before(certificate.getNotBefore())) {
            throw new PkixException("certificate '" + DeviceCertificates.displayName(certificate.getSubjectX500Principal())
                    + "' is not yet valid at validation time " + at);
        }
        if (date.after(certificate.getNotAfter())) {
            throw new PkixException("certificate '" + DeviceCertificates.displayName(certificate.getSubjectX500Principal())
                    + "' expired before validation time " + at);
        }
    }

    private static String describe(CertPathValidatorException e, Instant at) {
        CertPathValidatorException.Reason reason = e.getReason();
        if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
            return "certificate expired at validation time " + at;
        }
        if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return "certificate not yet valid at validation time " + at;
        }
        if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
            return "certificate signature does not verify";
        }
        return "certificate path does not validate: " + e.getMessage();
    }
}
