package org.brski.pledge;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.brski.pkix.Certificates;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.PkixException;
import org.brski.pledge.PledgeException.Reason;
import org.brski.pledge.http.HttpReply;
import org.brski.voucher.Nonce;
import org.brski.voucher.Verified;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.cms.CmsInput;
import org.brski.voucher.cms.CmsVerifier;
import org.brski.voucher.cms.VerifiedContent;

/**
 * The pledge's voucher checks, RFC 8995 section 5.6.1 and RFC 8366 section 5.3: the CMS signature must verify and its
 * signer chain to a manufacturer-installed MASA trust anchor; the serial-number must be the pledge's; the nonce, when
 * present, must be the one sent (compared in constant time, as an opaque string); a nonceless voucher must carry an
 * {@code expires-on} still in the future and be allowed by local policy (section 7.2); {@code created-on} must not
 * lie in the future beyond the allowed skew; {@code idevid-issuer}, when present, must name the IDevID's issuer; and
 * {@code pinned-domain-cert} must be a certificate. Unknown leaves are ignored (5.6.1: "MUST be prepared to ignore
 * additional fields"). The form of the answer and the mandatory leaves are judged per {@link Dialect}: RFC 8995 and
 * RFC 8366 as written, or what nqminds brski sends.
 *
 * <p>Time comes from {@link PledgeOptions#trustTime()}: without a trusted clock (RFC 8995 2.6.1) {@code created-on}
 * and {@code expires-on} are not judged, the signer path is validated at an instant it was valid, and the nonce is
 * what makes the voucher fresh; a nonceless voucher is then accepted only if local policy allows it, with a warning
 * that its expiry could not be checked.
 */
final class VoucherValidation {
    /** A voucher that passed every check, with its pinned certificate decoded. */
    record Checked(byte[] der, Verified<Voucher> verified, X509Certificate pinnedDomainCert) {
        Voucher voucher() {
            return verified.artifact();
        }
    }

    private final List<X509Certificate> masaAnchors;
    private final X509Certificate idevid;
    private final String serialNumber;
    private final PledgeOptions options;

    VoucherValidation(List<X509Certificate> masaAnchors, X509Certificate idevid, String serialNumber,
            PledgeOptions options) {
        this.masaAnchors = List.copyOf(masaAnchors);
        this.idevid = idevid;
        this.serialNumber = serialNumber;
        this.options = options;
    }

    /**
     * Runs every check on a 200 voucher answer: its form as {@link PledgeOptions#dialect()} accepts it (media type,
     * binary or base64, nqminds' empty refusal), then {@link #check(byte[], String)}.
     *
     * @param nonce the nonce of the voucher-request this voucher answers
     */
    Checked check(HttpReply reply, String nonce) throws PledgeException {
        options.dialect().checkVoucherAnswer(reply);
        return check(reply.body(), nonce);
    }

    /**
     * Runs every check on a voucher response body.
     *
     * @param nonce the nonce of the voucher-request this voucher answers
     */
    Checked check(byte[] body, String nonce) throws PledgeException {
        TrustTime time = options.trustTime();
        byte[] der;
        Verified<Voucher> verified;
        try {
            der = CmsInput.decode(body);
            // The signature, then the signer's path at the pledge's TrustTime, then the JSON: the order of
            // CmsVerifier.trusting, so an untrusted voucher is reported as untrusted whatever its content.
            VerifiedContent cms = CmsVerifier.signatureOnly().withMaxSize(options.maxResponseBytes()).verify(der);
            checkSigner(cms, time);
            verified = new Verified<>(VoucherJson.lenient().parseVoucher(cms.content()), cms);
        } catch (VoucherException e) {
            throw new PledgeException(Step.VERIFY_VOUCHER, map(e.reason()), "voucher refused: " + e.getMessage(), e);
        }
        Voucher voucher = verified.artifact();
        options.dialect().checkVoucherLeaves(voucher);

        if (!voucher.serialNumber().equals(serialNumber)) {
            throw new PledgeException(Step.VERIFY_VOUCHER, Reason.VOUCHER_SERIAL_MISMATCH, "the voucher is for "
                    + "serial-number '" + voucher.serialNumber() + "', this pledge is '" + serialNumber + "'");
        }
        Optional<byte[]> issuer = voucher.idevidIssuer();
        Optional<byte[]> ours = DeviceCertificates.authorityKeyIdentifier(idevid);
        if (issuer.isPresent() && ours.isPresent() && !MessageDigest.isEqual(issuer.get(), ours.get())) {
            throw new PledgeException(Step.VERIFY_VOUCHER, Reason.VOUCHER_SERIAL_MISMATCH,
                    "the voucher's idevid-issuer is not the issuer of this pledge's IDevID");
        }
        if (voucher.nonce().isPresent()) {
            if (!Nonce.matches(voucher.nonce().get(), nonce)) {
                throw new PledgeException(Step.VERIFY_VOUCHER, Reason.VOUCHER_NONCE_MISMATCH,
                        "the voucher's nonce is not the nonce of this pledge's voucher-request");
            }
        } else {
            if (!options.acceptNoncelessVouchers()) {
                throw new PledgeException(Step.VERIFY_VOUCHER, Reason.VOUCHER_NONCE_MISMATCH,
                        "the voucher carries no nonce and local policy refuses nonceless vouchers (RFC 8995 7.2)"
                                + (time.isTrusted() ? "" : "; without a trusted clock its expires-on could not be "
                                        + "checked either"));
            }
            if (voucher.expiresOn().isEmpty()) {
                throw new PledgeException(Step.VERIFY_VOUCHER, Reason.VOUCHER_INVALID,
                        "the voucher carries neither nonce nor expires-on: nothing makes it fresh (RFC 8366 5.3)");
            }
            if (!time.isTrusted()) {
                options.listener().event(Step.VERIFY_VOUCHER, PledgeListener.Outcome.WARNING, "nonceless voucher "
                        + "accepted by local policy without a trusted clock: its expires-on "
                        + voucher.expiresOn().get() + " was not checked, so it may be old or replayed"
                        + " (RFC 8995 2.6.1, 7.2)");
            }
        }
        Optional<OffsetDateTime> expires = voucher.expiresOn();
        Optional<OffsetDateTime> created = voucher.createdOn();
        Optional<Instant> known = time.now(); // empty without a trusted clock: these dates are not judged (2.6.1)
        if (known.isPresent()) {
            Instant now = known.get();
            if (expires.isPresent() && now.isAfter(expires.get().toInstant())) {
                throw new PledgeException(Step.VERIFY_VOUCHER, Reason.VOUCHER_EXPIRED,
                        "the voucher expired on " + expires.get() + " (now " + now + ")");
            }
            if (created.isPresent() && created.get().toInstant().isAfter(now.plus(options.maxClockSkew()))) {
                throw new PledgeException(Step.VERIFY_VOUCHER, Reason.VOUCHER_INVALID,
                        "the voucher was created in the future (" + created.get() + ", now " + now + ")");
            }
        }
        if (created.isPresent() && expires.isPresent() && expires.get().isBefore(created.get())) {
            throw new PledgeException(Step.VERIFY_VOUCHER, Reason.VOUCHER_INVALID,
                    "the voucher expires (" + expires.get() + ") before it was created (" + created.get() + ")");
        }
        X509Certificate pin = certificate(voucher.pinnedDomainCert());
        return new Checked(der, verified, pin);
    }

    /**
     * RFC 8995 5.6.1: the signer must validate to a MASA anchor, intermediates taken from the CMS. Candidates are the
     * certificate the signature verified with, then other embedded certificates with the same key (as
     * {@link CmsVerifier#trusting} tries them); the first that validates is the signer.
     */
    private void checkSigner(VerifiedContent cms, TrustTime time) throws VoucherException {
        List<X509Certificate> candidates = new ArrayList<>();
        candidates.add(cms.signer());
        for (X509Certificate certificate : cms.certificates()) {
            if (!certificate.equals(cms.signer()) && DomainTrust.sameKey(certificate.getPublicKey(),
                    cms.signer().getPublicKey())) {
                candidates.add(certificate);
            }
        }
        PkixException first = null;
        for (X509Certificate candidate : candidates) {
            try {
                time.validate(candidate, cms.certificates(), masaAnchors);
                return;
            } catch (PkixException e) {
                first = first == null ? e : first;
            }
        }
        throw new VoucherException(VoucherException.Reason.UNTRUSTED_SIGNER, "CMS signer '"
                + DeviceCertificates.displayName(cms.signer().getSubjectX500Principal()) + "' is not trusted "
                + time.now().map(now -> "at " + now).orElse("(no trusted clock)") + ": " + first.getMessage(), first);
    }

    /** Decodes the pinned-domain-cert (base64 DER in the JSON; RFC 8366 forbids PEM there). */
    static X509Certificate certificate(byte[] der) throws PledgeException {
        try {
            return Certificates.fromDer(der);
        } catch (PkixException e) {
            throw new PledgeException(Step.VERIFY_VOUCHER, Reason.VOUCHER_INVALID,
                    "the voucher's pinned-domain-cert: " + e.getMessage(), e);
        }
    }

    private static Reason map(VoucherException.Reason reason) {
        return switch (reason) {
            case TOO_LARGE -> Reason.RESPONSE_TOO_LARGE;
            case MALFORMED_CMS, DETACHED_CONTENT, UNSUPPORTED_CONTENT_TYPE, NO_SIGNER, MULTIPLE_SIGNERS ->
                    Reason.MALFORMED_RESPONSE;
            case SIGNER_CERTIFICATE_MISSING, SIGNED_ATTRIBUTES_MISMATCH, BAD_SIGNATURE, UNTRUSTED_SIGNER ->
                    Reason.VOUCHER_UNTRUSTED;
            case MALFORMED_JSON, WRONG_ROOT, UNKNOWN_LEAF, MISSING_LEAF, INVALID_LEAF -> Reason.VOUCHER_INVALID;
        };
    }

    @Override
    public String toString() {
        return "VoucherValidation[" + serialNumber + ", " + masaAnchors.size() + " MASA anchor(s), "
                + DeviceCertificates.displayName(idevid.getIssuerX500Principal()) + "]";
    }
}
