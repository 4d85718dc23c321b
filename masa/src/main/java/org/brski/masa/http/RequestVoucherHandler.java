package org.brski.masa.http;

import org.brski.masa.MasaException;
import org.brski.masa.voucher.MasaRequest;
import org.brski.masa.voucher.MasaResponse;
import org.brski.masa.voucher.VoucherIssuer;

/** {@code POST /.well-known/brski/requestvoucher} (RFC 8995 section 5.5): delegates to {@link VoucherIssuer}. */
public final class RequestVoucherHandler extends MasaEndpoint {
    /** The path of this endpoint. */
    public static final String PATH = "/.well-known/brski/requestvoucher";

    private final VoucherIssuer issuer;

    public RequestVoucherHandler(VoucherIssuer issuer, int maxBodyBytes, MasaMetrics metrics) {
        super("requestvoucher", maxBodyBytes, metrics);
        this.issuer = issuer;
    }

    @Override
    MasaResponse process(MasaRequest request) throws MasaException {
        return issuer.requestVoucher(request);
    }

    @Override
    void succeeded(MasaMetrics metrics) {
        metrics.issued();
    }
}
