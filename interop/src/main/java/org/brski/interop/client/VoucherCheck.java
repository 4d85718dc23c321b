package org.brski.interop.client;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.brski.interop.InteropException;
import org.brski.pkix.CertPaths;
import org.brski.pkix.Certificates;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.PkixException;
import org.brski.voucher.Nonce;
import org.brski.voucher.Verified;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.cms.CmsContentTypes;
import org.brski.voucher.cms.CmsInput;
import org.brski.voucher.cms.CmsVerifier;

/**
 * What a pledge checks in a voucher (RFC 8995 5.6.1 and 5.6.2, RFC 8366 5.3), as findings for the report: the CMS
 * verifies and its signer chains to the manufacturer's MASA anchors, the serial-number and nonce are the pledge's,
 * {@code created-on} is present (unless the profile tolerates its absence), and the registrar's TLS certificate is
 * covered by {@code pinned-domain-cert}: equal to it (the registrar's own certificate pinned) or validating to it (the
 * domain CA pinned). Immutable result of {@link #check}.
 *
 * @param voucher    the parsed voucher
 * @param signer     the CMS signer (the MASA voucher-signing certificate)
 * @param binaryDer  whether the body was binary DER (RFC 8995 section 6) rather than text
 * @param eContentType the CMS eContentType OID
 * @param pinKind    {@code registrar certificate} or {@code domain CA} (what the pin turned out to be)
 */
public record VoucherCheck(Voucher voucher, X509Certificate signer, boolean binaryDer, String eContentType,
        String pinKind) {
    /** Largest voucher accepted. */
    public static final int MAX_VOUCHER_BYTES = 64 * 1024;

    /**
     * Runs every check.
     *
     * @param body          the response body
     * @param masaAnchors   the manufacturer trust anchors (RFC 8995 5.6.1)
     * @param serial        the pledge's serial-number
     * @param nonce         the nonce sent
     * @param registrarTls  the registrar's TLS chain, end-entity first (5.6.2)
     * @param requireCreatedOn whether a voucher without {@code created-on} is refused
     * @throws InteropException naming the first check that failed
     */
    public static VoucherCheck check(byte[] body, List<X509Certificate> masaAnchors, String serial, String nonce,
            List<X509Certificate> registrarTls, boolean requireCreatedOn, Instant now) throws InteropException {
        Verified<Voucher> verified = signedFor(body, masaAnchors, serial, requireCreatedOn, now);
        Voucher voucher = verified.artifact();
        if (voucher.nonce().isEmpty()) {
            throw new InteropException("the voucher carries no nonce although the request did");
        }
        if (!Nonce.matches(voucher.nonce().get(), nonce)) {
            throw new InteropException("the voucher's nonce is not the nonce sent");
        }
        String pinKind = pinKind(voucher.pinnedDomainCert(), registrarTls, now);
        boolean binary = body.length > 0 && body[0] == 0x30;
        return new VoucherCheck(voucher, verified.cms().signer(), binary, verified.cms().contentType(), pinKind);
    }

    /**
     * The first checks only: the body is a CMS-signed voucher whose signer chains to the MASA anchors, for this
     * serial-number. What a positive control needs to show that the endpoint answered a valid request with a real
     * voucher (nonce, pin and the other leaves are judged by their own cases).
     *
     * @throws InteropException naming the check that failed
     */
    public static Verified<Voucher> signedFor(byte[] body, List<X509Certificate> masaAnchors, String serial,
            boolean requireCreatedOn, Instant now) throws InteropException {
        Verified<Voucher> verified;
        try {
            verified = VoucherCms.verifyVoucher(CmsVerifier.trusting(masaAnchors).at(now)
                    .withMaxSize(MAX_VOUCHER_BYTES), requireCreatedOn ? VoucherJson.strict() : VoucherJson.lenient(),
                    CmsInput.decode(body));
        } catch (VoucherException e) {
            throw new InteropException("voucher refused: " + e.getMessage(), e);
        }
        if (!verified.artifact().serialNumber().equals(serial)) {
            throw new InteropException("voucher serial-number '" + verified.artifact().serialNumber() + "' is not '"
                    + serial + "'");
        }
        return verified;
    }

    /**
     * How {@code pinned-domain-cert} covers the registrar (RFC 8995 5.6.2): {@code registrar certificate} when equal,
     * {@code domain CA} when the registrar's chain validates to it.
     *
     * @throws InteropException when it covers neither way
     */
    public static String pinKind(byte[] pinned, List<X509Certificate> registrarTls, Instant now)
            throws InteropException {
        X509Certificate registrar = registrarTls.get(0);
        if (MessageDigest.isEqual(pinned, Artifacts.der(registrar))) {
            return "registrar certificate";
        }
        X509Certificate pin;
        try {
            pin = Certificates.fromDer(pinned);
        } catch (PkixException e) {
            throw new InteropException("pinned-domain-cert is not a DER certificate: " + e.getMessage(), e);
        }
        try {
            CertPaths.validate(registrar, registrarTls.subList(1, registrarTls.size()), List.of(pin), now);
        } catch (PkixException e) {
            throw new InteropException("the registrar's TLS certificate '" + DeviceCertificates.displayName(
                    registrar.getSubjectX500Principal()) + "' is neither the pinned-domain-cert nor validates to it: "
                    + e.getMessage(), e);
        }
        return "domain CA";
    }

    /** One line for the report. */
    public String summary() {
        return "voucher " + (binaryDer ? "binary DER" : "text-encoded") + ", eContentType "
                + (CmsContentTypes.ANIMA_JSON_VOUCHER.equals(eContentType) ? "id-ct-animaJSONVoucher" : eContentType)
                + ", signed by '" + DeviceCertificates.displayName(signer.getSubjectX500Principal())
                + "', assertion " + voucher.assertion() + ", created-on "
                + voucher.createdOn().map(Object::toString).orElse("absent") + ", pins the " + pinKind;
    }
}
