package org.brski.masa.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import org.brski.masa.Refusal;

/**
 * The MASA's meters: {@code brski_masa_vouchers_issued_total}, {@code brski_masa_requests_refused_total} by endpoint
 * and reason (the problem slug), {@code brski_masa_audit_logs_served_total}, and the
 * {@code brski_masa_request_duration_seconds} histogram by endpoint and outcome.
 */
public final class MasaMetrics {
    private final MeterRegistry registry;
    private final Counter issued;
    private final Counter auditLogs;

    public MasaMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.issued = Counter.builder("brski.masa.vouchers.issued").description("Vouchers issued")
                .register(registry);
        this.auditLogs = Counter.builder("brski.masa.audit.logs.served").description("Audit logs served")
                .register(registry);
    }

    void issued() {
        issued.increment();
    }

    void auditLogServed() {
        auditLogs.increment();
    }

    void refused(String endpoint, Refusal refusal) {
        Counter.builder("brski.masa.requests.refused").description("Requests refused, by reason")
                .tag("endpoint", endpoint).tag("reason", refusal.slug()).register(registry).increment();
    }

    void latency(String endpoint, boolean success, Duration duration) {
        Timer.builder("brski.masa.request.duration").description("Request processing time")
                .tag("endpoint", endpoint).tag("outcome", success ? "success" : "refused")
                .publishPercentileHistogram().register(registry).record(duration);
    }
}
