/**
 * The MASA's transport-free core (RFC 8995 sections 5.5-5.6): {@link org.brski.masa.voucher.RegistrarRequestVerifier}
 * checks registrar and pledge voucher-requests, {@link org.brski.masa.voucher.VoucherIssuer} applies the
 * {@link org.brski.masa.voucher.MasaPolicy}, signs with a {@link org.brski.masa.voucher.VoucherSigningKey} and writes
 * the audit log before answering. Values in, values out; no HTTP types.
 */
package org.brski.masa.voucher;
