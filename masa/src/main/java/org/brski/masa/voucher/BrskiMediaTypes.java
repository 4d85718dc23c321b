package org.brski.masa.voucher;

/** The media types of the MASA's endpoints (RFC 8995 sections 5.5, 5.6 and 5.8.1). */
public final class BrskiMediaTypes {
    /** CMS-signed JSON voucher or voucher-request, as binary DER (RFC 8366 section 8.3). */
    public static final String VOUCHER_CMS_JSON = "application/voucher-cms+json";
    /** The audit-log response (RFC 8995 section 5.8.1). */
    public static final String JSON = "application/json";

    private BrskiMediaTypes() {
    }
}
