package org.brski.registrar.voucher;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.brski.pkix.DeviceCertificates;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.store.RegistrarStore;
import org.brski.server.ServerException;
import org.brski.server.config.Compat;
import org.brski.voucher.Assertion;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsVerifier;
import org.brski.voucher.cms.VerifiedContent;

/**
 * The registrar's checks of a pledge voucher-request (RFC 8995 section 5.2), apart from the rest of the voucher flow
 * so that they can be run on captured requests against the TLS certificate those pledges saw. Checks, in order: a
 * client certificate with an X520 serialNumber; the CMS signature, by the key of that certificate (compared by
 * SubjectPublicKeyInfo, so an older IDevID of the same key may sign; in every dialect); the body form and JSON root of
 * the pledge dialect; the serial-number; assertion {@code proximity} and {@code proximity-registrar-cert} equal to
 * {@code registrarCertDer} (401); a nonce; created-on within the window. Thread-safe.
 */
final class PledgeRequests {
    private final VoucherSettings settings;
    private final Compat compat;
    private final byte[] registrarCertDer;
    private final Clock clock;
    private final RegistrarStore store;

    /**
     * @param registrarCertDer the registrar's TLS server certificate, which pledges put in proximity-registrar-cert
     * @param store            asked whether an old request was held for approval (5.6) before it is called stale
     */
    PledgeRequests(VoucherSettings settings, Compat compat, byte[] registrarCertDer, Clock clock,
            RegistrarStore store) {
        this.settings = settings;
        this.compat = compat;
        this.registrarCertDer = registrarCertDer.clone();
        this.clock = clock;
        this.store = store;
    }

    /** A validated pledge voucher-request. */
    record PledgeRequest(String serial, X509Certificate idevid, List<X509Certificate> chain, byte[] der,
            VoucherRequest request, String nonce, Compat.CmsBody body) {
    }

    /**
     * Validates a pledge voucher-request (RFC 8995 section 5.2) against the pledge's TLS client certificate chain.
     *
     * @param body     the request body (DER CMS; base64 with compat nqminds)
     * @param tlsChain the pledge's TLS client certificate chain, leaf first
     */
    PledgeRequest validate(byte[] body, List<X509Certificate> tlsChain)
            throws RegistrarException {
        if (tlsChain.isEmpty()) {
            throw RegistrarException.unauthorized("client-certificate-required",
                    "a TLS client certificate (the pledge's IDevID) is required");
        }
        X509Certificate idevid = tlsChain.get(0);
        List<X509Certificate> chain = tlsChain.subList(1, tlsChain.size());
        String serial = DeviceCertificates.serialNumber(idevid).orElseThrow(() -> RegistrarException.forbidden(
                "no-serial-number", "the TLS client certificate has no subject serialNumber (not an IDevID)"));
        if (serial.isEmpty() || serial.length() > VoucherService.MAX_SERIAL) {
            throw RegistrarException.forbidden("bad-serial-number", "the IDevID serialNumber is empty or longer than "
                    + VoucherService.MAX_SERIAL + " characters");
        }
        if (body.length > settings.maxRequestBytes()) {
            throw RegistrarException.tooLarge("request body exceeds the limit of " + settings.maxRequestBytes() + " bytes");
        }
        Compat.CmsBody decoded;
        byte[] der;
        VerifiedContent cms;
        VoucherRequest request;
        try {
            decoded = compat.voucherBody(body);
            der = decoded.der();
            cms = CmsVerifier.signatureOnly().withMaxSize(settings.maxRequestBytes())
                    .withAdditionalCertificates(List.of(idevid)).verify(der);
        } catch (VoucherException e) {
            throw VoucherService.fromVoucher(e, "pledge voucher-request");
        } catch (ServerException e) {
            throw new RegistrarException(e.problem());
        }
        if (!MessageDigest.isEqual(cms.signer().getPublicKey().getEncoded(), idevid.getPublicKey().getEncoded())) {
            throw RegistrarException.forbidden("signer-mismatch", "the pledge voucher-request is not signed by the key"
                    + " of the TLS client certificate");
        }
        try {
            compat.checkRequestRoot(cms.content());
            request = compat.requestParser(settings.lenientJson()).parseVoucherRequest(cms.content());
        } catch (VoucherException e) {
            throw VoucherService.fromVoucher(e, "pledge voucher-request");
        } catch (ServerException e) {
            throw new RegistrarException(e.problem());
        }
        if (!request.serialNumber().equals(serial)) {
            throw RegistrarException.forbidden("serial-number-mismatch", "serial-number '"
                    + VoucherService.clip(request.serialNumber())
                    + "' differs from the IDevID serialNumber");
        }
        if (request.assertion().orElse(null) != Assertion.PROXIMITY) {
            throw RegistrarException.unauthorized("assertion-not-proximity",
                    "the pledge voucher-request must assert 'proximity' (RFC 8995 5.2)");
        }
        byte[] proximity = request.proximityRegistrarCert().orElseThrow(() -> RegistrarException.unauthorized(
                "proximity-registrar-cert-missing", "proximity-registrar-cert is missing (RFC 8995 5.2)"));
        if (!MessageDigest.isEqual(proximity, registrarCertDer)) {
            throw RegistrarException.unauthorized("proximity-registrar-cert-mismatch",
                    "proximity-registrar-cert is not this registrar's TLS certificate");
        }
        String nonce = request.nonce().orElseThrow(() -> RegistrarException.badRequest("nonce-missing",
                "the pledge voucher-request carries no nonce (RFC 8995 5.2)"));
        if (nonce.length() > VoucherService.MAX_NONCE) {
            throw RegistrarException.badRequest("nonce-too-long", "nonce longer than " + VoucherService.MAX_NONCE
                    + " characters");
        }
        Optional<OffsetDateTime> createdOn = request.createdOn();
        if (createdOn.isEmpty() && settings.requireCreatedOn()) {
            throw RegistrarException.badRequest("created-on-missing", "created-on is required by this registrar");
        }
        if (createdOn.isPresent()) {
            Instant created = createdOn.get().toInstant();
            Instant now = clock.instant();
            if (created.isBefore(now.minus(settings.createdOnMaxAge())) && !heldBefore(serial, der)) {
                throw RegistrarException.forbidden("stale-request", "created-on " + createdOn.get()
                        + " is older than " + settings.createdOnMaxAge().toSeconds() + " seconds");
            }
            if (created.isAfter(now.plus(settings.createdOnSkew()))) {
                throw RegistrarException.forbidden("future-request", "created-on " + createdOn.get()
                        + " lies in the future");
            }
        }
        return new PledgeRequest(serial, idevid, List.copyOf(chain), der, request, nonce, decoded);
    }

    /** RFC 8995 5.6: a pledge resends the very request it was answered 202 for, however long the approval took. */
    private boolean heldBefore(String serial, byte[] der) throws RegistrarException {
        return store.wasHeld(serial, VoucherService.sha256(der));
    }

}
