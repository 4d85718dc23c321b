package org.brski.pledge;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.brski.pkix.CertPaths;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.PkixException;
import org.brski.pledge.PledgeException.Reason;

/**
 * Certificate judgements after the voucher: the registrar against the pin (RFC 8995 section 5.6.2), {@code /cacerts}
 * against the pin (5.9.1), and the enrolled certificate against the domain anchors (5.9.3). Path validation is
 * {@link CertPaths} through {@link TrustTime}: signatures, validity at the pledge's time (or, without a trusted clock,
 * at an instant the whole path was valid), no TLS EKU rules (registrar certificates may carry only id-kp-cmcRA).
 */
final class DomainTrust {
    private DomainTrust() {
    }

    /**
     * RFC 8995 5.6.2: the registrar's TLS end-entity certificate is the pinned-domain-cert, holds its public key, or
     * validates to it as the sole trust anchor (with the intermediates the registrar sent).
     */
    static void checkRegistrar(List<X509Certificate> serverChain, X509Certificate pin, TrustTime time)
            throws PledgeException {
        X509Certificate leaf = serverChain.get(0);
        if (leaf.equals(pin) || sameKey(leaf.getPublicKey(), pin.getPublicKey())) {
            return;
        }
        try {
            time.validate(leaf, serverChain.subList(1, serverChain.size()), List.of(pin));
        } catch (PkixException e) {
            throw new PledgeException(Step.AUTHENTICATE_REGISTRAR, Reason.REGISTRAR_NOT_PINNED,
                    "the registrar's certificate '" + DeviceCertificates.displayName(leaf.getSubjectX500Principal())
                            + "' is not covered by the voucher's pinned-domain-cert '"
                            + DeviceCertificates.displayName(pin.getSubjectX500Principal()) + "': " + e.getMessage(),
                    e);
        }
    }

    /**
     * RFC 8995 5.9.1: the CA certificates that are consistent with the pin, which become the domain trust anchors: a
     * certificate equal to the pin (or with its key), one that chains to the pin, or one that the pin chains to (the
     * domain CA above a pinned registrar end-entity certificate, as in RFC 8995 Appendix C).
     *
     * @throws PledgeException CACERTS_NOT_PINNED when no certificate is consistent with the pin
     */
    static List<X509Certificate> anchorsFor(List<X509Certificate> caCertificates, Collection<X509Certificate> pins,
            TrustTime time) throws PledgeException {
        Set<X509Certificate> related = new LinkedHashSet<>();
        for (X509Certificate candidate : caCertificates) {
            for (X509Certificate pin : pins) {
                if (candidate.equals(pin) || sameKey(candidate.getPublicKey(), pin.getPublicKey())
                        || validates(candidate, caCertificates, pin, time)
                        || validates(pin, caCertificates, candidate, time)) {
                    related.add(candidate);
                    break;
                }
            }
        }
        if (related.isEmpty()) {
            throw new PledgeException(Step.CA_CERTIFICATES, Reason.CACERTS_NOT_PINNED, "none of the "
                    + caCertificates.size() + " CA certificate(s) from /cacerts equals, chains to or issues the "
                    + "trusted domain certificate '" + DeviceCertificates.displayName(
                            pins.iterator().next().getSubjectX500Principal()) + "'");
        }
        return List.copyOf(related);
    }

    /**
     * RFC 8995 5.9.3: picks the certificate for {@code key} from an enrollment response and validates it to the
     * domain anchors.
     *
     * @return the LDevID chain: the certificate, then the intermediates up to (excluding) the anchor, or the anchor
     *     itself when it issued the certificate directly and is the only issuer known
     */
    static List<X509Certificate> checkEnrolled(List<X509Certificate> response, PublicKey key,
            List<X509Certificate> intermediates, List<X509Certificate> anchors, TrustTime time) throws PledgeException {
        X509Certificate leaf = null;
        for (X509Certificate certificate : response) {
            if (sameKey(certificate.getPublicKey(), key)) {
                leaf = certificate;
                break;
            }
        }
        if (leaf == null) {
            throw new PledgeException(Step.VERIFY_CERTIFICATE, Reason.CERTIFICATE_WRONG_KEY, "none of the "
                    + response.size() + " certificate(s) returned certifies the key of this pledge's request");
        }
        List<X509Certificate> others = new ArrayList<>(response);
        others.remove(leaf);
        others.addAll(intermediates);
        List<X509Certificate> path;
        try {
            path = time.validate(leaf, others, anchors);
        } catch (PkixException e) {
            throw new PledgeException(Step.VERIFY_CERTIFICATE, Reason.CERTIFICATE_UNTRUSTED, "the certificate '"
                    + DeviceCertificates.displayName(leaf.getSubjectX500Principal())
                    + "' does not validate to the domain trust anchors: " + e.getMessage(), e);
        }
        return path.size() > 1 ? List.copyOf(path.subList(0, path.size() - 1)) : path;
    }

    private static boolean validates(X509Certificate leaf, List<X509Certificate> intermediates,
            X509Certificate anchor, TrustTime time) {
        try {
            time.validate(leaf, intermediates, List.of(anchor));
            return true;
        } catch (PkixException e) {
            return false;
        }
    }

    static boolean sameKey(PublicKey a, PublicKey b) {
        return Arrays.equals(a.getEncoded(), b.getEncoded());
    }
}
