package org.brski.registrar.http;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import org.brski.registrar.RegistrarException;
import org.brski.registrar.voucher.VoucherOutcome;
import org.brski.registrar.voucher.VoucherService;
import org.brski.server.ServerException;
import org.brski.server.http.MediaTypes;
import org.brski.voucher.Problem;
import org.brski.voucher.VoucherCms;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code POST /.well-known/brski/requestvoucher} (RFC 8995 sections 5.2-5.6). With compat nqminds the empty probe POST
 * is answered 400 with a problem saying it was taken as a probe, counted as {@code status="probe"} in
 * {@code registrar_requests_total}, not as a refusal.
 */
public final class RequestVoucherHandler extends Endpoint {
    private final VoucherService vouchers;

    public RequestVoucherHandler(VoucherService vouchers, int maxBody, MeterRegistry metrics) {
        super("requestvoucher", "POST", List.of(VoucherCms.MEDIA_TYPE), maxBody, metrics);
        this.vouchers = vouchers;
    }

    @Override
    protected void judgePeer(List<X509Certificate> peer) throws RegistrarException {
        requireDeviceCertificate(peer);
    }

    @Override
    protected Reply respond(Exchange exchange) throws RegistrarException, ServerException {
        MediaTypes.negotiate(exchange.request(), List.of(VoucherCms.MEDIA_TYPE));
        VoucherOutcome outcome = vouchers.requestVoucher(exchange.body(), exchange.peer());
        if (outcome instanceof VoucherOutcome.Probe) {
            return new Reply(400, Problem.MEDIA_TYPE, Problem.of("probe", "Probe acknowledged", 400,
                    VoucherOutcome.Probe.DETAIL).toJson(), Map.of(), "probe");
        }
        if (outcome instanceof VoucherOutcome.Pending pending) {
            return new Reply(202, "application/json",
                    "{\"status\":\"pending approval\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    Map.of("Retry-After", Long.toString(Math.max(1, pending.retryAfter().toSeconds()))));
        }
        VoucherOutcome.Issued issued = (VoucherOutcome.Issued) outcome;
        return Reply.ok(issued.mediaType(), issued.voucher());
    }
}
