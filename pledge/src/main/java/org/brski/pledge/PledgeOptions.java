package org.brski.pledge;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.brski.pkix.Crypto;

/**
 * How a {@link Pledge} behaves: time bounds, retry policy, clock, key choices and progress reporting. Immutable; build
 * with {@link #builder()}. {@link #defaults()} suits a real device: every network wait is bounded, 202 answers are
 * retried with the Retry-After capped at 60 seconds (RFC 8995 section 5.6), and a list of registrars is worked through
 * with independent exponential back-off capped at one hour (section 4.1).
 */
public final class PledgeOptions {
    /** RFC 8995 section 5.6: "the pledge MUST limit the Retry-After time to 60 seconds". */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
    /** RFC 8995 section 4.1: back-off "to a maximum of one hour". */
    public static final Duration MAX_BACKOFF = Duration.ofHours(1);

    /** Waits; the default is {@link Thread#sleep(long)}. Tests substitute a recorder so that nothing really waits. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** The key type of a new LDevID. */
    public enum LdevidKey {
        /** The IDevID's key type (curve or RSA size): the type the device is known to handle. */
        SAME_AS_IDEVID,
        EC_P256,
        EC_P384,
        RSA_2048,
        RSA_3072
    }

    private static final PledgeOptions DEFAULTS = builder().build();

    private final Duration connectTimeout;
    private final Duration exchangeTimeout;
    private final int maxResponseBytes;
    private final int maxPendingRetries;
    private final Duration retryAfterCap;
    private final int attemptsPerRegistrar;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Boolean acceptNoncelessVouchers;
    private final Duration maxClockSkew;
    private final LdevidKey ldevidKey;
    private final boolean rekeyOnReenroll;
    private final Clock clock;
    private final boolean trustedClock;
    private final Sleeper sleeper;
    private final PledgeListener listener;
    private final SecureRandom random;
    private final Dialect dialect;

    private PledgeOptions(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.exchangeTimeout = b.exchangeTimeout;
        this.maxResponseBytes = b.maxResponseBytes;
        this.maxPendingRetries = b.maxPendingRetries;
        this.retryAfterCap = b.retryAfterCap;
        this.attemptsPerRegistrar = b.attemptsPerRegistrar;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.acceptNoncelessVouchers = b.acceptNoncelessVouchers;
        this.maxClockSkew = b.maxClockSkew;
        this.ldevidKey = b.ldevidKey;
        this.rekeyOnReenroll = b.rekeyOnReenroll;
        this.clock = b.clock;
        this.trustedClock = b.trustedClock;
        this.sleeper = b.sleeper;
        this.listener = b.listener;
        this.random = b.random != null ? b.random : Crypto.newSecureRandom();
        this.dialect = b.dialect;
    }

    /** The defaults (see the builder's methods). */
    public static PledgeOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.connectTimeout = connectTimeout;
        b.exchangeTimeout = exchangeTimeout;
        b.maxResponseBytes = maxResponseBytes;
        b.maxPendingRetries = maxPendingRetries;
        b.retryAfterCap = retryAfterCap;
        b.attemptsPerRegistrar = attemptsPerRegistrar;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.acceptNoncelessVouchers = acceptNoncelessVouchers;
        b.maxClockSkew = maxClockSkew;
        b.ldevidKey = ldevidKey;
        b.rekeyOnReenroll = rekeyOnReenroll;
        b.clock = clock;
        b.trustedClock = trustedClock;
        b.sleeper = sleeper;
        b.listener = listener;
        b.random = random;
        b.dialect = dialect;
        return b;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The bound on one HTTP exchange, from sending the request to the last byte of the response. */
    public Duration exchangeTimeout() {
        return exchangeTimeout;
    }

    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    public int maxPendingRetries() {
        return maxPendingRetries;
    }

    public Duration retryAfterCap() {
        return retryAfterCap;
    }

    public int attemptsPerRegistrar() {
        return attemptsPerRegistrar;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * Whether a nonceless voucher is acceptable: as set, or by default only with a trusted clock, since without one
     * its {@code expires-on} cannot be checked and an old voucher could be replayed (RFC 8995 2.6.1, 7.2).
     */
    public boolean acceptNoncelessVouchers() {
        return acceptNoncelessVouchers != null ? acceptNoncelessVouchers : trustedClock;
    }

    public Duration maxClockSkew() {
        return maxClockSkew;
    }

    public LdevidKey ldevidKey() {
        return ldevidKey;
    }

    public boolean rekeyOnReenroll() {
        return rekeyOnReenroll;
    }

    public Clock clock() {
        return clock;
    }

    /** Whether the pledge trusts its clock for its trust decisions (RFC 8995 2.6.1); see the builder's method. */
    public boolean trustedClock() {
        return trustedClock;
    }

    /**
     * The time every trust decision is made at: {@link TrustTime#of(Clock) the clock} when it is trusted, else
     * {@link TrustTime#untrusted()}.
     */
    public TrustTime trustTime() {
        return trustedClock ? TrustTime.of(clock) : TrustTime.untrusted();
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    public PledgeListener listener() {
        return listener;
    }

    /** The random source for nonces and keys (thread-safe, shared). */
    public SecureRandom random() {
        return random;
    }

    /** The registrar dialect: {@link Dialect#RFC8995} unless set (see {@link Builder#dialect}). */
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String toString() {
        return "PledgeOptions[connect " + connectTimeout + ", exchange " + exchangeTimeout + ", max " + maxResponseBytes
                + " bytes, 202 retries " + maxPendingRetries + " (cap " + retryAfterCap + "), attempts/registrar "
                + attemptsPerRegistrar + ", back-off " + initialBackoff + ".." + maxBackoff + ", nonceless "
                + acceptNoncelessVouchers() + (trustedClock ? "" : ", no trusted clock") + ", LDevID " + ldevidKey
                + (dialect == Dialect.RFC8995 ? "" : ", dialect " + dialect) + "]";
    }

    /** Collects options; every setter validates its argument. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration exchangeTimeout = Duration.ofSeconds(30);
        private int maxResponseBytes = 256 * 1024;
        private int maxPendingRetries = 10;
        private Duration retryAfterCap = MAX_RETRY_AFTER;
        private int attemptsPerRegistrar = 3;
        private Duration initialBackoff = Duration.ofSeconds(5);
        private Duration maxBackoff = MAX_BACKOFF;
        private Boolean acceptNoncelessVouchers;
        private Duration maxClockSkew = Duration.ofMinutes(10);
        private LdevidKey ldevidKey = LdevidKey.SAME_AS_IDEVID;
        private boolean rekeyOnReenroll = true;
        private Clock clock = Clock.systemUTC();
        private boolean trustedClock = true;
        private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        private PledgeListener listener = PledgeListener.NONE;
        private SecureRandom random;
        private Dialect dialect = Dialect.RFC8995;

        private Builder() {
        }

        /** TCP connect bound (default 10 s). */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        /**
         * Bound on each HTTP exchange including the TLS handshake and the whole response body (default 30 s): a
         * registrar that hangs cannot stall the pledge for longer (RFC 8995 5.1 "Slowloris").
         */
        public Builder exchangeTimeout(Duration value) {
            this.exchangeTimeout = positive(value, "exchangeTimeout");
            return this;
        }

        /** Largest response body accepted (default 256 KiB); larger answers fail with RESPONSE_TOO_LARGE. */
        public Builder maxResponseBytes(int value) {
            if (value < 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1024: " + value);
            }
            this.maxResponseBytes = value;
            return this;
        }

        /** How many times a 202 answer is retried before giving up (default 10; 0 = never wait). */
        public Builder maxPendingRetries(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxPendingRetries must be >= 0: " + value);
            }
            this.maxPendingRetries = value;
            return this;
        }

        /** Upper bound on any Retry-After wait, at most (and by default) 60 seconds (RFC 8995 5.6). */
        public Builder retryAfterCap(Duration value) {
            positive(value, "retryAfterCap");
            if (value.compareTo(MAX_RETRY_AFTER) > 0) {
                throw new IllegalArgumentException("retryAfterCap must not exceed 60 s (RFC 8995 5.6): " + value);
            }
            this.retryAfterCap = value;
            return this;
        }

        /** Attempts per registrar when onboarding from a list (default 3). */
        public Builder attemptsPerRegistrar(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("attemptsPerRegistrar must be >= 1: " + value);
            }
            this.attemptsPerRegistrar = value;
            return this;
        }

        /** First back-off after a failed attempt with one registrar (default 5 s), doubled per failure. */
        public Builder initialBackoff(Duration value) {
            this.initialBackoff = positive(value, "initialBackoff");
            return this;
        }

        /** Cap of the per-registrar back-off (default and at most one hour, RFC 8995 4.1). */
        public Builder maxBackoff(Duration value) {
            positive(value, "maxBackoff");
            if (value.compareTo(MAX_BACKOFF) > 0) {
                throw new IllegalArgumentException("maxBackoff must not exceed one hour (RFC 8995 4.1): " + value);
            }
            this.maxBackoff = value;
            return this;
        }

        /**
         * Whether a voucher without nonce (then it must carry a future {@code expires-on}) is acceptable; local policy
         * per RFC 8995 5.6.1 and 7.2 (default: true with a trusted clock, false without one).
         */
        public Builder acceptNoncelessVouchers(boolean value) {
            this.acceptNoncelessVouchers = value;
            return this;
        }

        /** How far in the future a voucher's created-on may be before it is refused (default 10 minutes). */
        public Builder maxClockSkew(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("maxClockSkew must be >= 0: " + value);
            }
            this.maxClockSkew = value;
            return this;
        }

        /** The LDevID key type (default: the IDevID's). */
        public Builder ldevidKey(LdevidKey value) {
            this.ldevidKey = Objects.requireNonNull(value, "ldevidKey");
            return this;
        }

        /** Whether re-enrollment generates a new key (default true) or certifies the current one again. */
        public Builder rekeyOnReenroll(boolean value) {
            this.rekeyOnReenroll = value;
            return this;
        }

        /**
         * The clock for created-on, validity checks and back-off (default: system UTC). With
         * {@link #trustedClock(boolean) trustedClock(false)} it still times back-off and the CMS signingTime, but
         * decides nothing.
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Whether the device has a real-time clock it has confidence in (default true). RFC 8995 section 2.6.1: "A
         * pledge with a real-time clock in which it has confidence MUST check the above time fields"; one that "does
         * not know the current time" MAY ignore them. With {@code false} (e.g. a device that boots with a 1970 clock):
         * <ul>
         *   <li>the pledge voucher-request omits {@code created-on} (5.2 makes it optional for such pledges);</li>
         *   <li>the voucher's {@code created-on} and {@code expires-on} are not judged; the nonce MUST still match and
         *       is then what makes the voucher fresh;</li>
         *   <li>a nonceless voucher is refused unless {@link #acceptNoncelessVouchers(boolean)
         *       acceptNoncelessVouchers(true)} is set explicitly, because its {@code expires-on} cannot be checked:
         *       such a voucher may be old or replayed;</li>
         *   <li>every certificate path (MASA signer, registrar against the pin, {@code /cacerts}, the LDevID, the
         *       registrar at re-enrollment) is validated with {@link org.brski.pkix.CertPaths#validateAtSomeTime}:
         *       signatures and path rules hold at an instant when the whole path was valid, but an expired
         *       certificate is not refused.</li>
         * </ul>
         */
        public Builder trustedClock(boolean value) {
            this.trustedClock = value;
            return this;
        }

        /** How the pledge waits for Retry-After and back-off (default: {@link Thread#sleep(long)}). */
        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value, "sleeper");
            return this;
        }

        /** Receives progress events (default: none). */
        public Builder listener(PledgeListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /** Random source for nonces and keys (default: a new {@link SecureRandom}). */
        public Builder random(SecureRandom value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /**
         * The registrar dialect (default {@link Dialect#RFC8995}): {@link Dialect#NQMINDS} to onboard with an nqminds
         * brski registrar, which refuses RFC 8995's encodings; never the default, and never guessed.
         */
        public Builder dialect(Dialect value) {
            this.dialect = Objects.requireNonNull(value, "dialect");
            return this;
        }

        public PledgeOptions build() {
            return new PledgeOptions(this);
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}
