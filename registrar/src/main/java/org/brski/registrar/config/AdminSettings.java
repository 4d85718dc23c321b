package org.brski.registrar.config;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The admin REST API listener: a separate HTTPS port that requires a client certificate validating to
 * {@code clientAnchors} (never the domain CA's LDevIDs unless the operator chooses that CA).
 *
 * @param host          interface to bind
 * @param port          port, 0 for ephemeral
 * @param clientAnchors anchors for admin client certificates
 */
public record AdminSettings(String host, int port, List<X509Certificate> clientAnchors) {
    public AdminSettings {
        Objects.requireNonNull(host, "host");
        clientAnchors = List.copyOf(clientAnchors);
        if (clientAnchors.isEmpty()) {
            throw new IllegalArgumentException("the admin API needs at least one client-certificate anchor");
        }
    }
}
