package org.brski.registrar.policy;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.PkixException;

/**
 * A manufacturer as the registrar knows it (RFC 8995 sections 5.3, 5.4, 11.5): the CA that issues its IDevIDs, whether
 * it is trusted, how its devices are admitted, the anchors that validate its MASA's vouchers and TLS certificate, and
 * an optional MASA URL that overrides the one in the IDevIDs. Immutable.
 *
 * @param name          operator-chosen unique name
 * @param caCertificate the IDevID-issuing CA (trust anchor for pledges' client certificates)
 * @param trusted       whether its devices may join at all
 * @param mode          auto-accept or hold for approval
 * @param masaAnchors   anchors for the MASA's voucher signature and TLS server certificate; when empty the CA is used
 * @param masaUrl       the MASA base URI replacing the IDevID extension, if configured; normalised like the
 *                      extension (RFC 8995 2.3.2)
 */
public record Manufacturer(String name, X509Certificate caCertificate, boolean trusted, ApprovalMode mode,
        List<X509Certificate> masaAnchors, Optional<URI> masaUrl) {
    /** Longest manufacturer name accepted. */
    public static final int MAX_NAME = 128;

    public Manufacturer {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > MAX_NAME || !name.matches("[A-Za-z0-9._ -]+")) {
            throw new IllegalArgumentException("manufacturer name must be 1-" + MAX_NAME
                    + " characters of letters, digits, '.', '_', '-' or space");
        }
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(mode, "mode");
        masaAnchors = List.copyOf(masaAnchors);
        masaUrl = Objects.requireNonNull(masaUrl, "masaUrl").map(Manufacturer::masaBase);
    }

    /** The same normalisation as the IDevID extension gets: {@code https://host:port} means its BRSKI base. */
    private static URI masaBase(URI uri) {
        try {
            return DeviceCertificates.masaBaseUri(uri.toString());
        } catch (PkixException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A trusted manufacturer in auto mode whose MASA is validated by its own CA. */
    public static Manufacturer trusted(String name, X509Certificate caCertificate) {
        return new Manufacturer(name, caCertificate, true, ApprovalMode.AUTO, List.of(), Optional.empty());
    }

    /** The anchors for the MASA: the configured ones, or the manufacturer CA. */
    public List<X509Certificate> effectiveMasaAnchors() {
        return masaAnchors.isEmpty() ? List.of(caCertificate) : masaAnchors;
    }

    public Manufacturer withTrusted(boolean value) {
        return new Manufacturer(name, caCertificate, value, mode, masaAnchors, masaUrl);
    }

    public Manufacturer withMode(ApprovalMode value) {
        return new Manufacturer(name, caCertificate, trusted, value, masaAnchors, masaUrl);
    }

    public Manufacturer withMasaAnchors(List<X509Certificate> value) {
        return new Manufacturer(name, caCertificate, trusted, mode, value, masaUrl);
    }

    public Manufacturer withMasaUrl(Optional<URI> value) {
        return new Manufacturer(name, caCertificate, trusted, mode, masaAnchors, value);
    }

    /** SHA-256 of the CA certificate, hex: how the store recognises the same CA under another name. */
    public String caFingerprint() {
        return fingerprint(caCertificate);
    }

    /** SHA-256 hex fingerprint of a certificate's DER. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
    }
}
