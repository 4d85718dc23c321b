package org.brski.voucher.cms;

/** The CMS content type object identifiers a voucher travels with (RFC 8366 section 5.3, RFC 5652). */
public final class CmsContentTypes {
    /** id-ct-animaJSONVoucher: the eContentType RFC 8366 assigns to JSON vouchers and voucher-requests. */
    public static final String ANIMA_JSON_VOUCHER = "1.2.840.113549.1.9.16.1.40";
    /** id-data: the generic eContentType that RFC 8995 Appendix C (and some peers) use instead. */
    public static final String DATA = "1.2.840.113549.1.7.1";
    /** id-signedData: the ContentInfo content type of every signed voucher. */
    public static final String SIGNED_DATA = "1.2.840.113549.1.7.2";

    private CmsContentTypes() {
    }

    /** Whether {@code oid} is an eContentType a verifier accepts for a voucher: {@link #ANIMA_JSON_VOUCHER} or {@link #DATA}. */
    public static boolean isAcceptedVoucherType(String oid) {
        return ANIMA_JSON_VOUCHER.equals(oid) || DATA.equals(oid);
    }
}
