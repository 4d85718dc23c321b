package org.brski.registrar.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.brski.registrar.est.DomainCa;
import org.brski.registrar.est.EstSettings;
import org.brski.registrar.fieldbus.DomainKeyStore;
import org.brski.registrar.policy.Manufacturer;
import org.brski.registrar.voucher.VoucherSettings;
import org.brski.server.ConnectionLimits;
import org.brski.server.config.Compat;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.tls.TlsIdentity;

/**
 * Everything a registrar needs to start. Immutable; build with {@link #builder(TlsIdentity, DomainCa)}.
 *
 * <pre>{@code
 * RegistrarConfig config = RegistrarConfig.builder(registrarIdentity, KeyDomainCa.of(caKey, caCert, List.of()))
 *         .manufacturer(Manufacturer.trusted("acme", acmeCa))
 *         .compat(Compat.NQMINDS)   // optional: also accept nqminds brski pledges (never the default)
 *         .build();
 * try (RegistrarServer registrar = RegistrarServer.start(config)) { ... registrar.uri() ... }
 * }</pre>
 */
public final class RegistrarConfig {
    private final String host;
    private final int port;
    private final TlsIdentity identity;
    private final DomainCa domainCa;
    private final DatabaseConfig database;
    private final List<Manufacturer> manufacturers;
    private final List<Manufacturer> seedManufacturers;
    private final Duration masaConnectTimeout;
    private final Duration masaRequestTimeout;
    private final Duration masaRetryAfter;
    private final VoucherSettings voucher;
    private final EstSettings est;
    private final AdminSettings admin;
    private final Clock clock;
    private final Compat compat;
    private final DomainKeyStore fieldbus;
    private final ConnectionLimits limits;

    private RegistrarConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.identity = b.identity;
        this.domainCa = b.domainCa;
        this.database = b.database;
        this.manufacturers = List.copyOf(b.manufacturers);
        this.seedManufacturers = List.copyOf(b.seedManufacturers);
        this.masaConnectTimeout = b.masaConnectTimeout;
        this.masaRequestTimeout = b.masaRequestTimeout;
        this.masaRetryAfter = b.masaRetryAfter;
        this.voucher = b.voucher;
        this.est = b.est;
        this.admin = b.admin;
        this.clock = b.clock;
        this.compat = b.compat;
        this.fieldbus = b.fieldbus;
        this.limits = b.limits;
    }

    /**
     * A builder with defaults: 127.0.0.1, port 0, a private in-memory H2 database, MASA timeouts 5 s connect / 20 s
     * total, Retry-After 30 s, {@link VoucherSettings#defaults()}, {@link EstSettings#defaults()}, no admin API,
     * {@link Compat#NONE}.
     *
     * @param identity the registrar's TLS key and certificate (EKU id-kp-cmcRA; also signs voucher-requests)
     * @param domainCa the domain CA that issues LDevIDs
     */
    public static Builder builder(TlsIdentity identity, DomainCa domainCa) {
        return new Builder(identity, domainCa);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public TlsIdentity identity() {
        return identity;
    }

    public DomainCa domainCa() {
        return domainCa;
    }

    public DatabaseConfig database() {
        return database;
    }

    /** Manufacturers written to the store at start (inserted or replaced by name). */
    public List<Manufacturer> manufacturers() {
        return manufacturers;
    }

    /** Manufacturers stored at start only when no stored manufacturer has the same CA (the {@code --pki} shortcut). */
    public List<Manufacturer> seedManufacturers() {
        return seedManufacturers;
    }

    public Duration masaConnectTimeout() {
        return masaConnectTimeout;
    }

    public Duration masaRequestTimeout() {
        return masaRequestTimeout;
    }

    public Duration masaRetryAfter() {
        return masaRetryAfter;
    }

    public VoucherSettings voucher() {
        return voucher;
    }

    public EstSettings est() {
        return est;
    }

    public Optional<AdminSettings> admin() {
        return Optional.ofNullable(admin);
    }

    public Clock clock() {
        return clock;
    }

    /**
     * The pledge dialect accepted besides RFC 8995: {@link Compat#NONE} (default) or {@link Compat#NQMINDS} (base64
     * voucher-requests, the {@code ietf-voucher:voucher} request root, the empty probe POST, MASA vouchers without
     * created-on or labelled text/plain; see {@code VoucherService}).
     */
    public Compat compat() {
        return compat;
    }

    /**
     * The master key store of the fieldbus domain key service; when present the {@code /brski-fieldbus/v1} endpoints
     * and {@code /admin/fieldbus} are served (issue 8, EmSA WP-104 chapter 3).
     */
    /** The slow-client limits of the BRSKI/EST listener. */
    public ConnectionLimits limits() {
        return limits;
    }

    public Optional<DomainKeyStore> fieldbus() {
        return Optional.ofNullable(fieldbus);
    }

    /** Collects the settings of a {@link RegistrarConfig}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private final TlsIdentity identity;
        private final DomainCa domainCa;
        private DatabaseConfig database;
        private final List<Manufacturer> manufacturers = new ArrayList<>();
        private final List<Manufacturer> seedManufacturers = new ArrayList<>();
        private Duration masaConnectTimeout = Duration.ofSeconds(5);
        private Duration masaRequestTimeout = Duration.ofSeconds(20);
        private Duration masaRetryAfter = Duration.ofSeconds(30);
        private VoucherSettings voucher = VoucherSettings.defaults();
        private EstSettings est = EstSettings.defaults();
        private AdminSettings admin;
        private Clock clock = Clock.systemUTC();
        private Compat compat = Compat.NONE;
        private DomainKeyStore fieldbus;
        private ConnectionLimits limits = ConnectionLimits.defaults();

        private Builder(TlsIdentity identity, DomainCa domainCa) {
            this.identity = Objects.requireNonNull(identity, "identity");
            this.domainCa = Objects.requireNonNull(domainCa, "domainCa");
        }

        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port out of range: " + value);
            }
            this.port = value;
            return this;
        }

        public Builder database(DatabaseConfig value) {
            this.database = Objects.requireNonNull(value, "database");
            return this;
        }

        public Builder manufacturer(Manufacturer value) {
            this.manufacturers.add(Objects.requireNonNull(value, "manufacturer"));
            return this;
        }

        /**
         * A manufacturer to store only if none with its CA is stored yet, so that what an operator set up (name, MASA
         * URL, mode, distrust) is never replaced by a default.
         */
        public Builder seedManufacturer(Manufacturer value) {
            this.seedManufacturers.add(Objects.requireNonNull(value, "manufacturer"));
            return this;
        }

        /** Bounds on MASA calls: connection set-up, whole exchange, and the Retry-After announced when they fail. */
        public Builder masaTimeouts(Duration connect, Duration request, Duration retryAfter) {
            this.masaConnectTimeout = positive(connect, "connect");
            this.masaRequestTimeout = positive(request, "request");
            this.masaRetryAfter = positive(retryAfter, "retryAfter");
            return this;
        }

        public Builder voucher(VoucherSettings value) {
            this.voucher = Objects.requireNonNull(value, "voucher");
            return this;
        }

        public Builder est(EstSettings value) {
            this.est = Objects.requireNonNull(value, "est");
            return this;
        }

        public Builder admin(AdminSettings value) {
            this.admin = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Also accept a pledge dialect, e.g. {@link Compat#NQMINDS}; default {@link Compat#NONE}. */
        public Builder compat(Compat value) {
            this.compat = Objects.requireNonNull(value, "compat");
            return this;
        }

        /**
         * Serves the fieldbus domain key service with this master key store (e.g. a
         * {@link org.brski.registrar.fieldbus.FileDomainKeyStore}); {@code null}: not served (default).
         */
        public Builder fieldbus(DomainKeyStore value) {
            this.fieldbus = value;
            return this;
        }

        /** The slow-client limits of the BRSKI/EST listener (default {@link ConnectionLimits#defaults()}). */
        public Builder limits(ConnectionLimits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        public RegistrarConfig build() {
            if (database == null) {
                database = DatabaseConfig.h2Memory("registrar-" + Long.toHexString(System.nanoTime()));
            }
            return new RegistrarConfig(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " timeout must be positive");
            }
            return d;
        }
    }
}
