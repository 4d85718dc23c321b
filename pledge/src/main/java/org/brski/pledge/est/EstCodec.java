package org.brski.pledge.est;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.brski.pkix.Certificates;
import org.brski.pkix.Crypto;
import org.brski.pkix.PkixException;
import org.brski.pledge.PledgeException;
import org.brski.pledge.Step;
import org.brski.voucher.VoucherException;
import org.brski.voucher.cms.CmsInput;

/**
 * The EST message formats a pledge handles (RFC 7030 sections 4.1 to 4.5): base64 (or binary) DER bodies
 * (RFC 8951: with or without Content-Transfer-Encoding, line breaks tolerated), certs-only PKCS#7 from
 * {@code /cacerts} and {@code /simpleenroll}, {@code /csrattrs}, and the PKCS#10 request with its key. Every decoder
 * treats its input as hostile: sizes and counts are bounded and every failure is a {@link PledgeException} with reason MALFORMED_RESPONSE.
 */
public final class EstCodec {
    /** Most certificates accepted in one certs-only response. */
    public static final int MAX_CERTIFICATES = 32;
    /** Most entries accepted in a CSR attributes response. */
    public static final int MAX_CSR_ATTRIBUTES = 64;

    /** The notAfter of a certificate without a well-defined expiration date (RFC 5280 section 4.1.2.5). */
    private static final Instant NO_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    private EstCodec() {
    }

    private static PledgeException malformed(Step step, String message) {
        return new PledgeException(step, PledgeException.Reason.MALFORMED_RESPONSE, message);
    }

    private static PledgeException malformed(Step step, String message, Throwable cause) {
        return new PledgeException(step, PledgeException.Reason.MALFORMED_RESPONSE, message, cause);
    }

    /**
     * The DER inside an EST body: base64 text (any line breaks, padding optional), PEM, or binary DER.
     *
     * @throws PledgeException when the body is none of these or is not a DER SEQUENCE
     */
    public static byte[] der(Step step, byte[] body) throws PledgeException {
        try {
            return CmsInput.decode(body);
        } catch (VoucherException e) {
            throw malformed(step, e.getMessage().replace("CMS input", "body"), e);
        }
    }

    /**
     * The certificates of a certs-only CMS SignedData (RFC 7030 section 4.1.3), in encoded order. Signer infos, if
     * any, are ignored: a certs-only response is trusted for what the TLS connection vouches, not for a signature.
     *
     * @throws PledgeException when the body is not such a structure, holds no certificate or too many
     */
    public static List<X509Certificate> certsOnly(Step step, byte[] body) throws PledgeException {
        byte[] der = der(step, body);
        CMSSignedData signed;
        try {
            ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(der));
            if (info == null || !PKCSObjectIdentifiers.signedData.equals(info.getContentType())) {
                throw malformed(step, "not a CMS SignedData (content type "
                        + (info == null ? "absent" : info.getContentType().getId()) + ")");
            }
            signed = new CMSSignedData(info);
        } catch (IOException | CMSException | IllegalArgumentException | ClassCastException e) {
            throw malformed(step, "not a certs-only CMS SignedData: " + e.getMessage(), e);
        }
        Collection<X509CertificateHolder> holders = signed.getCertificates().getMatches(null);
        if (holders.isEmpty()) {
            throw malformed(step, "the certs-only CMS holds no certificate");
        }
        if (holders.size() > MAX_CERTIFICATES) {
            throw malformed(step, "the certs-only CMS holds " + holders.size() + " certificates, more than "
                    + MAX_CERTIFICATES);
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(Crypto.provider());
        List<X509Certificate> certificates = new ArrayList<>();
        for (X509CertificateHolder holder : holders) {
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                throw malformed(step, "a certificate of the certs-only CMS cannot be read: " + e.getMessage(), e);
            }
        }
        return List.copyOf(certificates);
    }

    /**
     * The certificates of an enrollment answer that may be, besides certs-only PKCS#7, a single X.509 certificate
     * (base64 or DER), as nqminds brski answers {@code /simpleenroll}.
     *
     * @throws PledgeException when the body is neither
     */
    public static List<X509Certificate> issuedCertificates(Step step, byte[] body) throws PledgeException {
        byte[] der = der(step, body);
        ASN1Sequence sequence;
        try {
            sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | IllegalArgumentException e) {
            throw malformed(step, "the answer is not DER: " + e.getMessage(), e);
        }
        if (sequence.size() > 0 && sequence.getObjectAt(0) instanceof ASN1ObjectIdentifier) {
            return certsOnly(step, body); // a ContentInfo
        }
        try {
            return List.of(Certificates.fromDer(der));
        } catch (PkixException e) {
            throw malformed(step, "the answer is neither a certificate nor certs-only PKCS#7: " + e.getMessage(), e);
        }
    }

    /**
     * A self-signed X.509 v3 certificate for {@code keys}, the enrollment request of nqminds brski: its signature proves
     * possession of the key; issuer and subject are {@code subject}, valid from {@code now} (whole seconds) to
     * 9999-12-31T23:59:59Z (RFC 5280 4.1.2.5: no well-defined expiration, the registrar decides), basicConstraints
     * CA:FALSE, a random positive 63-bit serial number.
     */
    public static byte[] selfSignedCertificate(X500Name subject, KeyPair keys, Instant now, SecureRandom random) {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE).setBit(62),
                Date.from(now.truncatedTo(ChronoUnit.SECONDS)), Date.from(NO_EXPIRY), subject, keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return builder.build(new JcaContentSignerBuilder(signatureAlgorithm(keys.getPublic()))
                    .setProvider(Crypto.provider()).build(keys.getPrivate())).getEncoded();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign the self-signed certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a {@code /csrattrs} body: {@code CsrAttrs ::= SEQUENCE SIZE (0..MAX) OF AttrOrOID} (RFC 7030 4.5.2).
     *
     * @throws PledgeException when the body is not that structure
     */
    public static CsrAttributes csrAttributes(Step step, byte[] body) throws PledgeException {
        if (body.length == 0) {
            return CsrAttributes.NONE;
        }
        ASN1Sequence sequence;
        try {
            sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der(step, body)));
        } catch (IOException | IllegalArgumentException e) {
            throw malformed(step, "the CSR attributes are not a DER SEQUENCE: " + e.getMessage(), e);
        }
        if (sequence.size() > MAX_CSR_ATTRIBUTES) {
            throw malformed(step, "more than " + MAX_CSR_ATTRIBUTES + " CSR attributes");
        }
        List<ASN1ObjectIdentifier> oids = new ArrayList<>();
        Extensions extensions = null;
        ASN1ObjectIdentifier curve = null;
        try {
            for (ASN1Encodable element : sequence) {
                if (element instanceof ASN1ObjectIdentifier oid) {
                    oids.add(oid);
                    continue;
                }
                Attribute attribute = Attribute.getInstance(element);
                oids.add(attribute.getAttrType());
                ASN1Set values = attribute.getAttrValues();
                if (PKCSObjectIdentifiers.pkcs_9_at_extensionRequest.equals(attribute.getAttrType())
                        && values.size() > 0) {
                    extensions = Extensions.getInstance(values.getObjectAt(0));
                } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(attribute.getAttrType()) && values.size() > 0
                        && values.getObjectAt(0) instanceof ASN1ObjectIdentifier named) {
                    curve = named;
                }
            }
        } catch (IllegalArgumentException | ClassCastException e) {
            throw malformed(step, "a CSR attribute is malformed: " + e.getMessage(), e);
        }
        return new CsrAttributes(oids, Optional.ofNullable(extensions), Optional.ofNullable(curve));
    }

    /** A new EC key pair on the named curve ({@code secp256r1}, {@code secp384r1}) from Bouncy Castle. */
    public static KeyPair generateEc(String curve, SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Crypto.provider());
            generator.initialize(new ECGenParameterSpec(curve), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot generate an EC key on " + curve + ": " + e.getMessage(), e);
        }
    }

    /** A new RSA key pair of {@code bits} from Bouncy Castle. */
    public static KeyPair generateRsa(int bits, SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", Crypto.provider());
            generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot generate a " + bits + "-bit RSA key: " + e.getMessage(), e);
        }
    }

    /** A new key pair of the same type as {@code model}: same curve (P-256 or P-384) or same RSA size. */
    public static KeyPair generateLike(PublicKey model, SecureRandom random) {
        if (model instanceof RSAPublicKey rsa) {
            return generateRsa(Math.max(2048, rsa.getModulus().bitLength()), random);
        }
        ASN1Encodable parameters = SubjectPublicKeyInfo.getInstance(model.getEncoded()).getAlgorithm().getParameters();
        if (SECObjectIdentifiers.secp384r1.equals(parameters)) {
            return generateEc("secp384r1", random);
        }
        if (SECObjectIdentifiers.secp256r1.equals(parameters)) {
            return generateEc("secp256r1", random);
        }
        throw new IllegalArgumentException("unsupported key type " + model.getAlgorithm() + " " + parameters
                + ": only EC P-256, P-384 and RSA are supported");
    }

    /** The signature algorithm for a key: SHA384withECDSA on P-384, SHA256withECDSA on P-256, SHA256withRSA. */
    public static String signatureAlgorithm(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return "SHA256withRSA";
        }
        ASN1Encodable parameters = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm().getParameters();
        return SECObjectIdentifiers.secp384r1.equals(parameters) ? "SHA384withECDSA" : "SHA256withECDSA";
    }

    /**
     * A PKCS#10 request (RFC 2986) for {@code keys} with {@code subject} and, when given, the requested
     * {@code extensions}, signed with the private key (proof of possession).
     */
    public static PKCS10CertificationRequest certificationRequest(X500Name subject, KeyPair keys,
            Optional<Extensions> extensions) {
        JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(subject,
                keys.getPublic());
        extensions.ifPresent(e -> builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, e));
        try {
            return builder.build(new JcaContentSignerBuilder(signatureAlgorithm(keys.getPublic()))
                    .setProvider(Crypto.provider()).build(keys.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign the certification request: " + e.getMessage(), e);
        }
    }

    /** The base64 text of a DER structure, as EST bodies carry it (RFC 7030 section 4, no line breaks). */
    public static byte[] base64(PKCS10CertificationRequest request) {
        try {
            return java.util.Base64.getEncoder().encode(request.toASN1Structure().getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the certification request", e);
        }
    }
}
