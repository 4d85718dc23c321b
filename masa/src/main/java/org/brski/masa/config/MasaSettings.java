package org.brski.masa.config;

import java.util.Objects;
import org.brski.masa.voucher.MasaPolicy;
import org.brski.masa.voucher.VoucherSigningKey;
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
 */
public record MasaSettings(String host, int port, TlsIdentity tls, ClientAuth clientAuth,
        VoucherSigningKey signingKey, MasaPolicy policy, DatabaseConfig database, int maxThreads) {
    public MasaSettings {
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
                database, maxThreads);
    }
}
