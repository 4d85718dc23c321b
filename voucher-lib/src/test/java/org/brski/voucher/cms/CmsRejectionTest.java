package org.brski.voucher.cms;

import static org.brski.voucher.cms.CmsTestSupport.VOUCHER_JSON;
import static org.brski.voucher.cms.CmsTestSupport.assertRejected;
import static org.brski.voucher.cms.CmsTestSupport.holders;
import static org.brski.voucher.cms.CmsTestSupport.indexOf;
import static org.brski.voucher.cms.CmsTestSupport.rebuild;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.CollectionStore;
import org.brski.pki.HeldCertificate;
import org.brski.pki.KeyType;
import org.brski.pkix.Crypto;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherException.Reason;
import org.junit.jupiter.api.Test;

/** Every verifier rule has an input that breaks it; each must fail with its own reason. */
class CmsRejectionTest {
    private static final ASN1ObjectIdentifier VOUCHER = new ASN1ObjectIdentifier(CmsContentTypes.ANIMA_JSON_VOUCHER);
    private static final HeldCertificate CA = HeldCertificate.builder().commonName("Rejection CA")
            .certificateAuthority(0).build();
    private static final HeldCertificate SIGNER = HeldCertificate.builder().commonName("Rejection signer")
            .signedBy(CA).build();
    private static final HeldCertificate OTHER = HeldCertificate.builder().commonName("Other signer")
            .signedBy(CA).build();
    private static final CmsVerifier VERIFIER = CmsVerifier.trusting(List.of(CA.certificate()));

    private static byte[] good() {
        return CmsSigner.of(SIGNER.privateKey(), SIGNER.certificate(), SIGNER.issuerChain()).sign(VOUCHER_JSON);
    }

    private static SignerInfoGenerator signerInfo(HeldCertificate signer, String algorithm,
            CMSAttributeTableGenerator signedAttributes, boolean direct) throws Exception {
        JcaSignerInfoGeneratorBuilder builder = new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.provider()).build())
                .setDirectSignature(direct);
        if (signedAttributes != null) {
            builder.setSignedAttributeGenerator(signedAttributes);
        }
        return builder.build(new JcaContentSignerBuilder(algorithm).setProvider(Crypto.provider())
                .build(signer.privateKey()), signer.certificate());
    }

    /** A SignedData made by Bouncy Castle directly, with the given signers. */
    private static byte[] generate(ASN1ObjectIdentifier type, byte[] content, boolean encapsulate,
            boolean certificates, SignerInfoGenerator... signers) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        for (SignerInfoGenerator s : signers) {
            generator.addSignerInfoGenerator(s);
        }
        if (certificates) {
            generator.addCertificates(new CollectionStore<>(holders(SIGNER)));
        }
        CMSSignedData signed = content == null
                ? generator.generate(new CMSAbsentContent())
                : generator.generate(new CMSProcessableByteArray(type, content), encapsulate);
        return signed.getEncoded(ASN1Encoding.DER);
    }

    /** Signed attributes exactly as {@code attributes} says, whatever the content. */
    private static CMSAttributeTableGenerator attributes(boolean contentType, ASN1ObjectIdentifier type,
            boolean messageDigest) {
        return parameters -> {
            Hashtable<ASN1ObjectIdentifier, Attribute> table = new Hashtable<>();
            if (contentType) {
                table.put(CMSAttributes.contentType, new Attribute(CMSAttributes.contentType, new DERSet(type)));
            }
            if (messageDigest) {
                byte[] digest = (byte[]) parameters.get(CMSAttributeTableGenerator.DIGEST);
                table.put(CMSAttributes.messageDigest,
                        new Attribute(CMSAttributes.messageDigest, new DERSet(new DEROctetString(digest))));
            }
            return new AttributeTable(table);
        };
    }

    @Test
    void goodInputVerifies() throws Exception {
        assertArrayEquals(VOUCHER_JSON, VERIFIER.verify(good()).content());
    }

    @Test
    void oversizedInputIsTooLarge() throws Exception {
        byte[] der = good();
        VoucherException e = assertRejected(Reason.TOO_LARGE, () -> VERIFIER.withMaxSize(der.length - 1).verify(der));
        assertTrue(e.getMessage().contains(String.valueOf(der.length)), e.getMessage());
        VERIFIER.withMaxSize(der.length).verify(der);

        byte[] big = new byte[70 * 1024];
        Arrays.fill(big, (byte) ' ');
        byte[] bigDer = CmsSigner.of(SIGNER.privateKey(), SIGNER.certificate(), List.of()).sign(big);
        assertRejected(Reason.TOO_LARGE, () -> VERIFIER.verify(bigDer));
        assertEquals(big.length, VERIFIER.withMaxSize(128 * 1024).verify(bigDer).content().length);
    }

    @Test
    void randomBytesAreMalformed() {
        Random random = new Random(8995);
        for (int i = 0; i < 50; i++) {
            byte[] garbage = new byte[1 + random.nextInt(2000)];
            random.nextBytes(garbage);
            assertRejected(Reason.MALFORMED_CMS, () -> VERIFIER.verify(garbage));
        }
        assertRejected(Reason.MALFORMED_CMS, () -> VERIFIER.verify(new byte[0]));
        assertRejected(Reason.MALFORMED_CMS, () -> VERIFIER.verify(VOUCHER_JSON));
    }

    @Test
    void truncatedDerIsMalformed() throws Exception {
        byte[] der = good();
        for (int length : new int[] {1, 2, 10, der.length / 2, der.length - 1}) {
            byte[] truncated = Arrays.copyOf(der, length);
            assertRejected(Reason.MALFORMED_CMS, () -> VERIFIER.verify(truncated));
        }
    }

    @Test
    void trailingBytesAreMalformed() throws Exception {
        byte[] der = good();
        byte[] trailing = Arrays.copyOf(der, der.length + 2);
        VoucherException e = assertRejected(Reason.MALFORMED_CMS, () -> VERIFIER.verify(trailing));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        byte[] twice = Arrays.copyOf(der, der.length * 2);
        System.arraycopy(der, 0, twice, der.length, der.length);
        assertRejected(Reason.MALFORMED_CMS, () -> VERIFIER.verify(twice));
    }

    @Test
    void otherStructuresAreMalformed() throws Exception {
        byte[] data = new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(VOUCHER_JSON))
                .getEncoded(ASN1Encoding.DER);
        VoucherException e = assertRejected(Reason.MALFORMED_CMS, () -> VERIFIER.verify(data));
        assertTrue(e.getMessage().contains("not SignedData"), e.getMessage());
        // a certificate is a SEQUENCE but no ContentInfo
        assertRejected(Reason.MALFORMED_CMS, () -> VERIFIER.verify(SIGNER.certificate().getEncoded()));
        // an OCTET STRING at top level
        assertRejected(Reason.MALFORMED_CMS,
                () -> VERIFIER.verify(new DEROctetString(good()).getEncoded(ASN1Encoding.DER)));
    }

    @Test
    void eContentThatIsNoOctetStringIsMalformed() {
        byte[] odd = rebuild(good(), sd -> new SignedData(sd.getDigestAlgorithms(),
                new ContentInfo(VOUCHER, new DERUTF8String("{}")), sd.getCertificates(), sd.getCRLs(),
                sd.getSignerInfos()));
        assertRejected(Reason.MALFORMED_CMS, () -> VERIFIER.verify(odd));
    }

    @Test
    void tooManyCertificatesAreMalformed() throws Exception {
        List<X509Certificate> many = new ArrayList<>(List.of(SIGNER.certificate(), CA.certificate()));
        for (int i = 0; i < CmsVerifier.MAX_CERTIFICATES - 1; i++) {
            many.add(HeldCertificate.builder().commonName("filler " + i).build().certificate());
        }
        byte[] stuffed = CmsTestSupport.withCertificates(good(), many);
        VoucherException e = assertRejected(Reason.MALFORMED_CMS, () -> VERIFIER.verify(stuffed));
        assertTrue(e.getMessage().contains("certificates"), e.getMessage());
        byte[] atLimit = CmsTestSupport.withCertificates(good(), many.subList(0, CmsVerifier.MAX_CERTIFICATES));
        assertTrue(VERIFIER.verify(atLimit).trusted());
    }

    @Test
    void detachedSignatureIsRejected() throws Exception {
        byte[] detached = generate(VOUCHER, VOUCHER_JSON, false, true,
                signerInfo(SIGNER, "SHA256withECDSA", null, false));
        VoucherException e = assertRejected(Reason.DETACHED_CONTENT, () -> VERIFIER.verify(detached));
        assertTrue(e.getMessage().contains("detached"), e.getMessage());
    }

    @Test
    void foreignContentTypeIsUnsupported() throws Exception {
        byte[] foreign = CmsSigner.of(SIGNER.privateKey(), SIGNER.certificate(), List.of())
                .withContentType(CmsContentTypes.SIGNED_DATA).sign(VOUCHER_JSON);
        VoucherException e = assertRejected(Reason.UNSUPPORTED_CONTENT_TYPE, () -> VERIFIER.verify(foreign));
        assertTrue(e.getMessage().contains(CmsContentTypes.SIGNED_DATA), e.getMessage());
    }

    @Test
    void noSignerIsRejected() throws Exception {
        byte[] certsOnly = generate(null, null, false, true);
        VoucherException e = assertRejected(Reason.NO_SIGNER, () -> VERIFIER.verify(certsOnly));
        assertTrue(e.getMessage().contains("certificates-only"), e.getMessage());
        byte[] unsignedContent = generate(VOUCHER, VOUCHER_JSON, true, true);
        assertRejected(Reason.NO_SIGNER, () -> VERIFIER.verify(unsignedContent));
    }

    @Test
    void twoSignersAreRejected() throws Exception {
        byte[] two = generate(VOUCHER, VOUCHER_JSON, true, true,
                signerInfo(SIGNER, "SHA256withECDSA", null, false), signerInfo(OTHER, "SHA256withECDSA", null, false));
        assertRejected(Reason.MULTIPLE_SIGNERS, () -> VERIFIER.verify(two));
    }

    @Test
    void missingSignerCertificateIsRejected() throws Exception {
        byte[] bare = generate(VOUCHER, VOUCHER_JSON, true, false,
                signerInfo(SIGNER, "SHA256withECDSA", null, false));
        VoucherException e = assertRejected(Reason.SIGNER_CERTIFICATE_MISSING, () -> VERIFIER.verify(bare));
        assertTrue(e.getMessage().contains("Rejection CA"), "names the signer id: " + e.getMessage());
        assertRejected(Reason.SIGNER_CERTIFICATE_MISSING,
                () -> VERIFIER.withAdditionalCertificates(List.of(OTHER.certificate())).verify(bare));
        // the caller knows the signer certificate out of band
        assertEquals(SIGNER.certificate(),
                VERIFIER.withAdditionalCertificates(List.of(SIGNER.certificate())).verify(bare).signer());
    }

    @Test
    void subjectKeyIdentifierSignerIsMatchedAmongAdditionalCertificates() throws Exception {
        SignerInfoGenerator byKeyId = new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.provider()).build())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Crypto.provider())
                        .build(SIGNER.privateKey()), org.brski.pkix.DeviceCertificates.keyIdentifier(
                                SIGNER.certificate()));
        byte[] der = generate(VOUCHER, VOUCHER_JSON, true, false, byKeyId);
        assertTrue(CmsInspector.inspect(der).signers().get(0).subjectKeyIdentifier().isPresent());
        assertRejected(Reason.SIGNER_CERTIFICATE_MISSING, () -> VERIFIER.verify(der));
        VerifiedContent verified = VERIFIER.withAdditionalCertificates(List.of(OTHER.certificate(),
                SIGNER.certificate())).verify(der);
        assertEquals(SIGNER.certificate(), verified.signer());
        assertTrue(verified.trusted());
    }

    @Test
    void tamperedContentIsBadSignature() throws Exception {
        byte[] der = good();
        int at = indexOf(der, VOUCHER_JSON);
        assertTrue(at > 0);
        der[at + 5] ^= 0x01;
        VoucherException e = assertRejected(Reason.BAD_SIGNATURE, () -> VERIFIER.verify(der));
        assertTrue(e.getMessage().contains("digest"), e.getMessage());
    }

    @Test
    void tamperedSignatureIsBadSignature() throws Exception {
        byte[] der = good();
        SignerInformation si = new CMSSignedData(der).getSignerInfos().iterator().next();
        byte[] signature = si.getSignature();
        int at = indexOf(der, signature);
        der[at + signature.length - 1] ^= 0x01; // last byte of s in the ECDSA SEQUENCE
        assertRejected(Reason.BAD_SIGNATURE, () -> VERIFIER.verify(der));
        assertRejected(Reason.BAD_SIGNATURE, () -> CmsVerifier.signatureOnly().verify(der));
    }

    @Test
    void tamperedSignedAttributesAreBadSignature() throws Exception {
        byte[] der = good();
        // signingTime is a UTCTime: change its seconds digit
        SignerInformation si = new CMSSignedData(der).getSignerInfos().iterator().next();
        byte[] time = si.getSignedAttributes().get(CMSAttributes.signingTime).getAttrValues().getObjectAt(0)
                .toASN1Primitive().getEncoded(ASN1Encoding.DER);
        int at = indexOf(der, time);
        der[at + time.length - 2] = (byte) (der[at + time.length - 2] == '0' ? '1' : '0');
        assertRejected(Reason.BAD_SIGNATURE, () -> VERIFIER.verify(der));
    }

    @Test
    void contentTypeAttributeMismatchIsRejected() throws Exception {
        byte[] mismatch = generate(VOUCHER, VOUCHER_JSON, true, true, signerInfo(SIGNER, "SHA256withECDSA",
                attributes(true, CMSObjectIdentifiers.data, true), false));
        VoucherException e = assertRejected(Reason.SIGNED_ATTRIBUTES_MISMATCH, () -> VERIFIER.verify(mismatch));
        assertTrue(e.getMessage().contains("content-type"), e.getMessage());
    }

    @Test
    void missingContentTypeAttributeIsRejected() throws Exception {
        byte[] missing = generate(VOUCHER, VOUCHER_JSON, true, true, signerInfo(SIGNER, "SHA256withECDSA",
                attributes(false, null, true), false));
        assertRejected(Reason.SIGNED_ATTRIBUTES_MISMATCH, () -> VERIFIER.verify(missing));
    }

    @Test
    void missingMessageDigestAttributeIsRejected() throws Exception {
        byte[] missing = generate(VOUCHER, VOUCHER_JSON, true, true, signerInfo(SIGNER, "SHA256withECDSA",
                attributes(true, VOUCHER, false), false));
        VoucherException e = assertRejected(Reason.SIGNED_ATTRIBUTES_MISMATCH, () -> VERIFIER.verify(missing));
        assertTrue(e.getMessage().contains("message-digest"), e.getMessage());
    }

    @Test
    void duplicateContentTypeAttributeIsRejected() throws Exception {
        CMSAttributeTableGenerator duplicate = parameters -> {
            AttributeTable base = new DefaultSignedAttributeTableGenerator().getAttributes(parameters);
            return base.add(CMSAttributes.contentType, VOUCHER);
        };
        byte[] der = generate(VOUCHER, VOUCHER_JSON, true, true, signerInfo(SIGNER, "SHA256withECDSA", duplicate,
                false));
        assertRejected(Reason.SIGNED_ATTRIBUTES_MISMATCH, () -> VERIFIER.verify(der));
    }

    @Test
    void noSignedAttributesOnlyForIdData() throws Exception {
        byte[] dataDirect = generate(CMSObjectIdentifiers.data, VOUCHER_JSON, true, true,
                signerInfo(SIGNER, "SHA256withECDSA", null, true));
        // Bouncy Castle refuses to generate this (RFC 5652 5.3), so relabel the content: the signature stays valid
        byte[] voucherDirect = rebuild(dataDirect, sd -> new SignedData(sd.getDigestAlgorithms(),
                new ContentInfo(VOUCHER, sd.getEncapContentInfo().getContent()), sd.getCertificates(), sd.getCRLs(),
                sd.getSignerInfos()));
        VoucherException e = assertRejected(Reason.SIGNED_ATTRIBUTES_MISMATCH, () -> VERIFIER.verify(voucherDirect));
        assertTrue(e.getMessage().contains("no signed attributes"), e.getMessage());

        VerifiedContent verified = VERIFIER.verify(dataDirect);
        assertArrayEquals(VOUCHER_JSON, verified.content());
        assertTrue(verified.signingTime().isEmpty());

        int at = indexOf(dataDirect, VOUCHER_JSON);
        dataDirect[at] ^= 0x01;
        assertRejected(Reason.BAD_SIGNATURE, () -> VERIFIER.verify(dataDirect));
    }

    @Test
    void bouncyCastleDefaultAttributesVerify() throws Exception {
        // BC adds a CMSAlgorithmProtection attribute (RFC 6211) by default: extra signed attributes are fine
        byte[] der = generate(VOUCHER, VOUCHER_JSON, true, true, signerInfo(SIGNER, "SHA256withECDSA", null, false));
        assertArrayEquals(VOUCHER_JSON, VERIFIER.verify(der).content());
    }

    @Test
    void weakDigestIsRejected() throws Exception {
        byte[] sha1 = generate(VOUCHER, VOUCHER_JSON, true, true, signerInfo(SIGNER, "SHA1withECDSA", null, false));
        VoucherException e = assertRejected(Reason.BAD_SIGNATURE, () -> VERIFIER.verify(sha1));
        assertTrue(e.getMessage().contains("1.3.14.3.2.26"), e.getMessage());
        byte[] sha512 = generate(VOUCHER, VOUCHER_JSON, true, true,
                signerInfo(SIGNER, "SHA512withECDSA", null, false));
        assertArrayEquals(VOUCHER_JSON, VERIFIER.verify(sha512).content());
    }

    @Test
    void rsaKeyForP256CertificateDoesNotVerify() throws Exception {
        // the SignerInfo names SIGNER, but the signature was made with another key
        HeldCertificate rsa = HeldCertificate.builder().keyType(KeyType.RSA2048).signedBy(CA).build();
        SignerInfoGenerator wrongKey = new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.provider()).build())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Crypto.provider())
                        .build(OTHER.privateKey()), SIGNER.certificate());
        byte[] der = generate(VOUCHER, VOUCHER_JSON, true, true, wrongKey);
        assertRejected(Reason.BAD_SIGNATURE, () -> VERIFIER.verify(der));
        assertRejected(Reason.BAD_SIGNATURE, () -> VERIFIER.withAdditionalCertificates(List.of(rsa.certificate(),
                OTHER.certificate())).verify(der));
    }

    @Test
    void reasonsMapToProblems() {
        VoucherException e = assertRejected(Reason.MALFORMED_CMS, () -> VERIFIER.verify(new byte[] {1, 2, 3}));
        assertEquals(400, e.problem().status());
        assertEquals("urn:brski:problem:malformed-cms", e.problem().type());
    }
}
