package org.brski.pkix;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * What BRSKI reads from device and registrar certificates.
 *
 * <p>Attribute values are compared as strings, never as whole DNs: the same device's IDevIDs may encode the X520
 * serialNumber as PrintableString in one certificate and UTF8String in another (RFC 8995 Appendix C shows both).
 */
public final class DeviceCertificates {
    /** id-pe-masa-url, the MASA URI extension of an IDevID (RFC 8995 section 2.3.2). */
    public static final String MASA_URL_OID = "1.3.6.1.5.5.7.1.32";
    /** id-kp-cmcRA, the EKU a registrar's voucher-request signing certificate carries (RFC 8995 section 5.5). */
    public static final String ID_KP_CMC_RA = "1.3.6.1.5.5.7.3.28";
    /** id-kp-serverAuth. */
    public static final String ID_KP_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    /** id-kp-clientAuth. */
    public static final String ID_KP_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private DeviceCertificates() {
    }

    /**
     * The X520 serialNumber attribute of the subject, which is the pledge's serial-number (RFC 8995 section 2.3.1),
     * whatever ASN.1 string type encodes it.
     */
    public static Optional<String> serialNumber(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.SERIALNUMBER)) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (atv.getType().equals(BCStyle.SERIALNUMBER) && atv.getValue() instanceof ASN1String s) {
                    return Optional.of(s.getString());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A readable RFC 4514 form of a name that spells attribute types by name ({@code SERIALNUMBER=...}) whatever
     * string type encodes them, unlike {@link X500Principal#getName()} which hex-dumps UTF8String serial numbers.
     */
    public static String displayName(X500Principal name) {
        return X500Name.getInstance(name.getEncoded()).toString();
    }

    /** The raw value of the MASA URI extension (IA5String, may lack a scheme), if present. */
    public static Optional<String> masaUrl(X509Certificate certificate) throws PkixException {
        byte[] extension = certificate.getExtensionValue(MASA_URL_OID);
        if (extension == null) {
            return Optional.empty();
        }
        try {
            ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extension).getOctets());
            return Optional.of(ASN1IA5String.getInstance(inner).getString());
        } catch (IOException | IllegalArgumentException e) {
            throw new PkixException("MASA URI extension is not an IA5String", e);
        }
    }

    /**
     * The MASA base URI ({@code https://authority[/path]/.well-known/brski}) from the extension: an authority without a
     * scheme gets {@code https://} (RFC 8995 section 2.3.2).
     */
    public static Optional<URI> masaBaseUri(X509Certificate certificate) throws PkixException {
        Optional<String> raw = masaUrl(certificate);
        return raw.isEmpty() ? Optional.empty() : Optional.of(masaBaseUri(raw.get()));
    }

    /**
     * Normalises a configured or extension MASA URI to the BRSKI base {@code https://authority[/path]/.well-known/brski}
     * (RFC 8995 section 2.3.2): a bare authority gets {@code https://}, a missing well-known suffix is appended.
     */
    public static URI masaBaseUri(String masaUri) throws PkixException {
        String value = masaUri.trim();
        String withScheme = value.contains("://") ? value : "https://" + value;
        try {
            URI uri = new URI(withScheme);
            if (uri.getHost() == null || !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new PkixException("MASA URI is not an https URI with a host: " + value);
            }
            String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
            if (!path.endsWith("/.well-known/brski")) {
                path = path + "/.well-known/brski";
            }
            return new URI("https", uri.getRawAuthority(), path, null, null);
        } catch (URISyntaxException e) {
            throw new PkixException("MASA URI is malformed: " + value, e);
        }
    }

    /** Whether the certificate lists the given extended key usage. */
    public static boolean hasExtendedKeyUsage(X509Certificate certificate, String oid) {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            return usages != null && usages.contains(oid);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /**
     * The certificate's key identifier: its subjectKeyIdentifier extension, or else the RFC 5280 section 4.2.1.2
     * method 1 value (SHA-1 of the subjectPublicKey bits), as field registrar certificates may lack the extension.
     */
    public static byte[] keyIdentifier(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
        }
        return spkiKeyIdentifier(certificate);
    }

    /**
     * The keyIdentifier of the AuthorityKeyIdentifier extension: the issuer's key identifier, which a registrar sends
     * as {@code idevid-issuer} (RFC 8995 section 5.5).
     */
    public static Optional<byte[]> authorityKeyIdentifier(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (extension == null) {
            return Optional.empty();
        }
        try {
            AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(
                    ASN1OctetString.getInstance(extension).getOctets());
            return Optional.ofNullable(aki.getKeyIdentifierObject()).map(ASN1OctetString::getOctets);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** RFC 5280 method 1: SHA-1 over the subjectPublicKey BIT STRING value, regardless of any SKI extension. */
    public static byte[] spkiKeyIdentifier(X509Certificate certificate) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
        return digest("SHA-1", spki.getPublicKeyData().getBytes());
    }

    /** SHA-256 over the whole DER SubjectPublicKeyInfo, a stable fingerprint of a key. */
    public static byte[] spkiSha256(X509Certificate certificate) {
        return digest("SHA-256", certificate.getPublicKey().getEncoded());
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by the Java platform", e);
        }
    }
}
