package org.brski.registrar.masa;

import org.brski.registrar.RegistrarException;

/**
 * Posts registrar voucher-requests to a MASA (RFC 8995 sections 5.5 and 5.8) in the endpoint's dialect: the body as
 * {@link MasaEndpoint#requestBody} encodes it, the Accept header as {@link MasaEndpoint#accept} builds it. The answer
 * is returned as received; the caller decodes and verifies it. Implementations bound every wait and
 * report an unreachable, slow or failing MASA as a 503 {@link RegistrarException} with Retry-After; any HTTP answer
 * (including 4xx) is returned for the caller to judge.
 */
public interface MasaClient extends AutoCloseable {
    /** POSTs the registrar voucher-request (DER CMS) to {@code /requestvoucher}. */
    MasaResponse requestVoucher(MasaEndpoint masa, byte[] registrarVoucherRequest) throws RegistrarException;

    /** POSTs the same registrar voucher-request to {@code /requestauditlog} (RFC 8995 section 5.8). */
    MasaResponse requestAuditLog(MasaEndpoint masa, byte[] registrarVoucherRequest) throws RegistrarException;

    @Override
    void close();
}
