package org.brski.server.config;

import java.time.Duration;
import org.brski.server.ConfigException;
import org.brski.server.ConnectionLimits;

/**
 * The {@code server.limits} section of a service's YAML configuration: the {@link ConnectionLimits} against slow
 * clients. Absent keys take the defaults; {@link #resolve()} checks every value, naming its key. Example (the defaults):
 *
 * <pre>{@code
 * limits:
 *   handshakeTimeoutSeconds: 10     # TLS handshake complete within this time of the connection's opening
 *   headerTimeoutSeconds: 10        # request line and headers complete within this time of their first byte
 *   idleTimeoutSeconds: 30          # nothing received for this long: closed
 *   bodyGraceSeconds: 10            # then bodies must have arrived at minBodyBytesPerSecond on average
 *   minBodyBytesPerSecond: 1024
 *   maxConnectionsPerSource: 512     # open connections per client IP address
 *   maxConnections: 4096            # open connections in all
 * }</pre>
 */
public record LimitsYaml(Double handshakeTimeoutSeconds, Double headerTimeoutSeconds, Double idleTimeoutSeconds,
        Double bodyGraceSeconds, Integer minBodyBytesPerSecond, Integer maxConnectionsPerSource,
        Integer maxConnections) {

    /**
     * The limits, defaults where a key is absent.
     *
     * @throws ConfigException naming the first key out of range
     */
    public ConnectionLimits resolve() throws ConfigException {
        ConnectionLimits d = ConnectionLimits.defaults();
        return ConnectionLimits.builder()
                .handshakeTimeout(seconds(handshakeTimeoutSeconds, d.handshakeTimeout()))
                .headerTimeout(seconds(headerTimeoutSeconds, d.headerTimeout()))
                .idleTimeout(seconds(idleTimeoutSeconds, d.idleTimeout()))
                .body(seconds(bodyGraceSeconds, d.bodyGrace()),
                        minBodyBytesPerSecond != null ? minBodyBytesPerSecond : d.minBodyRate())
                .maxConnectionsPerSource(maxConnectionsPerSource != null ? maxConnectionsPerSource
                        : d.maxConnectionsPerSource())
                .maxConnections(maxConnections != null ? maxConnections : d.maxConnections())
                .build();
    }

    /** {@code limits} resolved, or the defaults when the section is absent. */
    public static ConnectionLimits resolve(LimitsYaml limits) throws ConfigException {
        return limits == null ? ConnectionLimits.defaults() : limits.resolve();
    }

    private static Duration seconds(Double value, Duration otherwise) {
        return value == null || value.isNaN() || value.isInfinite() || value > 1e7 || value < 0 ? (value == null
                ? otherwise : Duration.ZERO) : Duration.ofMillis(Math.round(value * 1000));
    }
}
