package org.brski.masa.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.brski.masa.voucher.MasaPolicy;
import org.brski.masa.voucher.VoucherSigningKey;
import org.brski.pki.TestPki;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.server.ConfigException;
import org.brski.server.ConnectionLimits;
import org.brski.server.config.Compat;
import org.brski.server.config.LimitsYaml;
import org.brski.server.config.YamlConfig;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.brski.server.tls.ClientAuth;
import org.brski.server.tls.TlsIdentity;
import org.brski.voucher.Assertion;

/**
 * The MASA's YAML configuration ({@code brski masa serve --config masa.yaml}). Unknown keys are errors; relative paths
 * are resolved against the configuration file's directory; every value is checked by {@link #resolve} with an error
 * naming its key. Example:
 *
 * <pre>{@code
 * server:
 *   host: 0.0.0.0
 *   port: 8443
 *   tlsCert: masa-tls-chain.pem     # certificate, then its issuers
 *   tlsKey: masa-tls.key
 *   clientAuth: want                # none | want | require (registrar TLS client certificates)
 *   clientCaCerts: [domain-ca.pem]  # anchors for TLS client certificates (want: optional, require: mandatory)
 *   metricsClientCaCerts: [ops-ca.pem]  # GET /metrics needs a TLS client certificate validating to one of these;
 *                                   # absent: /metrics is not served (it must not be readable anonymously)
 *   limits:                         # against slow clients (LimitsYaml; these are the defaults)
 *     handshakeTimeoutSeconds: 10
 *     headerTimeoutSeconds: 10
 *     idleTimeoutSeconds: 30
 *     bodyGraceSeconds: 10
 *     minBodyBytesPerSecond: 1024
 *     maxConnectionsPerSource: 512
 *     maxConnections: 4096
 * database:
 *   url: jdbc:h2:file:./masa-data/masa   # or jdbc:postgresql://host/db
 *   user: sa
 *   password: ""
 * signer:
 *   cert: masa-signer.pem           # or pkcs12: signer.p12 with pkcs12Password
 *   key: masa-signer.key
 * manufacturerCaCerts: [manufacturer-ca.pem]
 * registrarCaCerts: []              # empty: any registrar whose chain the request carries (RFC 8995 5.5.2)
 * policy:
 *   defaultOwnership: open          # open | closed
 *   openAssertion: logged           # logged | proximity
 *   pin: domain-ca                  # domain-ca | registrar
 *   allowNonceless: false
 *   voucherLifetime: PT20M
 *   maxRequestAge: PT10M
 *   clockSkew: PT5M
 *   maxBodyBytes: 131072            # covers a 64 KiB pledge request wrapped by a registrar
 *   lenientJson: false
 * compat: none                      # none | nqminds (--compat nqminds): also accept the nqminds brski dialect
 * }</pre>
 *
 * <p>{@code compat: nqminds} accepts registrar voucher-requests as base64 text (line breaks tolerated) and under the
 * {@code ietf-voucher:voucher} root, parsed leniently, and answers such requests in base64; signatures, chains,
 * serial-number, nonce and proximity are checked as always. Without it those requests are refused with 400 problems
 * naming the deviation. See {@link Compat}.
 */
public record MasaConfig(Server server, Database database, Signer signer, List<String> manufacturerCaCerts,
        List<String> registrarCaCerts, Policy policy, String compat) {
    /** The default H2 database, next to the working directory. */
    public static final String DEFAULT_DATABASE_URL = "jdbc:h2:file:./masa-data/masa";

    /** HTTPS listener. */
    public record Server(String host, Integer port, String tlsCert, String tlsKey, String clientAuth,
            List<String> clientCaCerts, Integer maxThreads, LimitsYaml limits, List<String> metricsClientCaCerts) {
        /** A listener with the default slow-client limits and no {@code /metrics} reader. */
        public Server(String host, Integer port, String tlsCert, String tlsKey, String clientAuth,
                List<String> clientCaCerts, Integer maxThreads) {
            this(host, port, tlsCert, tlsKey, clientAuth, clientCaCerts, maxThreads, null, null);
        }
    }

    /** Storage. */
    public record Database(String url, String user, String password, Integer maxPoolSize) {
    }

    /** Voucher-signing key: PEM {@code cert} + {@code key}, or {@code pkcs12} + {@code pkcs12Password}. */
    public record Signer(String cert, String key, String pkcs12, String pkcs12Password) {
    }

    /** Issuance policy. */
    public record Policy(String defaultOwnership, String openAssertion, String pin, Boolean allowNonceless,
            String voucherLifetime, String maxRequestAge, String clockSkew, Integer maxBodyBytes,
            Boolean lenientJson) {
    }

    /** A configuration without {@code compat} (RFC 8995 as written). */
    public MasaConfig(Server server, Database database, Signer signer, List<String> manufacturerCaCerts,
            List<String> registrarCaCerts, Policy policy) {
        this(server, database, signer, manufacturerCaCerts, registrarCaCerts, policy, null);
    }

    /** A configuration with every key absent (defaults apply), for flags-only starts. */
    public static MasaConfig empty() {
        return new MasaConfig(null, null, null, null, null, null, null);
    }

    /** The same configuration with {@code compat} set ({@code none} or {@code nqminds}). */
    public MasaConfig withCompat(String value) {
        return new MasaConfig(server, database, signer, manufacturerCaCerts, registrarCaCerts, policy, value);
    }

    /** Loads a YAML file; unknown keys and wrong types fail naming the key. */
    public static MasaConfig load(Path file) throws ConfigException {
        return YamlConfig.load(file, MasaConfig.class);
    }

    public Server serverOrEmpty() {
        return server != null ? server : new Server(null, null, null, null, null, null, null);
    }

    public Database databaseOrEmpty() {
        return database != null ? database : new Database(null, null, null, null);
    }

    public Signer signerOrEmpty() {
        return signer != null ? signer : new Signer(null, null, null, null);
    }

    public Policy policyOrEmpty() {
        return policy != null ? policy : new Policy(null, null, null, null, null, null, null, null, null);
    }

    /**
     * Loads every file and checks every value.
     *
     * @param baseDir directory against which relative paths resolve (the configuration file's)
     * @param pki a test PKI supplying the TLS identity, signing key and manufacturer CA where the configuration names
     *     none ({@code --pki DIR})
     * @throws ConfigException naming the first bad key
     */
    public MasaSettings resolve(Path baseDir, Optional<TestPki> pki) throws ConfigException {
        Server s = serverOrEmpty();
        String host = s.host() != null ? s.host() : "127.0.0.1";
        int port = s.port() != null ? s.port() : 8443;
        if (port < 0 || port > 65535) {
            throw new ConfigException("server.port", "must be between 0 and 65535, not " + port);
        }
        int maxThreads = s.maxThreads() != null ? s.maxThreads() : 200;
        if (maxThreads < 8 || maxThreads > 10_000) {
            throw new ConfigException("server.maxThreads", "must be between 8 and 10000");
        }
        TlsIdentity tls;
        if (s.tlsCert() != null || s.tlsKey() != null) {
            if (s.tlsCert() == null || s.tlsKey() == null) {
                throw new ConfigException(s.tlsCert() == null ? "server.tlsCert" : "server.tlsKey",
                        "server.tlsCert and server.tlsKey go together");
            }
            tls = TlsIdentity.fromPem(baseDir.resolve(s.tlsCert()), baseDir.resolve(s.tlsKey()), "server.tlsCert",
                    "server.tlsKey");
        } else if (pki.isPresent()) {
            tls = TlsIdentity.of(pki.get().masaTls().privateKey(), pki.get().masaTls().certificate(),
                    pki.get().masaTls().issuerChain());
        } else {
            throw new ConfigException("server.tlsCert", "the MASA's TLS certificate and key are required");
        }
        List<X509Certificate> clientAnchors = certificates(baseDir, s.clientCaCerts(), "server.clientCaCerts");
        ClientAuth clientAuth = switch (lower(s.clientAuth(), "want")) {
            case "none" -> ClientAuth.none();
            case "want" -> ClientAuth.wantAnyProvisionally();
            case "require" -> {
                if (clientAnchors.isEmpty()) {
                    throw new ConfigException("server.clientCaCerts", "clientAuth 'require' needs client CA certs");
                }
                yield ClientAuth.requireTrusted(clientAnchors);
            }
            default -> throw new ConfigException("server.clientAuth", "must be none, want or require, not '"
                    + s.clientAuth() + "'");
        };

        ConnectionLimits limits = LimitsYaml.resolve(s.limits());
        List<X509Certificate> metricsAnchors = certificates(baseDir, s.metricsClientCaCerts(),
                "server.metricsClientCaCerts");
        if (!metricsAnchors.isEmpty() && clientAuth.mode() == ClientAuth.Mode.NONE) {
            throw new ConfigException("server.metricsClientCaCerts",
                    "needs clientAuth want or require: with none no client certificate is ever requested");
        }

        Database d = databaseOrEmpty();
        String url = d.url() != null ? d.url() : DEFAULT_DATABASE_URL;
        Databases.kindOf(url);
        int pool = d.maxPoolSize() != null ? d.maxPoolSize() : 10;
        if (pool < 1 || pool > 200) {
            throw new ConfigException("database.maxPoolSize", "must be between 1 and 200");
        }
        DatabaseConfig database = new DatabaseConfig(url, d.user() != null ? d.user() : "sa", d.password(), pool);

        VoucherSigningKey signingKey = signingKey(baseDir, pki);

        List<X509Certificate> manufacturer = certificates(baseDir, manufacturerCaCerts, "manufacturerCaCerts");
        if (manufacturer.isEmpty()) {
            if (pki.isEmpty()) {
                throw new ConfigException("manufacturerCaCerts", "at least one manufacturer CA certificate is required");
            }
            manufacturer = List.of(pki.get().manufacturerCa().certificate());
        }
        MasaPolicy.Builder policy = MasaPolicy.builder()
                .manufacturerAnchors(manufacturer)
                .registrarAnchors(certificates(baseDir, registrarCaCerts, "registrarCaCerts"))
                .tlsClientAnchors(clientAnchors);
        applyPolicy(policyOrEmpty(), policy);
        try {
            policy.compat(Compat.parse(compat));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("compat", e.getMessage(), e);
        }
        try {
            return new MasaSettings(host, port, tls, clientAuth, signingKey, policy.build(), database, maxThreads,
                    limits, metricsAnchors);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("policy", e.getMessage(), e);
        }
    }

    private VoucherSigningKey signingKey(Path baseDir, Optional<TestPki> pki) throws ConfigException {
        Signer sg = signerOrEmpty();
        if (sg.pkcs12() != null) {
            if (sg.cert() != null || sg.key() != null) {
                throw new ConfigException("signer.pkcs12", "give either signer.pkcs12 or signer.cert and signer.key");
            }
            char[] password = sg.pkcs12Password() == null ? new char[0] : sg.pkcs12Password().toCharArray();
            return VoucherSigningKey.fromPkcs12(baseDir.resolve(sg.pkcs12()), password);
        }
        if (sg.cert() != null || sg.key() != null) {
            if (sg.cert() == null || sg.key() == null) {
                throw new ConfigException(sg.cert() == null ? "signer.cert" : "signer.key",
                        "signer.cert and signer.key go together");
            }
            return VoucherSigningKey.fromPem(baseDir.resolve(sg.cert()), baseDir.resolve(sg.key()));
        }
        if (pki.isPresent()) {
            try {
                return VoucherSigningKey.of(pki.get().masaSigner().privateKey(), pki.get().masaSigner().certificate(),
                        pki.get().masaSigner().issuerChain());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("signer", e.getMessage(), e);
            }
        }
        throw new ConfigException("signer.cert", "the voucher-signing certificate and key are required");
    }

    private static void applyPolicy(Policy p, MasaPolicy.Builder b) throws ConfigException {
        b.defaultOwnership(switch (lower(p.defaultOwnership(), "open")) {
            case "open" -> MasaPolicy.DefaultOwnership.OPEN;
            case "closed" -> MasaPolicy.DefaultOwnership.CLOSED;
            default -> throw new ConfigException("policy.defaultOwnership", "must be open or closed");
        });
        b.openAssertion(switch (lower(p.openAssertion(), "logged")) {
            case "logged" -> Assertion.LOGGED;
            case "proximity" -> Assertion.PROXIMITY;
            default -> throw new ConfigException("policy.openAssertion", "must be logged or proximity");
        });
        b.pin(switch (lower(p.pin(), "domain-ca")) {
            case "domain-ca" -> MasaPolicy.Pin.DOMAIN_CA;
            case "registrar" -> MasaPolicy.Pin.REGISTRAR;
            default -> throw new ConfigException("policy.pin", "must be domain-ca or registrar");
        });
        b.allowNonceless(Boolean.TRUE.equals(p.allowNonceless()));
        b.lenientJson(Boolean.TRUE.equals(p.lenientJson()));
        b.voucherLifetime(duration(p.voucherLifetime(), "PT20M", "policy.voucherLifetime"));
        b.maxRequestAge(duration(p.maxRequestAge(), "PT10M", "policy.maxRequestAge"));
        b.clockSkew(duration(p.clockSkew(), "PT5M", "policy.clockSkew"));
        int maxBody = p.maxBodyBytes() != null ? p.maxBodyBytes() : 128 * 1024;
        if (maxBody < 1024 || maxBody > 1024 * 1024) {
            throw new ConfigException("policy.maxBodyBytes", "must be between 1024 and 1048576");
        }
        b.maxBodyBytes(maxBody);
    }

    private static Duration duration(String value, String fallback, String key) throws ConfigException {
        try {
            Duration d = Duration.parse(value != null ? value : fallback);
            if (d.isNegative() || (d.isZero() && !key.endsWith("clockSkew"))) {
                throw new ConfigException(key, "must be a positive ISO-8601 duration");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new ConfigException(key, "'" + value + "' is not an ISO-8601 duration such as PT20M", e);
        }
    }

    private static List<X509Certificate> certificates(Path baseDir, List<String> files, String key)
            throws ConfigException {
        List<X509Certificate> result = new ArrayList<>();
        if (files == null) {
            return result;
        }
        for (int i = 0; i < files.size(); i++) {
            try {
                result.addAll(Pem.readCertificates(baseDir.resolve(files.get(i))));
            } catch (PkixException e) {
                throw new ConfigException(key + "[" + i + "]", e.getMessage(), e);
            }
        }
        return result;
    }

    private static String lower(String value, String fallback) {
        return value == null ? fallback : value.trim().toLowerCase(Locale.ROOT);
    }
}
