package org.brski.voucher.cms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.CollectionStore;
import org.brski.pkix.Crypto;

/**
 * Signs voucher and voucher-request JSON as a CMS SignedData (RFC 8366 section 5.3, RFC 8995 section 3): DER
 * ContentInfo, encapsulated content, one SignerInfo identified by issuerAndSerialNumber, signed attributes contentType,
 * signingTime and messageDigest (and nothing else), the signer certificate plus the optional chain in
 * {@code certificates}.
 *
 * <p>The eContentType is {@link CmsContentTypes#ANIMA_JSON_VOUCHER} unless {@link #withContentType(String)} chooses
 * another (e.g. {@link CmsContentTypes#DATA} for peers that expect what RFC 8995 Appendix C shows). The signature
 * algorithm follows the key: EC P-256 signs with SHA256withECDSA, EC P-384 with SHA384withECDSA, RSA (2048 bits or
 * more) with SHA256withRSA; other keys are refused when the signer is created.
 *
 * <p>Instances are immutable and thread-safe: one signer may be shared by every thread of a service. Each call to
 * {@link #sign(byte[])} builds its own Bouncy Castle generator; only the {@link SecureRandom} (itself thread-safe) and
 * immutable certificate holders are shared.
 */
public final class CmsSigner {
    private static final ASN1ObjectIdentifier P256 = SECObjectIdentifiers.secp256r1;
    private static final ASN1ObjectIdentifier P384 = SECObjectIdentifiers.secp384r1;
    private static final int MIN_RSA_BITS = 2048;

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final List<X509Certificate> chain;
    private final List<X509CertificateHolder> holders;
    private final String signatureAlgorithm;
    private final ASN1ObjectIdentifier contentType;
    private final Clock clock;
    private final SecureRandom random;

    private CmsSigner(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain,
            List<X509CertificateHolder> holders, String signatureAlgorithm, ASN1ObjectIdentifier contentType,
            Clock clock, SecureRandom random) {
        this.key = key;
        this.certificate = certificate;
        this.chain = chain;
        this.holders = holders;
        this.signatureAlgorithm = signatureAlgorithm;
        this.contentType = contentType;
        this.clock = clock;
        this.random = random;
    }

    /**
     * A signer for {@code key}, whose public half is in {@code signerCert}.
     *
     * @param chain certificates to embed after the signer certificate (intermediates, optionally the CA), in order; may
     *     be empty. A repetition of the signer certificate is dropped.
     * @throws IllegalArgumentException when the key is not EC P-256, EC P-384 or RSA of at least 2048 bits, or does not
     *     belong to {@code signerCert}
     */
    public static CmsSigner of(PrivateKey key, X509Certificate signerCert, List<X509Certificate> chain) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(signerCert, "signerCert");
        Objects.requireNonNull(chain, "chain");
        String algorithm = signatureAlgorithmFor(key, signerCert);
        List<X509Certificate> chainCopy = new ArrayList<>();
        List<X509CertificateHolder> holders = new ArrayList<>();
        try {
            holders.add(new JcaX509CertificateHolder(signerCert));
            for (X509Certificate c : chain) {
                Objects.requireNonNull(c, "chain element");
                if (c.equals(signerCert) || chainCopy.contains(c)) {
                    continue;
                }
                chainCopy.add(c);
                holders.add(new JcaX509CertificateHolder(c));
            }
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
        SecureRandom random = Crypto.newSecureRandom();
        checkKeyMatches(key, signerCert, algorithm, random);
        return new CmsSigner(key, signerCert, List.copyOf(chainCopy), List.copyOf(holders), algorithm,
                new ASN1ObjectIdentifier(CmsContentTypes.ANIMA_JSON_VOUCHER), Clock.systemUTC(), random);
    }

    /**
     * The same signer emitting another eContentType, typically {@link CmsContentTypes#DATA} for compatibility.
     *
     * @throws IllegalArgumentException when {@code oid} is not a valid object identifier
     */
    public CmsSigner withContentType(String oid) {
        Objects.requireNonNull(oid, "oid");
        ASN1ObjectIdentifier type;
        try {
            type = new ASN1ObjectIdentifier(oid);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an object identifier: " + oid, e);
        }
        return new CmsSigner(key, certificate, chain, holders, signatureAlgorithm, type, clock, random);
    }

    /** The same signer taking signingTime from {@code clock} (for reproducible tests; default: the system clock). */
    public CmsSigner withClock(Clock clock) {
        return new CmsSigner(key, certificate, chain, holders, signatureAlgorithm, contentType,
                Objects.requireNonNull(clock, "clock"), random);
    }

    /** The eContentType OID this signer emits. */
    public String contentType() {
        return contentType.getId();
    }

    /** The JCA signature algorithm chosen from the key, e.g. {@code SHA256withECDSA}. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** The signer certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificates embedded after the signer certificate. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * Signs {@code content} (the voucher JSON bytes, unchanged) and returns the DER encoded ContentInfo.
     *
     * @throws IllegalStateException when the key refuses to sign (e.g. a hardware key that went away)
     */
    public byte[] sign(byte[] content) {
        Objects.requireNonNull(content, "content");
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder(signatureAlgorithm)
                    .setProvider(Crypto.provider())
                    .setSecureRandom(random)
                    .build(key);
            DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder()
                    .setProvider(Crypto.provider())
                    .build();
            SignerInfoGenerator signerInfo = new JcaSignerInfoGeneratorBuilder(digests)
                    .setSignedAttributeGenerator(new VoucherSignedAttributes(contentType, Date.from(clock.instant())))
                    .build(contentSigner, holders.get(0));
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signerInfo);
            generator.addCertificates(new CollectionStore<>(holders));
            CMSSignedData signed = generator.generate(new CMSProcessableByteArray(contentType, content), true);
            return signed.getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | IOException e) {
            throw new IllegalStateException("CMS signing failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CmsSigner[" + CmsStructure.name(certificate) + ", " + signatureAlgorithm + ", "
                + contentType.getId() + "]";
    }

    private static String signatureAlgorithmFor(PrivateKey key, X509Certificate certificate) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
        ASN1ObjectIdentifier keyAlgorithm = spki.getAlgorithm().getAlgorithm();
        String privateAlgorithm = key.getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(keyAlgorithm)) {
            if (!"EC".equalsIgnoreCase(privateAlgorithm) && !"ECDSA".equalsIgnoreCase(privateAlgorithm)) {
                throw new IllegalArgumentException("certificate holds an EC key but the private key is "
                        + privateAlgorithm);
            }
            Object parameters = spki.getAlgorithm().getParameters();
            if (P256.equals(parameters)) {
                return "SHA256withECDSA";
            }
            if (P384.equals(parameters)) {
                return "SHA384withECDSA";
            }
            throw new IllegalArgumentException("unsupported EC curve " + parameters
                    + ": only P-256 and P-384 (named curves) are supported");
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(keyAlgorithm)) {
            if (!"RSA".equalsIgnoreCase(privateAlgorithm)) {
                throw new IllegalArgumentException("certificate holds an RSA key but the private key is "
                        + privateAlgorithm);
            }
            if (certificate.getPublicKey() instanceof RSAKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new IllegalArgumentException("RSA key of " + rsa.getModulus().bitLength()
                        + " bits is too short; at least " + MIN_RSA_BITS + " are required");
            }
            return "SHA256withRSA";
        }
        throw new IllegalArgumentException("unsupported signer key algorithm " + keyAlgorithm.getId() + " ("
                + privateAlgorithm + "): only EC P-256, EC P-384 and RSA are supported");
    }

    /** Fails fast when the private key does not belong to the certificate, instead of emitting unverifiable CMS. */
    private static void checkKeyMatches(PrivateKey key, X509Certificate certificate, String algorithm,
            SecureRandom random) {
        byte[] probe = "brski cms signer key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm, Crypto.provider());
            signer.initSign(key, random);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, Crypto.provider());
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("private key cannot sign with " + algorithm + ": " + e.getMessage(), e);
        }
        if (!matches) {
            throw new IllegalArgumentException("private key does not belong to the signer certificate "
                    + CmsStructure.name(certificate));
        }
    }

    /** Exactly contentType, signingTime and messageDigest, as RFC 8995 Appendix C shows (no algorithm protection). */
    private static final class VoucherSignedAttributes implements CMSAttributeTableGenerator {
        private final ASN1ObjectIdentifier contentType;
        private final Date signingTime;

        VoucherSignedAttributes(ASN1ObjectIdentifier contentType, Date signingTime) {
            this.contentType = contentType;
            this.signingTime = signingTime;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public AttributeTable getAttributes(Map parameters) {
            byte[] digest = (byte[]) parameters.get(CMSAttributeTableGenerator.DIGEST);
            Hashtable table = new Hashtable();
            table.put(CMSAttributes.contentType, new Attribute(CMSAttributes.contentType, new DERSet(contentType)));
            table.put(CMSAttributes.signingTime,
                    new Attribute(CMSAttributes.signingTime, new DERSet(new Time(signingTime))));
            table.put(CMSAttributes.messageDigest,
                    new Attribute(CMSAttributes.messageDigest, new DERSet(new DEROctetString(digest))));
            return new AttributeTable(table);
        }
    }
}
