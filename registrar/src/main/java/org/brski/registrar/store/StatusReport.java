package org.brski.registrar.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A pledge's status telemetry: voucher status (RFC 8995 section 5.7) or enrollment status (section 5.9.4).
 *
 * @param version          the report's version (1 is the only one defined)
 * @param status           whether the voucher or enrollment succeeded
 * @param reason           the pledge's reason text, if any
 * @param json             the report as received (bounded), for operators
 * @param receivedAt       when it arrived
 * @param clientCertMatched whether it came over TLS with the device's IDevID or an LDevID issued here (5.9.4)
 */
public record StatusReport(int version, boolean status, Optional<String> reason, String json, Instant receivedAt,
        boolean clientCertMatched) {
    public StatusReport {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
