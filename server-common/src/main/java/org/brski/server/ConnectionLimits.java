package org.brski.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how slowly an anonymous client may hold a connection of an {@link HttpsServer}: without these limits a
 * few hundred clients that send a byte every few seconds (slowloris headers, slow bodies, half a ClientHello) hold
 * every connection and request thread of a service. Immutable; {@link #defaults()} or {@link #builder()}.
 *
 * <ul>
 *   <li>{@code handshakeTimeout}: the TLS handshake must complete within this time of the connection's opening.</li>
 *   <li>{@code headerTimeout}: a request's line and headers must be complete within this time of their first byte
 *       (with Jetty's 8 KiB header limit, a minimum header data rate).</li>
 *   <li>{@code idleTimeout}: a connection on which nothing arrives for this long is closed.</li>
 *   <li>{@code bodyGrace}, {@code minBodyRate}: a body must have arrived at {@code minBodyRate} bytes per second on
 *       average once {@code bodyGrace} has passed; bodies are read without holding a request thread.</li>
 *   <li>{@code maxConnectionsPerSource}: open connections per client IP address; more are closed at once.</li>
 *   <li>{@code maxConnections}: open connections in all; the server stops accepting at this count.</li>
 * </ul>
 */
public final class ConnectionLimits {
    private static final ConnectionLimits DEFAULTS = new ConnectionLimits(new Builder());

    private final Duration handshakeTimeout;
    private final Duration headerTimeout;
    private final Duration idleTimeout;
    private final Duration bodyGrace;
    private final int minBodyRate;
    private final int maxConnectionsPerSource;
    private final int maxConnections;

    private ConnectionLimits(Builder b) {
        this.handshakeTimeout = b.handshakeTimeout;
        this.headerTimeout = b.headerTimeout;
        this.idleTimeout = b.idleTimeout;
        this.bodyGrace = b.bodyGrace;
        this.minBodyRate = b.minBodyRate;
        this.maxConnectionsPerSource = b.maxConnectionsPerSource;
        this.maxConnections = b.maxConnections;
    }

    /**
     * Handshake 10 s, headers 10 s, idle 30 s, bodies 1024 bytes/s after 10 s, 512 connections per source address
     * (generous: a join proxy or NAT gateway brings many pledges from one address, and the JDK's HTTP client keeps
     * connections open), 4096 in all.
     */
    public static ConnectionLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder().handshakeTimeout(handshakeTimeout).headerTimeout(headerTimeout).idleTimeout(idleTimeout)
                .body(bodyGrace, minBodyRate).maxConnectionsPerSource(maxConnectionsPerSource)
                .maxConnections(maxConnections);
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public Duration headerTimeout() {
        return headerTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration bodyGrace() {
        return bodyGrace;
    }

    /** Bytes per second. */
    public int minBodyRate() {
        return minBodyRate;
    }

    public int maxConnectionsPerSource() {
        return maxConnectionsPerSource;
    }

    public int maxConnections() {
        return maxConnections;
    }

    @Override
    public String toString() {
        return "ConnectionLimits[handshake " + handshakeTimeout + ", headers " + headerTimeout + ", idle " + idleTimeout
                + ", body " + minBodyRate + " B/s after " + bodyGrace + ", " + maxConnectionsPerSource
                + " per source, " + maxConnections + " in all]";
    }

    /** Collects the limits; {@link #build()} checks them. Setters refuse nothing; build names the bad value. */
    public static final class Builder {
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration bodyGrace = Duration.ofSeconds(10);
        private int minBodyRate = 1024;
        private int maxConnectionsPerSource = 512;
        private int maxConnections = 4096;

        private Builder() {
        }

        public Builder handshakeTimeout(Duration value) {
            this.handshakeTimeout = Objects.requireNonNull(value, "handshakeTimeout");
            return this;
        }

        public Builder headerTimeout(Duration value) {
            this.headerTimeout = Objects.requireNonNull(value, "headerTimeout");
            return this;
        }

        public Builder idleTimeout(Duration value) {
            this.idleTimeout = Objects.requireNonNull(value, "idleTimeout");
            return this;
        }

        /** Bodies must arrive at {@code minBytesPerSecond} on average once {@code grace} has passed. */
        public Builder body(Duration grace, int minBytesPerSecond) {
            this.bodyGrace = Objects.requireNonNull(grace, "bodyGrace");
            this.minBodyRate = minBytesPerSecond;
            return this;
        }

        public Builder maxConnectionsPerSource(int value) {
            this.maxConnectionsPerSource = value;
            return this;
        }

        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        /**
         * The limits.
         *
         * @throws ConfigException naming the first value out of range by its {@code server.limits} YAML key (timeouts
         *     100 ms to 1 h, rate 1 to 10^9 bytes/s, per-source 1 to the total, total 1 to 10^6)
         */
        public ConnectionLimits build() throws ConfigException {
            timeout(handshakeTimeout, "server.limits.handshakeTimeoutSeconds");
            timeout(headerTimeout, "server.limits.headerTimeoutSeconds");
            timeout(idleTimeout, "server.limits.idleTimeoutSeconds");
            timeout(bodyGrace, "server.limits.bodyGraceSeconds");
            if (minBodyRate < 1 || minBodyRate > 1_000_000_000) {
                throw new ConfigException("server.limits.minBodyBytesPerSecond", "must be between 1 and 1000000000 bytes per second");
            }
            if (maxConnections < 1 || maxConnections > 1_000_000) {
                throw new ConfigException("server.limits.maxConnections", "must be between 1 and 1000000");
            }
            if (maxConnectionsPerSource < 1 || maxConnectionsPerSource > maxConnections) {
                throw new ConfigException("server.limits.maxConnectionsPerSource",
                        "must be between 1 and server.limits.maxConnections (" + maxConnections + ")");
            }
            return new ConnectionLimits(this);
        }

        private static void timeout(Duration value, String key) throws ConfigException {
            if (value.compareTo(Duration.ofMillis(100)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
                throw new ConfigException(key, "must be between 100 ms and 1 hour, not " + value);
            }
        }
    }
}
