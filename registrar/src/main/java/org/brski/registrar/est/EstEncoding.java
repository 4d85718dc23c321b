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
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.CollectionStore;
import org.brski.registrar.RegistrarException;
import org.brski.voucher.VoucherException;
import org.brski.voucher.cms.CmsInput;

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
        try {
            return CmsInput.decodeDer(body, what);
        } catch (VoucherException e) {
            throw RegistrarException.badRequest("malformed-body",
                    e.getMessage() + "; EST bodies are base64 DER (RFC 8951)");
        }
    }

    /**
     * The PKCS#10 CSR in an EST request body (RFC 7030 4.2.1, RFC 2986), its signature not yet checked.
     *
     * @throws RegistrarException 400 {@code malformed-body} or {@code malformed-csr}, described as PKCS#10
     */
    public static PKCS10CertificationRequest pkcs10(byte[] body) throws RegistrarException {
        byte[] der = decodeBody(body, "PKCS#10 CSR");
        try {
            PKCS10CertificationRequest csr = new PKCS10CertificationRequest(der);
            // BC decodes some parts lazily: read every part the checks use now, so a malformed one is a 400 here
            csr.getSubject().getRDNs();
            csr.getSubjectPublicKeyInfo().getAlgorithm();
            csr.getAttributes();
            return csr;
        } catch (IOException | RuntimeException e) {
            throw RegistrarException.badRequest("malformed-csr",
                    "the body is not a PKCS#10 CertificationRequest (RFC 2986)");
        }
    }

    /**
     * The CSR attributes this registrar wants (RFC 7030 4.5.2): ecdsa-with-SHA256 signatures, an EC P-256 key, the
     * subject serialNumber (which the LDevID keeps from the IDevID) and, when {@code popLinking}, challengePassword:
     * the TLS channel binding that links the CSR to the connection (RFC 7030 3.5).
     */
    public static byte[] csrAttributes(boolean popLinking) {
        ASN1EncodableVector attrs = new ASN1EncodableVector();
        if (popLinking) {
            attrs.add(PKCSObjectIdentifiers.pkcs_9_at_challengePassword);
        }
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
