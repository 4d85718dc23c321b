/**
 * CMS signing and verification of vouchers and voucher-requests.
 *
 * <p>A voucher (RFC 8366 section 5.3) and a BRSKI voucher-request (RFC 8995 sections 3 and 5.2, 5.5) travel as a CMS
 * SignedData (RFC 5652) with the JSON encapsulated, media type {@code application/voucher-cms+json}.
 * {@link org.brski.voucher.cms.CmsSigner} emits eContentType id-ct-animaJSONVoucher (1.2.840.113549.1.9.16.1.40) by
 * default; {@link org.brski.voucher.cms.CmsVerifier} accepts it and id-data (1.2.840.113549.1.7.1), which the RFC 8995
 * Appendix C examples use. {@link org.brski.voucher.cms.CmsInput} turns DER, base64 (EST, RFC 8951) and PEM bodies into
 * DER; {@link org.brski.voucher.cms.CmsInspector} describes a message without judging it.
 *
 * <p>Failures are {@link org.brski.voucher.VoucherException}s whose reason names the failed check. All cryptography
 * uses the shared Bouncy Castle provider instance ({@link org.brski.pkix.Crypto#provider()}), never a global one.
 */
package org.brski.voucher.cms;
