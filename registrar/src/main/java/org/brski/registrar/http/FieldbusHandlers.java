package org.brski.registrar.http;

import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.brski.fieldbus.keys.KeyPackageCms;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.fieldbus.FieldbusKeyService;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The fieldbus domain key service endpoints under {@code /brski-fieldbus/v1} (our own path, issue 8 "Delivery"), for
 * controllers authenticated at TLS with their LDevID. Routed only when the service is configured.
 */
public final class FieldbusHandlers {
    private FieldbusHandlers() {
    }

    /** {@code GET /key-package}: 200 {@code application/cms}, EnvelopedData to the client's LDevID. */
    public static final class KeyPackage extends Endpoint {
        private final FieldbusKeyService service;

        public KeyPackage(FieldbusKeyService service, MeterRegistry metrics) {
            super("fieldbus-key-package", "GET", List.of(), 0, metrics);
            this.service = service;
        }

        @Override
        protected void judgePeer(List<X509Certificate> peer) throws RegistrarException {
            requireDeviceCertificate(peer);
        }

        @Override
        protected Reply respond(Exchange exchange) throws RegistrarException {
            return Reply.ok(KeyPackageCms.MEDIA_TYPE, service.keyPackage(exchange.peer()));
        }
    }

    /** {@code POST /escrow} ({@code application/cms}): 200 {@code {"stored":[serial...]}}. */
    public static final class Escrow extends Endpoint {
        private final FieldbusKeyService service;

        public Escrow(FieldbusKeyService service, MeterRegistry metrics) {
            super("fieldbus-escrow", "POST", List.of(KeyPackageCms.MEDIA_TYPE), FieldbusKeyService.MAX_ESCROW_BYTES,
                    metrics);
            this.service = service;
        }

        @Override
        protected void judgePeer(List<X509Certificate> peer) throws RegistrarException {
            requireDeviceCertificate(peer);
        }

        @Override
        protected Reply respond(Exchange exchange) throws RegistrarException {
            List<Long> stored = service.escrow(exchange.body(), exchange.peer());
            return Reply.ok("application/json", ("{\"stored\":" + stored.toString().replace(" ", "") + "}")
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** {@code POST /report} ({@code application/json}): 200 {@code {"recorded":n}}. */
    public static final class Report extends Endpoint {
        private final FieldbusKeyService service;

        public Report(FieldbusKeyService service, MeterRegistry metrics) {
            super("fieldbus-report", "POST", List.of("application/json"), FieldbusKeyService.MAX_REPORT_BYTES,
                    metrics);
            this.service = service;
        }

        @Override
        protected void judgePeer(List<X509Certificate> peer) throws RegistrarException {
            requireDeviceCertificate(peer);
        }

        @Override
        protected Reply respond(Exchange exchange) throws RegistrarException {
            int recorded = service.report(exchange.body(), exchange.peer());
            return Reply.ok("application/json", ("{\"recorded\":" + recorded + "}").getBytes(StandardCharsets.US_ASCII));
        }
    }
}
