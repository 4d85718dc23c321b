package org.brski.voucher;

import java.time.OffsetDateTime;

/**
 * The leaves a voucher and a voucher-request share (the {@code ietf-voucher} grouping that {@code
 * ietf-voucher-request} reuses, RFC 8995 section 3.4), so that {@link VoucherJson} reads them in one place.
 *
 * @param <B> the builder type
 */
interface CommonLeaves<B extends CommonLeaves<B>> {
    B createdOn(OffsetDateTime value);

    B expiresOn(OffsetDateTime value);

    B assertion(Assertion value);

    B serialNumber(String value);

    B idevidIssuer(byte[] value);

    B nonce(String value);

    B unknownLeaf(String name, String rawJson);
}
