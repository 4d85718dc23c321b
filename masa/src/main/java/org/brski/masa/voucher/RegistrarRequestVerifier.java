package org.brski.masa.voucher;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.brski.masa.MasaException;
import org.brski.masa.Refusal;
import org.brski.masa.store.Device;
import org.brski.pkix.CertPaths;
import org.brski.pkix.Certificates;
import org.brski.pkix.Crypto;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.PkixException;
import org.brski.server.ServerException;
import org.brski.server.config.Compat;
import org.brski.voucher.Nonce;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsVerifier;
import org.brski.voucher.cms.VerifiedContent;

/**
 * Verifies a registrar voucher-request (RVR) and the pledge voucher-request (PVR) inside it, as RFC 8995 sections
 * 5.5.2-5.5.6 ask, in this order:
 * <ol>
 *   <li>the RVR is a CMS signature that verifies (403 on a bad signature, 400 when malformed) by a signer that
 *       chains to the configured registrar anchors, or, with none configured, whose chain in the CMS validates to its
 *       own farthest certificate (5.5.2: the domain CA as temporary anchor); expired certificates fail (403);</li>
 *   <li>the signer carries id-kp-cmcRA (5.5.4, 403);</li>
 *   <li>the RVR JSON is well-formed, bounded, without proximity-registrar-cert (5.5, 400);</li>
 *   <li>its created-on, when present, is fresh (403) - checked for voucher issuance only;</li>
 *   <li>the PVR, when present, is signed by an IDevID chaining to the manufacturer CA (403), the signer found via the
 *       certificates in the CMS; the serial-number agrees between RVR, PVR and IDevID (5.5.5, 400); the nonces are
 *       equal (5.5.6, 400); its proximity-registrar-cert's SPKI is in the registrar's chain (5.5.5, 403);</li>
 *   <li>an RVR with a nonce but no PVR is refused: that nonce could not be verified (400).</li>
 * </ol>
 * The body is binary DER and both requests use the {@code ietf-voucher-request:voucher} root (400 naming the
 * deviation otherwise), unless the policy's {@link Compat} accepts the nqminds dialect (base64 body,
 * {@code ietf-voucher:voucher} root, lenient JSON); no other check depends on it.
 * Thread-safe and immutable.
 */
public final class RegistrarRequestVerifier {
    /** Longest nonce accepted (characters). */
    public static final int MAX_NONCE_LENGTH = 256;

    private final MasaPolicy policy;
    private final Clock clock;
    private final VoucherJson json;
    private final Compat compat;

    public RegistrarRequestVerifier(MasaPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.compat = policy.compat();
        this.json = compat.requestParser(policy.lenientJson()).withMaxBytes(policy.maxBodyBytes());
    }

    /** The dialect accepted besides RFC 8995 ({@link Compat#NONE}: none). */
    public Compat compat() {
        return compat;
    }

    /**
     * Verifies {@code body}.
     *
     * @param peerChain the TLS client chain, leaf first (may be empty)
     * @param checkFreshness whether created-on must be recent (voucher issuance) or not (audit-log requests, which
     *     repost an earlier request, RFC 8995 section 5.8)
     */
    public VerifiedRegistrarRequest verify(byte[] body, List<X509Certificate> peerChain, boolean checkFreshness)
            throws MasaException {
        Instant now = clock.instant();
        boolean anchored = !policy.registrarAnchors().isEmpty();
        CmsVerifier rvrVerifier = (anchored ? CmsVerifier.trusting(policy.registrarAnchors()).at(now)
                : CmsVerifier.signatureOnly()).withMaxSize(policy.maxBodyBytes());
        Compat.CmsBody decoded;
        try {
            decoded = compat.voucherBody(body);
        } catch (VoucherException e) {
            throw new MasaException(Refusal.MALFORMED_REQUEST, "registrar voucher-request: " + e.getMessage());
        } catch (ServerException e) {
            throw new MasaException(Refusal.MALFORMED_REQUEST, e.problem().detail());
        }
        VerifiedContent rvrCms = verifyCms(rvrVerifier, decoded.der(), "registrar voucher-request",
                Refusal.UNTRUSTED_REGISTRAR);
        X509Certificate signer = rvrCms.signer();
        if (!DeviceCertificates.hasExtendedKeyUsage(signer, DeviceCertificates.ID_KP_CMC_RA)) {
            throw new MasaException(Refusal.NOT_A_REGISTRAR, "the registrar voucher-request signer '"
                    + subject(signer) + "' lacks extended key usage id-kp-cmcRA (RFC 8995 section 5.5.4)");
        }
        List<X509Certificate> chain = chainOf(signer, rvrCms.certificates());
        try {
            CertPaths.validate(signer, rvrCms.certificates(), List.of(chain.get(chain.size() - 1)), now);
        } catch (PkixException e) {
            throw new MasaException(Refusal.UNTRUSTED_REGISTRAR,
                    "the registrar's certificate chain does not validate: " + e.getMessage());
        }
        boolean authenticated = anchored || tlsClientAuthenticated(peerChain, signer, rvrCms.certificates(), now);

        VoucherRequest rvr = parse(rvrCms.content(), "registrar voucher-request");
        if (rvr.proximityRegistrarCert().isPresent()) {
            throw new MasaException(Refusal.MALFORMED_REQUEST, "a registrar voucher-request must not carry "
                    + "proximity-registrar-cert (RFC 8995 section 5.5)");
        }
        String serial = checkSerial(rvr.serialNumber(), "registrar voucher-request");
        Optional<String> nonce = rvr.nonce();
        if (nonce.isPresent() && (nonce.get().isEmpty() || nonce.get().length() > MAX_NONCE_LENGTH)) {
            throw new MasaException(Refusal.MALFORMED_REQUEST, "nonce must have 1 to " + MAX_NONCE_LENGTH
                    + " characters");
        }
        if (checkFreshness) {
            checkCreatedOn(rvr, now);
        }

        Optional<byte[]> prior = rvr.priorSignedVoucherRequest();
        if (prior.isEmpty()) {
            if (nonce.isPresent()) {
                throw new MasaException(Refusal.MALFORMED_REQUEST, "a nonce without prior-signed-voucher-request "
                        + "cannot be verified (RFC 8995 section 5.5.6); send the pledge's voucher-request or no nonce");
            }
            return new VerifiedRegistrarRequest(rvr, chain, Optional.empty(), Optional.empty(), serial,
                    Optional.empty(), authenticated, decoded);
        }

        CmsVerifier pvrVerifier = CmsVerifier.trusting(policy.manufacturerAnchors()).at(now)
                .withMaxSize(policy.maxBodyBytes());
        VerifiedContent pvrCms = verifyCms(pvrVerifier, prior.get(), "prior-signed-voucher-request",
                Refusal.FOREIGN_PLEDGE);
        X509Certificate idevid = pvrCms.signer();
        String deviceSerial = DeviceCertificates.serialNumber(idevid).orElseThrow(() -> new MasaException(
                Refusal.FOREIGN_PLEDGE, "the pledge certificate '" + subject(idevid)
                        + "' has no serialNumber attribute (RFC 8995 section 2.3.1)"));
        VoucherRequest pvr = parse(pvrCms.content(), "prior-signed-voucher-request");
        if (!deviceSerial.equals(serial)) {
            throw new MasaException(Refusal.SERIAL_MISMATCH, "registrar voucher-request serial-number '"
                    + serial + "' differs from the pledge IDevID serialNumber '" + deviceSerial
                    + "' (RFC 8995 section 5.5.5)");
        }
        if (!deviceSerial.equals(pvr.serialNumber())) {
            throw new MasaException(Refusal.SERIAL_MISMATCH, "pledge voucher-request serial-number '"
                    + clip(pvr.serialNumber()) + "' differs from its IDevID serialNumber '" + deviceSerial + "'");
        }
        if (rvr.idevidIssuer().isPresent()) {
            checkIdevidIssuer(rvr.idevidIssuer().get(), idevid, pvrCms.validatedPath());
        }
        if (nonce.isPresent() && !Nonce.matches(nonce.get(), pvr.nonce().orElse(null))) {
            throw new MasaException(Refusal.NONCE_MISMATCH, "the registrar voucher-request nonce differs from the "
                    + "pledge voucher-request nonce (RFC 8995 section 5.5.6)");
        }
        byte[] proximity = pvr.proximityRegistrarCert().orElseThrow(() -> new MasaException(
                Refusal.MALFORMED_REQUEST, "the pledge voucher-request lacks proximity-registrar-cert "
                        + "(RFC 8995 section 5.2)"));
        checkProximity(proximity, chain);
        return new VerifiedRegistrarRequest(rvr, chain, Optional.of(pvr), Optional.of(idevid), serial, nonce,
                authenticated, decoded);
    }

    /**
     * RFC 8995 section 5.5: {@code idevid-issuer} scopes the serial-number; when the registrar sends it, it must be the
     * IDevID's authority key identifier (the keyIdentifier OCTET STRING, or the whole extension value as some peers
     * send it), or, for an IDevID without that extension, the key identifier of the CA that issued it. With compat
     * nqminds it may instead be the issuer's DN as text ({@link Compat#idevidIssuerNames}), as nqminds brski sends it.
     */
    private void checkIdevidIssuer(byte[] sent, X509Certificate idevid, List<X509Certificate> path)
            throws MasaException {
        if (compat.idevidIssuerNames(sent, idevid.getIssuerX500Principal())) {
            return; // compat nqminds: the issuer DN as text, compared by attribute values
        }
        List<byte[]> accepted = new ArrayList<>();
        DeviceCertificates.authorityKeyIdentifier(idevid).ifPresent(accepted::add);
        byte[] extension = idevid.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (extension != null) {
            accepted.add(ASN1OctetString.getInstance(extension).getOctets());
        }
        if (path.size() > 1) {
            accepted.add(DeviceCertificates.keyIdentifier(path.get(1)));
        }
        for (byte[] candidate : accepted) {
            if (MessageDigest.isEqual(candidate, sent)) {
                return;
            }
        }
        throw new MasaException(Refusal.SERIAL_MISMATCH, "idevid-issuer does not identify the issuer of the pledge "
                + "IDevID '" + subject(idevid) + "' (RFC 8995 section 5.5)");
    }

    private VerifiedContent verifyCms(CmsVerifier verifier, byte[] der, String what, Refusal untrusted)
            throws MasaException {
        try {
            return verifier.verify(der);
        } catch (VoucherException e) {
            Refusal refusal = switch (e.reason()) {
                case TOO_LARGE -> Refusal.TOO_LARGE;
                case BAD_SIGNATURE -> Refusal.BAD_SIGNATURE;
                case UNTRUSTED_SIGNER -> untrusted;
                default -> Refusal.MALFORMED_REQUEST;
            };
            throw new MasaException(refusal, what + ": " + e.getMessage());
        }
    }

    private VoucherRequest parse(byte[] content, String what) throws MasaException {
        try {
            compat.checkRequestRoot(content);
        } catch (ServerException e) {
            throw new MasaException(Refusal.MALFORMED_REQUEST, what + ": " + e.problem().detail());
        }
        try {
            return json.parseVoucherRequest(content);
        } catch (VoucherException e) {
            throw new MasaException(e.reason() == VoucherException.Reason.TOO_LARGE ? Refusal.TOO_LARGE
                    : Refusal.MALFORMED_REQUEST, what + ": " + e.getMessage());
        }
    }

    private void checkCreatedOn(VoucherRequest rvr, Instant now) throws MasaException {
        Optional<OffsetDateTime> createdOn = rvr.createdOn();
        if (createdOn.isEmpty()) {
            return; // RFC 8995 section 5.5: the registrar SHOULD populate it; freshness then rests on the nonce
        }
        Instant created = createdOn.get().toInstant();
        if (created.isBefore(now.minus(policy.maxRequestAge()))) {
            throw new MasaException(Refusal.STALE_REQUEST, "registrar voucher-request created-on "
                    + createdOn.get() + " is older than " + policy.maxRequestAge().toMinutes() + " minutes");
        }
        if (created.isAfter(now.plus(policy.clockSkew()))) {
            throw new MasaException(Refusal.STALE_REQUEST, "registrar voucher-request created-on "
                    + createdOn.get() + " is in the future");
        }
    }

    /**
     * Whether the registrar is authenticated by TLS (RFC 8995 5.5.4): its TLS client certificate validates to the
     * configured client anchors, and so does the certificate that signed the voucher-request, so that an
     * authenticated TLS session cannot vouch for a request signed under an unrelated, self-made chain.
     */
    private boolean tlsClientAuthenticated(List<X509Certificate> peerChain, X509Certificate signer,
            List<X509Certificate> cmsCertificates, Instant now) {
        if (peerChain.isEmpty() || policy.tlsClientAnchors().isEmpty()) {
            return false;
        }
        try {
            CertPaths.validate(peerChain.get(0), peerChain.subList(1, peerChain.size()), policy.tlsClientAnchors(),
                    now);
            CertPaths.validate(signer, cmsCertificates, policy.tlsClientAnchors(), now);
            return true;
        } catch (PkixException e) {
            return false;
        }
    }

    /** RFC 8995 section 5.5.5: the proximity-registrar-cert's SPKI must be in the registrar's CMS chain. */
    private static void checkProximity(byte[] proximityDer, List<X509Certificate> chain) throws MasaException {
        X509Certificate proximity;
        try {
            proximity = Certificates.fromDer(proximityDer);
        } catch (PkixException e) {
            throw new MasaException(Refusal.MALFORMED_REQUEST,
                    "proximity-registrar-cert is not a DER X.509 certificate");
        }
        byte[] wanted = DeviceCertificates.spkiSha256(proximity);
        for (X509Certificate c : chain) {
            if (MessageDigest.isEqual(wanted, DeviceCertificates.spkiSha256(c))) {
                return;
            }
        }
        throw new MasaException(Refusal.PROXIMITY_MISMATCH, "the pledge saw registrar '" + subject(proximity)
                + "', whose key is not in the registrar voucher-request's certificate chain (RFC 8995 section 5.5.5)");
    }

    /** The signer followed by its issuers found among {@code certificates}, up to the farthest one. */
    static List<X509Certificate> chainOf(X509Certificate signer, List<X509Certificate> certificates) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(signer);
        X509Certificate current = signer;
        while (chain.size() < CertPaths.MAX_CHAIN_LENGTH
                && !current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
            X509Certificate issuer = null;
            for (X509Certificate candidate : certificates) {
                if (!chain.contains(candidate)
                        && candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())
                        && signedBy(current, candidate)) {
                    issuer = candidate;
                    break;
                }
            }
            if (issuer == null) {
                break;
            }
            chain.add(issuer);
            current = issuer;
        }
        return chain;
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey(), Crypto.provider());
            return true;
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String checkSerial(String serial, String what) throws MasaException {
        try {
            return Device.requireSerial(serial);
        } catch (IllegalArgumentException e) {
            throw new MasaException(Refusal.MALFORMED_REQUEST, what + ": " + e.getMessage());
        }
    }

    static String subject(X509Certificate c) {
        return clip(c.getSubjectX500Principal().getName());
    }

    private static String clip(String s) {
        String cleaned = s.replaceAll("[^\\x20-\\x7E]", "?");
        return cleaned.length() > 128 ? cleaned.substring(0, 128) + "..." : cleaned;
    }
}
