package org.brski.registrar.store;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * An LDevID this registrar issued (RFC 8995 section 5.9.3), remembered so that re-enrollment can recognise it.
 *
 * @param serial      the device serial-number
 * @param certificate the issued certificate
 * @param issuedAt    when it was issued
 */
public record IssuedCertificate(String serial, X509Certificate certificate, Instant issuedAt) {
    public IssuedCertificate {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }
}
