package org.brski.registrar.http;

import java.security.cert.X509Certificate;
import java.util.List;

import org.brski.registrar.RegistrarException;
import org.brski.registrar.voucher.TelemetryService;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code POST /.well-known/brski/voucher_status} (RFC 8995 5.7) and {@code POST /.well-known/brski/enrollstatus}
 * (5.9.4): JSON telemetry stored for the device; answered 200 with an empty JSON object.
 */
public final class StatusHandler extends Endpoint {
    private final TelemetryService telemetry;
    private final boolean enroll;

    private StatusHandler(String name, TelemetryService telemetry, boolean enroll, MeterRegistry metrics) {
        super(name, "POST", List.of("application/json"), TelemetryService.MAX_BYTES, metrics);
        this.telemetry = telemetry;
        this.enroll = enroll;
    }

    public static StatusHandler voucherStatus(TelemetryService telemetry, MeterRegistry metrics) {
        return new StatusHandler("voucher_status", telemetry, false, metrics);
    }

    public static StatusHandler enrollStatus(TelemetryService telemetry, MeterRegistry metrics) {
        return new StatusHandler("enrollstatus", telemetry, true, metrics);
    }

    @Override
    protected void judgePeer(List<X509Certificate> peer) throws RegistrarException {
        requireDeviceCertificate(peer);
    }

    @Override
    protected Reply respond(Exchange exchange) throws RegistrarException {
        if (enroll) {
            telemetry.enrollStatus(exchange.body(), exchange.peer());
        } else {
            telemetry.voucherStatus(exchange.body(), exchange.peer());
        }
        return Reply.ok("application/json", "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
