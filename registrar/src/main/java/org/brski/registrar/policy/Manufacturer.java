package org.brski.registrar.policy;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.PkixException;
import org.brski.server.config.Compat;

/**
 * A manufacturer as the registrar knows it (RFC 8995 sections 5.3, 5.4, 11.5): the CA that issues its IDevIDs, whether
 * it is trusted, how its devices are admitted, the anchors that validate its MASA's vouchers and TLS certificate, and
 * an optional MASA URL that overrides the one in the IDevIDs, and the dialect its MASA speaks. Immutable.
 *
 * @param name          operator-chosen unique name
 * @param caCertificate the IDevID-issuing CA (trust anchor for pledges' client certificates)
 * @param trusted       whether its devices may join at all
 * @param mode          auto-accept or hold for approval
 * @param masaAnchors   anchors for the MASA's voucher signature and TLS server certificate; when empty the CA is used
 * @param masaUrl       the MASA base URI replacing the IDevID extension, if configured; normalised like the
 *                      extension (RFC 8995 2.3.2)
 * @param masaDialect   how its MASA is spoken to: {@link Compat#NONE} (RFC 8995: binary DER bodies, named
 *                      {@code rfc8995}) or {@link Compat#NQMINDS} (nqminds brski: the registrar voucher-request is
 *                      posted as base64, a base64 or {@code text/plain} answer and a voucher without {@code created-on}
 *                      are accepted; every signature and leaf is still verified)
 */
public record Manufacturer(String name, X509Certificate caCertificate, boolean trusted, ApprovalMode mode,
        List<X509Certificate> masaAnchors, Optional<URI> masaUrl, Compat masaDialect) {
    /** Longest manufacturer name accepted. */
    public static final int MAX_NAME = 128;
    /** Longest MASA base URI accepted, after normalisation (the stored column's size). */
    public static final int MAX_MASA_URL = 2048;

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
        if (masaUrl.isPresent() && masaUrl.get().toString().length() > MAX_MASA_URL) {
            throw new IllegalArgumentException("masaUrl is longer than " + MAX_MASA_URL + " characters (after"
                    + " normalisation to its /.well-known/brski base)");
        }
        Objects.requireNonNull(masaDialect, "masaDialect");
    }

    /** A manufacturer whose MASA speaks RFC 8995 as written. */
    public Manufacturer(String name, X509Certificate caCertificate, boolean trusted, ApprovalMode mode,
            List<X509Certificate> masaAnchors, Optional<URI> masaUrl) {
        this(name, caCertificate, trusted, mode, masaAnchors, masaUrl, Compat.NONE);
    }

    /** The values {@link #parseMasaDialect} accepts, for messages and help texts. */
    public static final String MASA_DIALECTS = "rfc8995 or nqminds";

    /**
     * The MASA dialect named {@code value}: {@code rfc8995} (also {@code none}) or {@code nqminds}, case-insensitive;
     * null or blank is {@code rfc8995}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Compat parseMasaDialect(String value) {
        if (value == null || value.isBlank()) {
            return Compat.NONE;
        }
        String name = value.trim().toLowerCase(Locale.ROOT);
        if (name.equals("rfc8995")) {
            return Compat.NONE;
        }
        try {
            return Compat.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("masaDialect must be " + MASA_DIALECTS + ", not '"
                    + (name.length() > 32 ? name.substring(0, 32) + "..." : name) + "'", e);
        }
    }

    /** The name of a MASA dialect as configuration files, the CLI, the admin API and the database spell it. */
    public static String masaDialectName(Compat dialect) {
        return dialect == Compat.NONE ? "rfc8995" : dialect.configName();
    }

    /** The same normalisation as the IDevID extension gets: {@code https://host:port} means its BRSKI base. */
    private static URI masaBase(URI uri) {
        if (uri.toString().length() > MAX_MASA_URL) {
            throw new IllegalArgumentException("masaUrl is longer than " + MAX_MASA_URL + " characters");
        }
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
        return new Manufacturer(name, caCertificate, value, mode, masaAnchors, masaUrl, masaDialect);
    }

    public Manufacturer withMode(ApprovalMode value) {
        return new Manufacturer(name, caCertificate, trusted, value, masaAnchors, masaUrl, masaDialect);
    }

    public Manufacturer withMasaAnchors(List<X509Certificate> value) {
        return new Manufacturer(name, caCertificate, trusted, mode, value, masaUrl, masaDialect);
    }

    public Manufacturer withMasaUrl(Optional<URI> value) {
        return new Manufacturer(name, caCertificate, trusted, mode, masaAnchors, value, masaDialect);
    }

    /** The same manufacturer whose MASA speaks {@code value} ({@link Compat#NQMINDS}: base64 bodies, lenient answers). */
    public Manufacturer withMasaDialect(Compat value) {
        return new Manufacturer(name, caCertificate, trusted, mode, masaAnchors, masaUrl, value);
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
