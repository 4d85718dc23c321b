package org.brski.voucher.cms;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.brski.pkix.Crypto;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherException.Reason;

/**
 * Strict structural parsing shared by {@link CmsVerifier} and {@link CmsInspector}: one ContentInfo with nothing after
 * it, carrying SignedData. Every ASN.1 failure becomes {@link Reason#MALFORMED_CMS}; Bouncy Castle's runtime
 * exceptions never escape.
 */
final class CmsStructure {
    /** Most certificates accepted in one SignedData: a voucher needs a signer and a short chain. */
    static final int MAX_CERTIFICATES = 16;

    final CMSSignedData cms;
    final SignedData signedData;
    /** The SignerInfos, fully decoded. */
    final List<SignerInformation> signers;
    /** The eContentType OID. */
    final String eContentType;
    /** The eContent octets, or null when detached. */
    final byte[] eContent;

    private CmsStructure(CMSSignedData cms, SignedData signedData, List<SignerInformation> signers,
            String eContentType, byte[] eContent) {
        this.cms = cms;
        this.signedData = signedData;
        this.signers = signers;
        this.eContentType = eContentType;
        this.eContent = eContent;
    }

    static CmsStructure parse(byte[] der) throws VoucherException {
        if (der == null || der.length == 0) {
            throw new VoucherException(Reason.MALFORMED_CMS, "CMS input is empty");
        }
        if (der[0] != 0x30) {
            throw new VoucherException(Reason.MALFORMED_CMS, "CMS input does not start with a DER SEQUENCE (first byte 0x"
                    + String.format("%02x", der[0] & 0xff) + "); binary DER is expected, decode base64 or PEM first");
        }
        ASN1Primitive primitive;
        try (ASN1InputStream in = new ASN1InputStream(der)) {
            primitive = in.readObject();
            if (primitive == null) {
                throw new VoucherException(Reason.MALFORMED_CMS, "CMS input holds no ASN.1 object");
            }
            int trailing = in.available();
            if (trailing > 0) {
                throw new VoucherException(Reason.MALFORMED_CMS,
                        "CMS input has " + trailing + " trailing byte(s) after the ContentInfo");
            }
        } catch (IOException | RuntimeException e) {
            throw new VoucherException(Reason.MALFORMED_CMS,
                    "CMS input is not valid DER/BER (truncated or corrupt): " + describe(e), e);
        }
        ContentInfo contentInfo;
        try {
            if (!(primitive instanceof ASN1Sequence)) {
                throw new IllegalArgumentException("ContentInfo must be a SEQUENCE");
            }
            contentInfo = ContentInfo.getInstance(primitive);
        } catch (RuntimeException e) {
            throw new VoucherException(Reason.MALFORMED_CMS, "CMS input is not a ContentInfo: " + describe(e), e);
        }
        if (!CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
            throw new VoucherException(Reason.MALFORMED_CMS,
                    "CMS ContentInfo holds " + contentInfo.getContentType().getId() + ", not SignedData ("
                            + CmsContentTypes.SIGNED_DATA + ")");
        }
        SignedData signedData;
        CMSSignedData cms;
        List<SignerInformation> signers;
        try {
            signedData = SignedData.getInstance(contentInfo.getContent());
            cms = new CMSSignedData(contentInfo);
        } catch (CMSException | RuntimeException e) {
            throw new VoucherException(Reason.MALFORMED_CMS, "CMS SignedData is malformed: " + describe(e), e);
        }
        try {
            // Bouncy Castle decodes lazily: touch every field now, so that a malformed SignerInfo is reported here
            // and not as a runtime exception from deep inside verification.
            signers = List.copyOf(cms.getSignerInfos().getSigners());
            for (SignerInformation signer : signers) {
                signer.getSID();
                signer.getSignedAttributes();
                signer.getUnsignedAttributes();
                signer.getDigestAlgorithmID();
                signer.getEncryptionAlgOID();
                signer.getSignature();
                signer.getContentType();
            }
        } catch (RuntimeException e) {
            throw new VoucherException(Reason.MALFORMED_CMS, "CMS SignerInfo is malformed: " + describe(e), e);
        }
        ASN1Set certificates = signedData.getCertificates();
        if (certificates != null && certificates.size() > MAX_CERTIFICATES) {
            throw new VoucherException(Reason.MALFORMED_CMS, "CMS SignedData carries " + certificates.size()
                    + " certificates, more than the " + MAX_CERTIFICATES + " accepted");
        }
        String eContentType = signedData.getEncapContentInfo().getContentType().getId();
        ASN1Encodable content = signedData.getEncapContentInfo().getContent();
        byte[] eContent = null;
        if (content != null) {
            try {
                eContent = ASN1OctetString.getInstance(content).getOctets();
            } catch (RuntimeException e) {
                throw new VoucherException(Reason.MALFORMED_CMS,
                        "CMS eContent is not an OCTET STRING (RFC 5652 section 5.2)", e);
            }
        }
        return new CmsStructure(cms, signedData, signers, eContentType, eContent);
    }

    /** The embedded X.509 certificates, in encoded order (other certificate choices are skipped). */
    List<X509Certificate> certificates() throws VoucherException {
        ASN1Set set = signedData.getCertificates();
        List<X509Certificate> result = new ArrayList<>();
        if (set == null) {
            return result;
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(Crypto.provider());
        for (ASN1Encodable element : set) {
            if (!(element.toASN1Primitive() instanceof ASN1Sequence)) {
                continue; // attribute certificate or other format: not usable as signer or chain
            }
            try {
                X509Certificate certificate = converter.getCertificate(
                        new X509CertificateHolder(Certificate.getInstance(element)));
                if (certificate.getPublicKey() == null) { // Bouncy Castle's answer for an undecodable key
                    throw new VoucherException(Reason.MALFORMED_CMS, "CMS SignedData carries the certificate '"
                            + name(certificate) + "' whose public key cannot be decoded");
                }
                result.add(certificate);
            } catch (CertificateException | RuntimeException e) {
                throw new VoucherException(Reason.MALFORMED_CMS,
                        "CMS SignedData carries an unparseable certificate: " + describe(e), e);
            }
        }
        return result;
    }

    /**
     * The single value of a signed attribute, empty when absent.
     *
     * @throws VoucherException SIGNED_ATTRIBUTES_MISMATCH when the attribute occurs more than once or has other than
     *     one value (RFC 5652 section 11)
     */
    static Optional<ASN1Primitive> singleValue(AttributeTable table, org.bouncycastle.asn1.ASN1ObjectIdentifier type,
            String name) throws VoucherException {
        if (table == null) {
            return Optional.empty();
        }
        var all = table.getAll(type);
        if (all.size() == 0) {
            return Optional.empty();
        }
        if (all.size() > 1) {
            throw new VoucherException(Reason.SIGNED_ATTRIBUTES_MISMATCH,
                    "signed attributes contain the " + name + " attribute " + all.size() + " times");
        }
        ASN1Set values = Attribute.getInstance(all.get(0)).getAttrValues();
        if (values.size() != 1) {
            throw new VoucherException(Reason.SIGNED_ATTRIBUTES_MISMATCH,
                    "the " + name + " signed attribute has " + values.size() + " values, not one");
        }
        return Optional.of(values.getObjectAt(0).toASN1Primitive());
    }

    /** The signingTime signed attribute, if present and well-formed. */
    static Optional<Instant> signingTime(AttributeTable table) throws VoucherException {
        Optional<ASN1Primitive> value = singleValue(table, CMSAttributes.signingTime, "signingTime");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Time.getInstance(value.get()).getDate().toInstant());
        } catch (RuntimeException e) {
            throw new VoucherException(Reason.SIGNED_ATTRIBUTES_MISMATCH,
                    "the signingTime signed attribute is not a UTCTime or GeneralizedTime", e);
        }
    }

    /** A certificate subject for messages, attribute values readable whatever their string type. */
    static String name(X509Certificate certificate) {
        try {
            return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).toString();
        } catch (RuntimeException e) {
            return certificate.getSubjectX500Principal().getName();
        }
    }

    /** A name from a SignerInfo for messages; never fails (undecodable attribute values are shown as hex DER). */
    static String name(X500Name name) {
        try {
            return name.toString();
        } catch (RuntimeException e) {
            try {
                return "#" + HexFormat.of().formatHex(name.getEncoded(ASN1Encoding.DER));
            } catch (IOException | RuntimeException again) {
                return "(undecodable name)";
            }
        }
    }

    /**
     * A parser failure for a message that may become a problem detail: the library's prose without the Java class
     * names Bouncy Castle and the JDK put in it ("illegal object in getInstance: org.bouncycastle.asn1.DERIA5String").
     */
    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message != null) {
            message = QUALIFIED_EXCEPTION.matcher(message).replaceAll("");
            message = QUALIFIED_NAME.matcher(message).replaceAll("an unexpected element");
            message = SIMPLE_EXCEPTION.matcher(message).replaceAll("").strip();
        }
        return message == null || message.isBlank() ? "undecodable structure" : message;
    }

    private static final Pattern QUALIFIED_EXCEPTION =
            Pattern.compile("\\b(?:org\\.bouncycastle|java|javax|sun)\\.[\\w.$]*(?:Exception|Error)\\b:?\\s*");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("\\b(?:org\\.bouncycastle|java|javax|sun)\\.[\\w.$]+");
    private static final Pattern SIMPLE_EXCEPTION = Pattern.compile("\\b\\w+(?:Exception|Error)\\b:?\\s*");
}
