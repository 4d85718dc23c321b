package org.brski.voucher;

import org.brski.voucher.cms.CmsSigner;
import org.brski.voucher.cms.CmsVerifier;
import org.brski.voucher.cms.VerifiedContent;

/**
 * Signs and verifies vouchers and voucher-requests as {@code application/voucher-cms+json}: the JSON of
 * {@link VoucherJson} inside a CMS SignedData (RFC 8366 section 5.3, RFC 8995 section 3.1).
 * Verification always checks the signature first and parses the JSON second, so unsigned garbage never reaches the
 * JSON parser.
 */
public final class VoucherCms {
    /** The media type of a CMS-signed JSON voucher or voucher-request (RFC 8366 section 8.3). */
    public static final String MEDIA_TYPE = "application/voucher-cms+json";

    private VoucherCms() {
    }

    /** DER CMS of a signed voucher. */
    public static byte[] sign(CmsSigner signer, Voucher voucher) {
        return signer.sign(VoucherJson.toJson(voucher));
    }

    /** DER CMS of a signed voucher-request. */
    public static byte[] sign(CmsSigner signer, VoucherRequest request) {
        return signer.sign(VoucherJson.toJson(request));
    }

    /** Verifies the signature (and trust, if the verifier has anchors), then parses a voucher. */
    public static Verified<Voucher> verifyVoucher(CmsVerifier verifier, VoucherJson json, byte[] der)
            throws VoucherException {
        VerifiedContent cms = verifier.verify(der);
        return new Verified<>(json.parseVoucher(cms.content()), cms);
    }

    /** Verifies the signature (and trust, if the verifier has anchors), then parses a voucher-request. */
    public static Verified<VoucherRequest> verifyVoucherRequest(CmsVerifier verifier, VoucherJson json, byte[] der)
            throws VoucherException {
        VerifiedContent cms = verifier.verify(der);
        return new Verified<>(json.parseVoucherRequest(cms.content()), cms);
    }
}
