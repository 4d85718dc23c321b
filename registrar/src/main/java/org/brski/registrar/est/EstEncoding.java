package org.brski.registrar.est;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.util.CollectionStore;
import org.brski.registrar.RegistrarException;

/**
 * EST wire formats (RFC 7030 sections 4.1.3, 4.2.3, 4.5.2; RFC 8951): certs-only CMS SignedData, base64 bodies with
 * line breaks on output and tolerated (with or without {@code Content-Transfer-Encoding: base64}) on input.
 */
public final class EstEncoding {
    /** Media type of certs-only PKCS#7 answers (RFC 7030 4.1.3, 4.2.3). */
    public static final String CERTS_ONLY = "application/pkcs7-mime; smime-type=certs-only";
    /** Media type of CSRs (RFC 7030 4.2.1). */
    public static final String PKCS10 = "application/pkcs10";
    /** Media type of CSR attributes (RFC 7030 4.5.2). */
    public static final String CSRATTRS = "application/csrattrs";
    /** Media type of a server-generated private key (RFC 7030 4.4.2). */
    public static final String PKCS8 = "application/pkcs8";

    private EstEncoding() {
    }

    /** DER of a degenerate SignedData holding {@code certificates} (no signers, no content). */
    public static byte[] certsOnly(List<X509Certificate> certificates) {
        try {
            List<X509CertificateHolder> holders = new ArrayList<>();
            for (X509Certificate c : certificates) {
                holders.add(new JcaX509CertificateHolder(c));
            }
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new CollectionStore<>(holders));
            return generator.generate(new CMSAbsentContent()).getEncoded(ASN1Encoding.DER);
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("cannot encode certs-only PKCS#7", e);
        }
    }

    /** Base64 text with 64-character lines, as EST answers (RFC 8951 section 3). */
    public static byte[] base64(byte[] der) {
        String text = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The DER inside an EST request body: base64 (whitespace and line breaks ignored, RFC 8951), PEM armour
     * tolerated, or binary DER as some clients send.
     *
     * @throws RegistrarException 400 when the body is none of these
     */
    public static byte[] decodeBody(byte[] body, String what) throws RegistrarException {
        if (body.length == 0) {
            throw RegistrarException.badRequest("empty-body", what + " is empty");
        }
        if (isDer(body)) {
            return body.clone();
        }
        String text = new String(body, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN ");
        if (begin >= 0) {
            int bodyStart = text.indexOf("-----", begin + 11);
            int end = text.indexOf("-----END ", bodyStart + 5);
            if (bodyStart < 0 || end < 0) {
                throw RegistrarException.badRequest("malformed-body", what + " has broken PEM armour");
            }
            text = text.substring(bodyStart + 5, end);
        }
        StringBuilder compact = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                compact.append(c);
            }
        }
        try {
            String data = compact.toString();
            byte[] der = data.indexOf('-') >= 0 || data.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(data) : Base64.getDecoder().decode(data);
            if (der.length == 0 || der[0] != 0x30) {
                throw RegistrarException.badRequest("malformed-body", what + " does not decode to DER");
            }
            return der;
        } catch (IllegalArgumentException e) {
            throw RegistrarException.badRequest("malformed-body", what + " is not base64 (RFC 8951)");
        }
    }

    private static boolean isDer(byte[] input) {
        if (input.length < 2 || input[0] != 0x30) {
            return false;
        }
        int first = input[1] & 0xff;
        if (first < 0x80) {
            return 2 + first == input.length;
        }
        int count = first & 0x7f;
        if (count == 0 || count > 4 || input.length < 2 + count) {
            return false;
        }
        long length = 0;
        for (int i = 0; i < count; i++) {
            length = (length << 8) | (input[2 + i] & 0xff);
        }
        return 2L + count + length == input.length;
    }

    /**
     * The CSR attributes this registrar wants (RFC 7030 4.5.2): ecdsa-with-SHA256 signatures, an EC P-256 key, and the
     * subject serialNumber (which the LDevID keeps from the IDevID).
     */
    public static byte[] csrAttributes() {
        ASN1EncodableVector attrs = new ASN1EncodableVector();
        attrs.add(X9ObjectIdentifiers.ecdsa_with_SHA256);
        attrs.add(new Attribute(X9ObjectIdentifiers.id_ecPublicKey,
                new DERSet(new ASN1Encodable[] {SECObjectIdentifiers.secp256r1})));
        attrs.add(BCStyle.SERIALNUMBER);
        try {
            return new DERSequence(attrs).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode CSR attributes", e);
        }
    }
}
