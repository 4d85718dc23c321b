package org.brski.registrar.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.brski.fieldbus.FieldbusException;
import org.brski.pki.TestPki;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.registrar.est.EstSettings;
import org.brski.registrar.est.KeyDomainCa;
import org.brski.registrar.fieldbus.FileDomainKeyStore;
import org.brski.registrar.masa.AuditPolicy;
import org.brski.registrar.policy.ApprovalMode;
import org.brski.registrar.policy.Manufacturer;
import org.brski.registrar.voucher.VoucherSettings;
import org.brski.server.ConfigException;
import org.brski.server.config.Compat;
import org.brski.server.config.LimitsYaml;
import org.brski.server.config.YamlConfig;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.tls.TlsIdentity;

/**
 * The YAML form of {@link RegistrarConfig} ({@code registrar.yaml}); unknown keys are refused with their dotted path.
 * Every section and key is optional; relative file names resolve against the configuration file's directory.
 *
 * <pre>
 * server:   { host: 0.0.0.0, port: 8443,
 *             limits: { handshakeTimeoutSeconds: 10, headerTimeoutSeconds: 10, idleTimeoutSeconds: 30,   # defaults
 *                       bodyGraceSeconds: 10, minBodyBytesPerSecond: 1024, maxConnectionsPerSource: 512,
 *                       maxConnections: 4096 } }       # against slow clients, see LimitsYaml
 * tls:      { cert: registrar-chain.pem, key: registrar.key }     # EKU id-kp-cmcRA + serverAuth
 * domainCa: { cert: domain-ca.pem, key: domain-ca.key }
 * database: { url: "jdbc:postgresql://db/brski", user: brski, password: secret, maxPoolSize: 10 }
 * masa:     { connectTimeoutSeconds: 5, requestTimeoutSeconds: 20, retryAfterSeconds: 30 }
 * voucher:  { maxRequestBytes: 65536, createdOnMaxAgeSeconds: 600, createdOnSkewSeconds: 120,
 *             requireCreatedOn: false, lenientJson: false, pendingRetrySeconds: 30 }
 * audit:    { mode: enforce, allowOtherDomains: false, allowNonceless: false }   # enforce | record | off
 * est:      { ldevidValidityDays: 365, maxCsrBytes: 16384, serverKeyGen: true, maxLdevidsPerDevice: 100,
 *             requirePopLinking: false }   # true: every CSR carries the TLS channel binding (RFC 7030 3.5)
 * admin:    { host: 127.0.0.1, port: 9443, clientCa: admin-ca.pem }
 * manufacturers:
 *   - { name: acme, ca: acme-ca.pem, trusted: true, mode: auto, masaAnchors: acme-masa-ca.pem,
 *       masaUrl: "https://masa.acme.example/.well-known/brski", masaDialect: rfc8995 }   # rfc8995 | nqminds
 * compat: none      # none | nqminds (--compat nqminds): also accept nqminds brski pledges
 * fieldbus: { masterKeyStore: fieldbus-master.p12, masterKeyStorePasswordFile: fieldbus-master.pass }
 * </pre>
 *
 * <p>{@code fieldbus} turns on the fieldbus domain key service ({@code /brski-fieldbus/v1/...}, admin
 * {@code /admin/fieldbus/...}): the PKCS#12 file made by {@code brski registrar fieldbus init-master} and the file
 * holding its password. Both keys are required together.
 *
 * <p>{@code masaDialect: nqminds} (per manufacturer, default {@code rfc8995}) posts that manufacturer's registrar
 * voucher-requests as base64 and accepts its MASA's base64 or {@code text/plain} answers and vouchers without
 * {@code created-on}: what a MASA of nqminds brski speaks. Everything in the voucher is still verified.
 *
 * <p>{@code compat: nqminds} accepts voucher-requests as base64 text (line breaks tolerated) and under the
 * {@code ietf-voucher:voucher} root, answers the empty probe POST with a 400 problem that is not counted as a refusal,
 * accepts MASA vouchers without {@code created-on} or labelled {@code text/plain}, and answers a base64 request in base64.
 * Signatures, chains, nonce, serial-number and proximity are checked as always. Without it each of these is refused
 * with a problem naming it. See {@link org.brski.server.config.Compat}.
 */
public record RegistrarYaml(Server server, Files tls, Files domainCa, Database database, Masa masa, Voucher voucher,
        Audit audit, Est est, Admin admin, List<ManufacturerEntry> manufacturers, String compat, Fieldbus fieldbus) {

    public record Fieldbus(String masterKeyStore, String masterKeyStorePasswordFile) {
    }

    /** The BRSKI/EST listener; {@code limits}: the slow-client limits ({@link LimitsYaml}, defaults when absent). */
    public record Server(String host, Integer port, LimitsYaml limits) {
        public Server(String host, Integer port) {
            this(host, port, null);
        }
    }

    public record Files(String cert, String key) {
    }

    public record Database(String url, String user, String password, Integer maxPoolSize) {
        /** Like {@link DatabaseConfig#toString()}: the password is never shown. */
        @Override
        public String toString() {
            return "Database[url=" + url + ", user=" + user + ", password="
                    + (password == null || password.isEmpty() ? "" : "***") + ", maxPoolSize=" + maxPoolSize + "]";
        }
    }

    public record Masa(Integer connectTimeoutSeconds, Integer requestTimeoutSeconds, Integer retryAfterSeconds) {
    }

    public record Voucher(Integer maxRequestBytes, Integer createdOnMaxAgeSeconds, Integer createdOnSkewSeconds,
            Boolean requireCreatedOn, Boolean lenientJson, Integer pendingRetrySeconds) {
    }

    public record Audit(String mode, Boolean allowOtherDomains, Boolean allowNonceless) {
    }

    public record Est(Integer ldevidValidityDays, Integer maxCsrBytes, Boolean serverKeyGen,
            Integer maxLdevidsPerDevice, Boolean requirePopLinking) {
    }

    public record Admin(String host, Integer port, String clientCa) {
    }

    public record ManufacturerEntry(String name, String ca, Boolean trusted, String mode, String masaAnchors,
            String masaUrl, String masaDialect) {
    }

    /** An empty configuration (everything from flags, {@code --pki} or defaults). */
    public static RegistrarYaml empty() {
        return new RegistrarYaml(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Reads a YAML file strictly. */
    public static RegistrarYaml load(Path file) throws ConfigException {
        return YamlConfig.load(file, RegistrarYaml.class);
    }

    /** The database settings alone (for operator commands that only touch the store). */
    public DatabaseConfig databaseConfig(Path base) {
        Database d = database == null ? new Database(null, null, null, null) : database;
        if (d.url() == null) {
            return shared(DatabaseConfig.h2File(base.resolve("registrar-db")));
        }
        return shared(new DatabaseConfig(d.url(), d.user(), d.password(),
                d.maxPoolSize() == null ? 10 : d.maxPoolSize()));
    }

    /**
     * An embedded H2 file database opened with {@code AUTO_SERVER=TRUE}, so that operator commands can use it while a
     * registrar runs on it; other URLs unchanged.
     */
    public static DatabaseConfig shared(DatabaseConfig config) {
        String url = config.url();
        if (url.startsWith("jdbc:h2:file:") && !url.toUpperCase(java.util.Locale.ROOT).contains("AUTO_SERVER")) {
            return new DatabaseConfig(url + ";AUTO_SERVER=TRUE", config.user(), config.password(),
                    config.maxPoolSize());
        }
        return config;
    }

    /**
     * The full configuration.
     *
     * @param base directory that relative file names resolve against
     * @param pki  a test PKI supplying the TLS identity, domain CA and a trusted manufacturer where the file names none
     * @throws ConfigException naming the key at fault
     */
    public RegistrarConfig resolve(Path base, Optional<TestPki> pki) throws ConfigException {
        TlsIdentity identity;
        if (tls != null && tls.cert() != null) {
            identity = TlsIdentity.fromPem(base.resolve(tls.cert()), base.resolve(require(tls.key(), "tls.key")),
                    "tls.cert", "tls.key");
        } else if (pki.isPresent()) {
            identity = TlsIdentity.of(pki.get().registrar().privateKey(), pki.get().registrar().certificate(),
                    pki.get().registrar().issuerChain());
        } else {
            throw new ConfigException("tls.cert", "the registrar's TLS certificate and key are required");
        }
        KeyDomainCa ca;
        if (domainCa != null && domainCa.cert() != null) {
            List<X509Certificate> certs = certificates(base, domainCa.cert(), "domainCa.cert");
            PrivateKey key;
            try {
                key = Pem.readPrivateKey(base.resolve(require(domainCa.key(), "domainCa.key")));
            } catch (PkixException e) {
                throw new ConfigException("domainCa.key", e.getMessage(), e);
            }
            ca = KeyDomainCa.of(key, certs.get(0), certs.subList(1, certs.size()));
        } else if (pki.isPresent()) {
            ca = KeyDomainCa.of(pki.get().domainCa().privateKey(), pki.get().domainCa().certificate(), List.of());
        } else {
            throw new ConfigException("domainCa.cert", "the domain CA certificate and key are required");
        }
        RegistrarConfig.Builder b = RegistrarConfig.builder(identity, ca).database(databaseConfig(base));
        try {
            if (server != null) {
                if (server.host() != null) {
                    b.host(server.host());
                }
                b.port(server.port() != null ? server.port() : 8443);
                b.limits(LimitsYaml.resolve(server.limits()));
            } else {
                b.port(8443);
            }
            if (masa != null) {
                b.masaTimeouts(seconds(masa.connectTimeoutSeconds(), 5), seconds(masa.requestTimeoutSeconds(), 20),
                        seconds(masa.retryAfterSeconds(), 30));
            }
            VoucherSettings v = VoucherSettings.defaults();
            AuditPolicy auditPolicy = v.audit();
            if (audit != null) {
                auditPolicy = new AuditPolicy(audit.mode() == null ? AuditPolicy.Mode.ENFORCE
                        : AuditPolicy.Mode.valueOf(audit.mode().trim().toUpperCase(java.util.Locale.ROOT)),
                        Boolean.TRUE.equals(audit.allowOtherDomains()), Boolean.TRUE.equals(audit.allowNonceless()));
            }
            if (voucher != null) {
                v = new VoucherSettings(or(voucher.maxRequestBytes(), v.maxRequestBytes()), v.maxVoucherBytes(),
                        seconds(voucher.createdOnMaxAgeSeconds(), (int) v.createdOnMaxAge().toSeconds()),
                        seconds(voucher.createdOnSkewSeconds(), (int) v.createdOnSkew().toSeconds()),
                        Boolean.TRUE.equals(voucher.requireCreatedOn()), Boolean.TRUE.equals(voucher.lenientJson()),
                        seconds(voucher.pendingRetrySeconds(), (int) v.pendingRetry().toSeconds()), auditPolicy);
            } else {
                v = new VoucherSettings(v.maxRequestBytes(), v.maxVoucherBytes(), v.createdOnMaxAge(),
                        v.createdOnSkew(), v.requireCreatedOn(), v.lenientJson(), v.pendingRetry(), auditPolicy);
            }
            b.voucher(v);
            if (est != null) {
                EstSettings e = EstSettings.defaults();
                b.est(new EstSettings(est.ldevidValidityDays() == null ? e.ldevidValidity()
                        : Duration.ofDays(est.ldevidValidityDays()), or(est.maxCsrBytes(), e.maxCsrBytes()),
                        est.serverKeyGen() == null || est.serverKeyGen(),
                        or(est.maxLdevidsPerDevice(), e.maxLdevidsPerDevice()),
                        Boolean.TRUE.equals(est.requirePopLinking())));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(null, e.getMessage(), e);
        }
        if (admin != null && admin.clientCa() != null) {
            b.admin(new AdminSettings(admin.host() == null ? "127.0.0.1" : admin.host(),
                    admin.port() == null ? 9443 : admin.port(), certificates(base, admin.clientCa(), "admin.clientCa")));
        }
        List<Manufacturer> listed = new ArrayList<>();
        if (manufacturers != null) {
            for (int i = 0; i < manufacturers.size(); i++) {
                listed.add(manufacturer(base, manufacturers.get(i), "manufacturers[" + i + "]"));
            }
        }
        listed.forEach(b::manufacturer);
        if (pki.isPresent()) {
            X509Certificate manufacturerCa = pki.get().manufacturerCa().certificate();
            if (listed.stream().noneMatch(m -> m.caCertificate().equals(manufacturerCa))) {
                b.seedManufacturer(Manufacturer.trusted("test-manufacturer", manufacturerCa));
            }
        }
        try {
            b.compat(Compat.parse(compat));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("compat", e.getMessage(), e);
        }
        if (fieldbus != null) {
            b.fieldbus(masterKeyStore(base, fieldbus));
        }
        return b.build();
    }

    private static Manufacturer manufacturer(Path base, ManufacturerEntry e, String key) throws ConfigException {
        try {
            Optional<URI> url = e.masaUrl() == null ? Optional.empty() : Optional.of(new URI(e.masaUrl()));
            return new Manufacturer(require(e.name(), key + ".name"),
                    certificates(base, require(e.ca(), key + ".ca"), key + ".ca").get(0),
                    e.trusted() == null || e.trusted(),
                    e.mode() == null ? ApprovalMode.AUTO : ApprovalMode.parse(e.mode()),
                    e.masaAnchors() == null ? List.of() : certificates(base, e.masaAnchors(), key + ".masaAnchors"),
                    url, masaDialect(e.masaDialect(), key + ".masaDialect"));
        } catch (URISyntaxException | IllegalArgumentException ex) {
            throw new ConfigException(key, ex.getMessage(), ex);
        }
    }

    /** Opens the fieldbus master key store; errors name {@code fieldbus.masterKeyStore} or its password file. */
    public static FileDomainKeyStore masterKeyStore(Path base, Fieldbus f) throws ConfigException {
        String store = require(f.masterKeyStore(), "fieldbus.masterKeyStore");
        String passwordFile = require(f.masterKeyStorePasswordFile(), "fieldbus.masterKeyStorePasswordFile");
        char[] password;
        try {
            password = FileDomainKeyStore.readPassword(base.resolve(passwordFile));
        } catch (FieldbusException e) {
            throw new ConfigException("fieldbus.masterKeyStorePasswordFile", e.getMessage(), e);
        }
        try {
            return FileDomainKeyStore.load(base.resolve(store), password);
        } catch (FieldbusException e) {
            throw new ConfigException("fieldbus.masterKeyStore", e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private static Compat masaDialect(String value, String key) throws ConfigException {
        try {
            return Manufacturer.parseMasaDialect(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path base, String file, String key) throws ConfigException {
        try {
            return Pem.readCertificates(base.resolve(file));
        } catch (PkixException e) {
            throw new ConfigException(key, e.getMessage(), e);
        }
    }

    private static String require(String value, String key) throws ConfigException {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, "is required");
        }
        return value;
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static Duration seconds(Integer value, int fallback) {
        return Duration.ofSeconds(value == null ? fallback : value);
    }
}
