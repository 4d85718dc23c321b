package org.brski.masa.voucher;

import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.brski.masa.MasaException;
import org.brski.masa.Refusal;
import org.brski.masa.store.AuditEvent;
import org.brski.masa.store.Device;
import org.brski.masa.store.MasaStore;
import org.brski.masa.store.Ownership;
import org.brski.pkix.DeviceCertificates;
import org.brski.server.ServerException;
import org.brski.server.config.Compat;
import org.brski.server.http.MediaTypes;
import org.brski.voucher.Assertion;
import org.brski.voucher.Nonce;
import org.brski.voucher.Rfc3339;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherJson;

/**
 * The MASA's {@code /requestvoucher} logic (RFC 8995 sections 5.5 and 5.6), free of any transport: bytes, media types
 * and the TLS peer chain in; a signed voucher out, or a {@link MasaException} naming the refusal.
 *
 * <p>After {@link RegistrarRequestVerifier} has checked the request: the device must be registered (404); its
 * ownership decides the assertion (bound to this domain: {@code verified}; open: the configured assertion, normally
 * {@code logged}; bound elsewhere or closed: 403); a nonceless request needs policy consent and an authenticated
 * registrar (5.5.4, 403); a nonce already used for the device is refused (403). The voucher pins the domain CA (or
 * the registrar certificate, or for owner-bound devices the owner's certificate), echoes the nonce or carries
 * {@code expires-on}, is signed, and is written to the audit log durably before it is returned (5.6). It is answered
 * as binary DER, or as base64 when the policy's {@link Compat} accepted a base64 request (the nqminds registrar hands
 * the answer to its pledge, which decodes base64).
 */
public final class VoucherIssuer {
    private final MasaPolicy policy;
    private final MasaStore store;
    private final VoucherSigningKey signingKey;
    private final RegistrarRequestVerifier verifier;
    private final Clock clock;

    public VoucherIssuer(MasaPolicy policy, MasaStore store, VoucherSigningKey signingKey, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.store = Objects.requireNonNull(store, "store");
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.verifier = new RegistrarRequestVerifier(policy, clock);
    }

    /** The verifier this issuer uses, shared with the audit-log endpoint. */
    public RegistrarRequestVerifier verifier() {
        return verifier;
    }

    /** Issues a voucher for a registrar voucher-request. */
    public MasaResponse requestVoucher(MasaRequest request) throws MasaException {
        checkMediaTypes(request, BrskiMediaTypes.VOUCHER_CMS_JSON);
        VerifiedRegistrarRequest verified = verifier.verify(request.body(), request.peerChain(), true);
        String serial = verified.serialNumber();
        Device device = store.device(serial).orElseThrow(() -> new MasaException(Refusal.UNKNOWN_DEVICE,
                "serial-number '" + serial + "' is not a device of this manufacturer"));

        Decision decision = decide(device, verified);
        Optional<String> nonce = verified.nonce();
        if (nonce.isEmpty()) {
            if (!policy.allowNonceless()) {
                throw new MasaException(Refusal.NONCELESS_REFUSED, "this MASA issues no nonceless vouchers; "
                        + "include the pledge's nonce");
            }
            if (!decision.authenticated) {
                throw new MasaException(Refusal.NONCELESS_REFUSED, "a nonceless voucher needs an authenticated "
                        + "registrar (RFC 8995 section 5.5.4): a TLS client certificate or a voucher-request signer "
                        + "trusted by this MASA");
            }
        } else {
            for (String spelling : Nonce.spellings(nonce.get())) { // the same nonce re-encoded is still a replay
                if (store.nonceUsed(serial, spelling)) {
                    throw replay(serial);
                }
            }
        }

        X509Certificate pinned = policy.pin() == MasaPolicy.Pin.REGISTRAR ? verified.registrar()
                : decision.owner.orElse(verified.registrarChain().get(verified.registrarChain().size() - 1));
        OffsetDateTime now = Rfc3339.utcSeconds(clock.instant()); // whole seconds: some peers cannot parse fractions
        Voucher.Builder voucher = Voucher.builder()
                .createdOn(now)
                .assertion(decision.assertion)
                .serialNumber(serial)
                .pinnedDomainCert(encoded(pinned))
                .domainCertRevocationChecks(false);
        OffsetDateTime expiresOn = null;
        if (nonce.isPresent()) {
            voucher.nonce(nonce.get());
        } else {
            expiresOn = earliest(now.plus(policy.voucherLifetime()), verified.registrar(), pinned);
            voucher.expiresOn(expiresOn);
        }
        byte[] signed = signingKey.sign(VoucherJson.toJson(voucher.build()));
        Compat.CmsBody answer = new Compat.CmsBody(signed, false);

        AuditEvent event = new AuditEvent(serial, now, domainId(pinned), nonce.orElse(null), decision.assertion,
                expiresOn, Base64.getEncoder().encodeToString(DeviceCertificates.spkiKeyIdentifier(pinned)));
        if (!store.appendAuditEvent(event)) {
            throw replay(serial);
        }
        return new MasaResponse(BrskiMediaTypes.VOUCHER_CMS_JSON,
                policy.compat().inFormOf(verified.body(), answer, signed));
    }

    /** RFC 8995 section 5.8.2: base64 of the pinned certificate's key identifier (SKI, else SHA-1 of the key). */
    public static String domainId(X509Certificate pinned) {
        return Base64.getEncoder().encodeToString(DeviceCertificates.keyIdentifier(pinned));
    }

    /**
     * Checks Content-Type (415: a voucher-request, {@code application/voucher-cms+json}) and Accept (406: the one
     * type {@code produced}), as both MASA endpoints do.
     */
    public static void checkMediaTypes(MasaRequest request, String produced) throws MasaException {
        try {
            MediaTypes.requireContentType(request.contentType(), List.of(BrskiMediaTypes.VOUCHER_CMS_JSON));
        } catch (ServerException e) {
            throw new MasaException(Refusal.UNSUPPORTED_MEDIA_TYPE, e.problem().detail());
        }
        try {
            MediaTypes.negotiate(request.accept(), List.of(produced));
        } catch (ServerException e) {
            throw new MasaException(Refusal.NOT_ACCEPTABLE, e.problem().detail());
        }
    }

    private record Decision(Assertion assertion, Optional<X509Certificate> owner, boolean authenticated) {
    }

    private Decision decide(Device device, VerifiedRegistrarRequest verified) throws MasaException {
        Ownership ownership = device.ownership();
        switch (ownership.kind()) {
            case BOUND -> {
                Optional<X509Certificate> owner = ownerIn(ownership.ownerKeyId().orElseThrow(),
                        verified.registrarChain());
                if (owner.isEmpty()) {
                    throw new MasaException(Refusal.NOT_OWNER, "device '" + device.serialNumber()
                            + "' belongs to another domain");
                }
                return new Decision(Assertion.VERIFIED, owner, true);
            }
            case OPEN -> {
                return open(verified);
            }
            default -> {
                if (policy.defaultOwnership() == MasaPolicy.DefaultOwnership.CLOSED) {
                    throw new MasaException(Refusal.NOT_OWNER, "device '" + device.serialNumber()
                            + "' has no registered owner and this MASA issues vouchers to registered owners only");
                }
                return open(verified);
            }
        }
    }

    private Decision open(VerifiedRegistrarRequest verified) {
        Assertion assertion = policy.openAssertion() == Assertion.PROXIMITY && verified.pledgeRequest().isEmpty()
                ? Assertion.LOGGED : policy.openAssertion();
        return new Decision(assertion, Optional.empty(), verified.registrarAuthenticated());
    }

    /**
     * The certificate of the registrar's validated chain whose key is the owner's: its RFC 5280 method 1 key identifier
     * (SHA-1 of the public key) equals {@code ownerKeyId}. A subjectKeyIdentifier extension is never trusted here: its
     * issuer writes what it likes, and without registrar anchors the chain's root is the registrar's own choice.
     */
    static Optional<X509Certificate> ownerIn(byte[] ownerKeyId, List<X509Certificate> chain) {
        for (X509Certificate c : chain) {
            if (MessageDigest.isEqual(ownerKeyId, DeviceCertificates.spkiKeyIdentifier(c))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static OffsetDateTime earliest(OffsetDateTime limit, X509Certificate... certificates) {
        OffsetDateTime result = limit;
        for (X509Certificate c : certificates) {
            OffsetDateTime notAfter = c.getNotAfter().toInstant().atOffset(ZoneOffset.UTC);
            if (notAfter.isBefore(result)) {
                result = notAfter;
            }
        }
        return result;
    }

    private static byte[] encoded(X509Certificate certificate) throws MasaException {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new MasaException(Refusal.MALFORMED_REQUEST, "a registrar certificate cannot be re-encoded");
        }
    }

    private static MasaException replay(String serial) {
        return new MasaException(Refusal.NONCE_REPLAYED, "a voucher was already issued for device '" + serial
                + "' with this nonce; the pledge must send a new voucher-request");
    }
}
