package org.brski.masa.voucher;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.brski.server.config.Compat;
import org.brski.voucher.Assertion;

/**
 * The MASA's decisions, configured once at start. Immutable; build with {@link #builder()}.
 *
 * <ul>
 *   <li>{@code manufacturerAnchors}: the CAs that issue this manufacturer's IDevIDs (mandatory).</li>
 *   <li>{@code registrarAnchors}: when not empty, registrar voucher-request signers must chain to one of them; when
 *       empty any registrar whose chain the request carries is accepted (RFC 8995 section 5.5.2) but still needs
 *       id-kp-cmcRA (section 5.5.4).</li>
 *   <li>{@code tlsClientAnchors}: a TLS client certificate validating to one of these authenticates the registrar
 *       (section 5.4.1), which nonceless requests need (section 5.5.4).</li>
 *   <li>{@code defaultOwnership}: {@code open} (devices without an owner go to any registrar, asserting
 *       {@code openAssertion}) or {@code closed} (they are refused until an owner is set).</li>
 *   <li>{@code pin}: pin the domain CA (the farthest certificate of the registrar's chain, section 5.5.2) or the
 *       registrar's own certificate in {@code pinned-domain-cert}.</li>
 *   <li>{@code allowNonceless}, {@code voucherLifetime} (expires-on of nonceless vouchers, section 5.6: about 20
 *       minutes), {@code maxRequestAge} and {@code clockSkew} (created-on freshness), {@code maxBodyBytes},
 *       {@code lenientJson}.</li>
 *   <li>{@code compat}: {@link Compat#NONE} (RFC 8995 as written) or {@link Compat#NQMINDS}: registrar
 *       voucher-requests may then arrive as base64 and under the {@code ietf-voucher:voucher} root (the voucher is
 *       answered base64 too), and are parsed leniently; every signature, chain, serial-number, nonce and proximity
 *       check stays. Vouchers keep {@code created-on} in both modes: the nqminds voucher model has the leaf and its
 *       parser reads it, so omitting it would only break RFC 8366 peers.</li>
 * </ul>
 */
public final class MasaPolicy {
    /** What {@code pinned-domain-cert} holds. */
    public enum Pin { DOMAIN_CA, REGISTRAR }

    /** What happens to devices whose ownership is the default. */
    public enum DefaultOwnership { OPEN, CLOSED }

    private final List<X509Certificate> manufacturerAnchors;
    private final List<X509Certificate> registrarAnchors;
    private final List<X509Certificate> tlsClientAnchors;
    private final DefaultOwnership defaultOwnership;
    private final Assertion openAssertion;
    private final Pin pin;
    private final boolean allowNonceless;
    private final Duration voucherLifetime;
    private final Duration maxRequestAge;
    private final Duration clockSkew;
    private final int maxBodyBytes;
    private final boolean lenientJson;
    private final Compat compat;

    private MasaPolicy(Builder b) {
        this.manufacturerAnchors = List.copyOf(b.manufacturerAnchors);
        if (manufacturerAnchors.isEmpty()) {
            throw new IllegalArgumentException("at least one manufacturer CA is required");
        }
        this.registrarAnchors = List.copyOf(b.registrarAnchors);
        this.tlsClientAnchors = List.copyOf(b.tlsClientAnchors);
        this.defaultOwnership = b.defaultOwnership;
        this.openAssertion = b.openAssertion;
        if (openAssertion == Assertion.VERIFIED) {
            throw new IllegalArgumentException("open devices cannot assert 'verified'");
        }
        this.pin = b.pin;
        this.allowNonceless = b.allowNonceless;
        this.voucherLifetime = positive(b.voucherLifetime, "voucherLifetime");
        this.maxRequestAge = positive(b.maxRequestAge, "maxRequestAge");
        this.clockSkew = Objects.requireNonNull(b.clockSkew, "clockSkew");
        this.maxBodyBytes = b.maxBodyBytes;
        if (maxBodyBytes < 1024 || maxBodyBytes > 1024 * 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be between 1 KiB and 1 MiB");
        }
        this.lenientJson = b.lenientJson;
        this.compat = b.compat;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<X509Certificate> manufacturerAnchors() {
        return manufacturerAnchors;
    }

    public List<X509Certificate> registrarAnchors() {
        return registrarAnchors;
    }

    public List<X509Certificate> tlsClientAnchors() {
        return tlsClientAnchors;
    }

    public DefaultOwnership defaultOwnership() {
        return defaultOwnership;
    }

    public Assertion openAssertion() {
        return openAssertion;
    }

    public Pin pin() {
        return pin;
    }

    public boolean allowNonceless() {
        return allowNonceless;
    }

    public Duration voucherLifetime() {
        return voucherLifetime;
    }

    public Duration maxRequestAge() {
        return maxRequestAge;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public boolean lenientJson() {
        return lenientJson;
    }

    /** The peer dialect accepted besides RFC 8995 ({@link Compat#NONE} by default). */
    public Compat compat() {
        return compat;
    }

    /** A builder holding this policy's values. */
    public Builder toBuilder() {
        return builder().manufacturerAnchors(manufacturerAnchors).registrarAnchors(registrarAnchors)
                .tlsClientAnchors(tlsClientAnchors).defaultOwnership(defaultOwnership).openAssertion(openAssertion)
                .pin(pin).allowNonceless(allowNonceless).voucherLifetime(voucherLifetime).maxRequestAge(maxRequestAge)
                .clockSkew(clockSkew).maxBodyBytes(maxBodyBytes).lenientJson(lenientJson).compat(compat);
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    /** Collects a {@link MasaPolicy}; defaults: open, logged, pin domain CA, no nonceless, 20 min, 64 KiB, no compat. */
    public static final class Builder {
        private Collection<X509Certificate> manufacturerAnchors = List.of();
        private Collection<X509Certificate> registrarAnchors = List.of();
        private Collection<X509Certificate> tlsClientAnchors = List.of();
        private DefaultOwnership defaultOwnership = DefaultOwnership.OPEN;
        private Assertion openAssertion = Assertion.LOGGED;
        private Pin pin = Pin.DOMAIN_CA;
        private boolean allowNonceless;
        private Duration voucherLifetime = Duration.ofMinutes(20);
        private Duration maxRequestAge = Duration.ofMinutes(10);
        private Duration clockSkew = Duration.ofMinutes(5);
        /**
         * 128 KiB: a registrar forwards pledge voucher-requests of up to 64 KiB (its default limit) base64-encoded inside
         * its own signed request with its certificate chain, about 4/3 of the size plus a few KiB; a MASA limit below
         * that turned pledge requests the registrar accepted into 502s.
         */
        private int maxBodyBytes = 128 * 1024;
        private boolean lenientJson;
        private Compat compat = Compat.NONE;

        private Builder() {
        }

        public Builder manufacturerAnchors(Collection<X509Certificate> anchors) {
            this.manufacturerAnchors = Objects.requireNonNull(anchors);
            return this;
        }

        public Builder registrarAnchors(Collection<X509Certificate> anchors) {
            this.registrarAnchors = Objects.requireNonNull(anchors);
            return this;
        }

        public Builder tlsClientAnchors(Collection<X509Certificate> anchors) {
            this.tlsClientAnchors = Objects.requireNonNull(anchors);
            return this;
        }

        public Builder defaultOwnership(DefaultOwnership value) {
            this.defaultOwnership = Objects.requireNonNull(value);
            return this;
        }

        public Builder openAssertion(Assertion value) {
            this.openAssertion = Objects.requireNonNull(value);
            return this;
        }

        public Builder pin(Pin value) {
            this.pin = Objects.requireNonNull(value);
            return this;
        }

        public Builder allowNonceless(boolean value) {
            this.allowNonceless = value;
            return this;
        }

        public Builder voucherLifetime(Duration value) {
            this.voucherLifetime = value;
            return this;
        }

        public Builder maxRequestAge(Duration value) {
            this.maxRequestAge = value;
            return this;
        }

        public Builder clockSkew(Duration value) {
            this.clockSkew = value;
            return this;
        }

        public Builder maxBodyBytes(int value) {
            this.maxBodyBytes = value;
            return this;
        }

        public Builder lenientJson(boolean value) {
            this.lenientJson = value;
            return this;
        }

        /** The peer dialect accepted besides RFC 8995, e.g. {@link Compat#NQMINDS}. */
        public Builder compat(Compat value) {
            this.compat = Objects.requireNonNull(value, "compat");
            return this;
        }

        /**
         * The policy.
         *
         * @throws IllegalArgumentException when no manufacturer CA is given or a value is out of range
         */
        public MasaPolicy build() {
            return new MasaPolicy(this);
        }
    }
}
