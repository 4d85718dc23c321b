package org.brski.masa.config;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.brski.masa.voucher.MasaPolicy;
import org.brski.masa.voucher.VoucherSigningKey;
import org.brski.server.ConnectionLimits;
import org.brski.server.config.Compat;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.tls.ClientAuth;
import org.brski.server.tls.TlsIdentity;

/**
 * Everything a running MASA needs, loaded and checked: what {@link MasaConfig#resolve} makes of a configuration file,
 * or what tests build directly.
 *
 * @param host interface to bind
 * @param port port to bind (0: ephemeral)
 * @param tls the MASA's TLS server identity (RFC 8995 section 5.4)
 * @param clientAuth how registrar TLS client certificates are requested (section 5.4.1)
 * @param signingKey the voucher-signing key (section 5.6)
 * @param policy the issuance policy
 * @param database where devices and the audit log live
 * @param maxThreads HTTP worker threads
 * @param limits the slow-client limits of the listener
 * @param metricsAnchors {@code GET /metrics} is served to TLS clients whose certificate validates to one of these;
 *     empty: not served
 */
public record MasaSettings(String host, int port, TlsIdentity tls, ClientAuth clientAuth,
        VoucherSigningKey signingKey, MasaPolicy policy, DatabaseConfig database, int maxThreads,
        ConnectionLimits limits, List<X509Certificate> metricsAnchors) {
    /** Settings with the default slow-client limits and {@code /metrics} not served. */
    public MasaSettings(String host, int port, TlsIdentity tls, ClientAuth clientAuth, VoucherSigningKey signingKey,
            MasaPolicy policy, DatabaseConfig database, int maxThreads) {
        this(host, port, tls, clientAuth, signingKey, policy, database, maxThreads, ConnectionLimits.defaults(),
                List.of());
    }

    public MasaSettings {
        Objects.requireNonNull(limits, "limits");
        metricsAnchors = List.copyOf(metricsAnchors);
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(database, "database");
    }

    /** The peer dialect accepted besides RFC 8995 (held by the policy). */
    public Compat compat() {
        return policy.compat();
    }

    /** The same settings accepting {@code compat} (e.g. {@link Compat#NQMINDS}). */
    public MasaSettings withCompat(Compat compat) {
        return new MasaSettings(host, port, tls, clientAuth, signingKey, policy.toBuilder().compat(compat).build(),
                database, maxThreads, limits, metricsAnchors);
    }

    /** The same settings with other slow-client limits. */
    public MasaSettings withLimits(ConnectionLimits value) {
        return new MasaSettings(host, port, tls, clientAuth, signingKey, policy, database, maxThreads, value,
                metricsAnchors);
    }

    /** The same settings serving {@code GET /metrics} to TLS clients whose certificate validates to {@code anchors}. */
    public MasaSettings withMetricsAnchors(List<X509Certificate> anchors) {
        return new MasaSettings(host, port, tls, clientAuth, signingKey, policy, database, maxThreads, limits,
                anchors);
    }
}
