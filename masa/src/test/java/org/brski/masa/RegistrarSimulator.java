package org.brski.masa;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.brski.pki.HeldCertificate;
import org.brski.voucher.Assertion;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsSigner;

/**
 * Builds voucher-requests the way a pledge and a registrar would (RFC 8995 sections 5.2 and 5.5): the pledge signs
 * its request with its IDevID, naming the registrar's TLS certificate; the registrar wraps it, signs with its
 * id-kp-cmcRA certificate and embeds its chain up to the domain CA.
 */
public final class RegistrarSimulator {
    private RegistrarSimulator() {
    }

    /** A fresh random nonce, base64url without padding as field pledges send it. */
    public static String nonce() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The pledge voucher-request JSON. */
    public static byte[] pvrJson(String serial, String nonce, X509Certificate proximity) {
        VoucherRequest.Builder b = VoucherRequest.builder().assertion(Assertion.PROXIMITY).serialNumber(serial)
                .createdOn(OffsetDateTime.now(ZoneOffset.UTC)).proximityRegistrarCert(der(proximity));
        if (nonce != null) {
            b.nonce(nonce);
        }
        return VoucherJson.toJson(b.build());
    }

    /** A pledge voucher-request signed by {@code pledge}'s IDevID. */
    public static byte[] pvr(HeldCertificate pledge, String serial, String nonce, X509Certificate proximity) {
        return sign(pledge, List.of(), pvrJson(serial, nonce, proximity));
    }

    /** The registrar voucher-request JSON. */
    public static byte[] rvrJson(String serial, String nonce, byte[] pvr, OffsetDateTime createdOn) {
        VoucherRequest.Builder b = VoucherRequest.builder().serialNumber(serial);
        if (createdOn != null) {
            b.createdOn(createdOn);
        }
        if (nonce != null) {
            b.nonce(nonce);
        }
        if (pvr != null) {
            b.priorSignedVoucherRequest(pvr);
        }
        return VoucherJson.toJson(b.build());
    }

    /** A registrar voucher-request signed by {@code registrar}, embedding {@code chain}. */
    public static byte[] rvr(HeldCertificate registrar, List<X509Certificate> chain, String serial, String nonce,
            byte[] pvr, OffsetDateTime createdOn) {
        return sign(registrar, chain, rvrJson(serial, nonce, pvr, createdOn));
    }

    /** The usual pair with an {@code idevid-issuer} leaf (RFC 8995 5.5) holding {@code issuer}. */
    public static byte[] withIdevidIssuer(HeldCertificate pledge, HeldCertificate registrar, String nonce,
            byte[] issuer) {
        String serial = org.brski.pkix.DeviceCertificates.serialNumber(pledge.certificate()).orElseThrow();
        byte[] pvr = pvr(pledge, serial, nonce, registrar.certificate());
        VoucherRequest rvr = VoucherRequest.builder().serialNumber(serial).nonce(nonce).priorSignedVoucherRequest(pvr)
                .createdOn(OffsetDateTime.now(ZoneOffset.UTC)).idevidIssuer(issuer).build();
        return sign(registrar, registrar.issuerChain(), VoucherJson.toJson(rvr));
    }

    /** The usual pair: pledge asks with {@code nonce}, the registrar (chain up to its CA) forwards it now. */
    public static byte[] standard(HeldCertificate pledge, HeldCertificate registrar, String nonce) {
        String serial = org.brski.pkix.DeviceCertificates.serialNumber(pledge.certificate()).orElseThrow();
        byte[] pvr = pvr(pledge, serial, nonce, registrar.certificate());
        return rvr(registrar, registrar.issuerChain(), serial, nonce, pvr, OffsetDateTime.now(ZoneOffset.UTC));
    }

    /** Signs {@code content} as CMS with {@code signer}, embedding {@code chain} after its certificate. */
    public static byte[] sign(HeldCertificate signer, List<X509Certificate> chain, byte[] content) {
        return CmsSigner.of(signer.privateKey(), signer.certificate(), chain).sign(content);
    }

    public static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
