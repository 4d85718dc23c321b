package org.brski.voucher.cms;

import static org.brski.voucher.cms.CmsTestSupport.VOUCHER_JSON;
import static org.brski.voucher.cms.CmsTestSupport.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.brski.pki.HeldCertificate;
import org.brski.pki.KeyType;
import org.brski.pkix.Crypto;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sign with {@link CmsSigner}, verify with {@link CmsVerifier}, for every supported key type. */
class CmsRoundTripTest {
    private static final Instant T1 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Map<KeyType, HeldCertificate[]> PKI = new EnumMap<>(KeyType.class);

    /** A root CA valid 2020..2040 and a signer valid [T1, T2], both of {@code type}; built once per type. */
    static synchronized HeldCertificate[] pki(KeyType type) {
        return PKI.computeIfAbsent(type, t -> {
            HeldCertificate ca = HeldCertificate.builder().commonName("Test CA " + t).keyType(t)
                    .certificateAuthority(1)
                    .validity(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2040-01-01T00:00:00Z")).build();
            HeldCertificate signer = HeldCertificate.builder().commonName("Test signer " + t).keyType(t)
                    .signedBy(ca).validity(T1, T2).build();
            return new HeldCertificate[] {ca, signer};
        });
    }

    static CmsSigner signer(KeyType type) {
        HeldCertificate signer = pki(type)[1];
        return CmsSigner.of(signer.privateKey(), signer.certificate(), signer.issuerChain());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void signsAndVerifiesTrustingTheIssuingCa(KeyType type) throws Exception {
        HeldCertificate[] pki = pki(type);
        CmsSigner signer = signer(type);
        byte[] der = signer.sign(VOUCHER_JSON);

        VerifiedContent verified = CmsVerifier.trusting(List.of(pki[0].certificate()))
                .at(Instant.parse("2024-06-01T00:00:00Z")).verify(der);
        assertArrayEquals(VOUCHER_JSON, verified.content());
        assertEquals(CmsContentTypes.ANIMA_JSON_VOUCHER, verified.contentType());
        assertEquals(pki[1].certificate(), verified.signer());
        assertEquals(List.of(pki[1].certificate(), pki[0].certificate()), verified.validatedPath());
        assertTrue(verified.trusted());
        assertEquals(type.signatureAlgorithm(), signer.signatureAlgorithm());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void wrongCaIsUntrusted(KeyType type) throws Exception {
        byte[] der = signer(type).sign(VOUCHER_JSON);
        KeyType other = type == KeyType.EC_P256 ? KeyType.EC_P384 : KeyType.EC_P256;
        assertRejected(Reason.UNTRUSTED_SIGNER, () -> CmsVerifier.trusting(List.of(pki(other)[0].certificate()))
                .at(Instant.parse("2024-06-01T00:00:00Z")).verify(der));
    }

    @Test
    void validityWindowIsJudgedAtTheValidationTime() throws Exception {
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        byte[] der = signer(KeyType.EC_P256).sign(VOUCHER_JSON);
        CmsVerifier verifier = CmsVerifier.trusting(List.of(pki[0].certificate()));

        assertTrue(verifier.at(T1.plusSeconds(1)).verify(der).trusted());
        assertTrue(verifier.at(T2.minusSeconds(1)).verify(der).trusted());
        VoucherException before = assertRejected(Reason.UNTRUSTED_SIGNER,
                () -> verifier.at(T1.minus(Duration.ofDays(1))).verify(der));
        assertTrue(before.getMessage().contains("not yet valid"), before.getMessage());
        VoucherException after = assertRejected(Reason.UNTRUSTED_SIGNER,
                () -> verifier.at(T2.plus(Duration.ofDays(1))).verify(der));
        assertTrue(after.getMessage().contains("expired"), after.getMessage());
        // "now" (default) is after T2
        assertRejected(Reason.UNTRUSTED_SIGNER, () -> verifier.verify(der));
        assertRejected(Reason.UNTRUSTED_SIGNER, () -> verifier.withClock(Clock.fixed(T2.plusSeconds(60),
                ZoneOffset.UTC)).verify(der));
        assertTrue(verifier.withClock(Clock.fixed(T1.plusSeconds(60), ZoneOffset.UTC)).verify(der).trusted());
        // signature-only does not look at validity
        assertFalse(CmsVerifier.signatureOnly().verify(der).trusted());
    }

    @Test
    void expiredEmbeddedIdevidAndNewIdevidOfTheSameKeyValidateByKey() throws Exception {
        // RFC 8995 Appendix C pattern: a device signs with its key and embeds an older certificate of that key
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        HeldCertificate old = pki[1]; // valid [T1, T2]
        HeldCertificate renewed = HeldCertificate.builder().commonName("Renewed signer").keyPair(old.keyPair())
                .signedBy(pki[0]).validity(T2.minusSeconds(3600), T2.plus(Duration.ofDays(3650))).build();
        byte[] der = CmsSigner.of(old.privateKey(), old.certificate(), List.of()).sign(VOUCHER_JSON);
        Instant later = T2.plus(Duration.ofDays(30));
        CmsVerifier verifier = CmsVerifier.trusting(List.of(pki[0].certificate())).at(later);

        assertRejected(Reason.UNTRUSTED_SIGNER, () -> verifier.verify(der));
        VerifiedContent verified = verifier.withAdditionalCertificates(List.of(renewed.certificate())).verify(der);
        assertEquals(renewed.certificate(), verified.signer());
        assertEquals(List.of(renewed.certificate(), pki[0].certificate()), verified.validatedPath());
        assertEquals(List.of(old.certificate()), verified.certificates());
        // while both are valid, the certificate the SignerInfo names wins
        assertEquals(old.certificate(), CmsVerifier.trusting(List.of(pki[0].certificate())).at(T2.minusSeconds(60))
                .withAdditionalCertificates(List.of(renewed.certificate())).verify(der).signer());
    }

    @Test
    void signedStructureIsWhatRfc8366Describes() throws Exception {
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        Instant signingTime = Instant.parse("2024-05-01T12:34:56Z");
        byte[] der = signer(KeyType.EC_P256).withClock(Clock.fixed(signingTime, ZoneOffset.UTC)).sign(VOUCHER_JSON);

        assertArrayEquals(der, ASN1Primitive.fromByteArray(der).getEncoded(ASN1Encoding.DER), "DER, not BER");
        CMSSignedData cms = new CMSSignedData(der);
        assertEquals(CmsContentTypes.ANIMA_JSON_VOUCHER, cms.getSignedContentTypeOID());
        assertArrayEquals(VOUCHER_JSON, (byte[]) cms.getSignedContent().getContent());
        assertEquals(1, cms.getSignerInfos().size());
        SignerInformation si = cms.getSignerInfos().iterator().next();
        assertEquals(pki[1].certificate().getSerialNumber(), si.getSID().getSerialNumber(), "issuerAndSerialNumber");
        assertNull(si.getSID().getSubjectKeyIdentifier());
        AttributeTable attributes = si.getSignedAttributes();
        assertEquals(3, attributes.size());
        assertNotNull(attributes.get(CMSAttributes.contentType));
        assertNotNull(attributes.get(CMSAttributes.signingTime));
        assertNotNull(attributes.get(CMSAttributes.messageDigest));
        assertNull(si.getUnsignedAttributes());
        assertEquals(2, cms.getCertificates().getMatches(null).size(), "signer + chain");
        SignedData sd = SignedData.getInstance(ContentInfo.getInstance(der).getContent());
        assertEquals(3, sd.getVersion().intValueExact(), "RFC 5652 5.1: version 3 when eContentType is not id-data");

        VerifiedContent verified = CmsVerifier.signatureOnly().verify(der);
        assertEquals(signingTime, verified.signingTime().orElseThrow());
        assertEquals(List.of(pki[0].certificate(), pki[1].certificate()).size(), verified.certificates().size());
        assertTrue(verified.certificates().containsAll(List.of(pki[0].certificate(), pki[1].certificate())));
    }

    @Test
    void idDataContentTypeForCompatibility() throws Exception {
        CmsSigner signer = signer(KeyType.EC_P256).withContentType(CmsContentTypes.DATA);
        assertEquals(CmsContentTypes.DATA, signer.contentType());
        VerifiedContent verified = CmsVerifier.signatureOnly().verify(signer.sign(VOUCHER_JSON));
        assertEquals(CmsContentTypes.DATA, verified.contentType());
        assertArrayEquals(VOUCHER_JSON, verified.content());
        byte[] der = signer.sign(VOUCHER_JSON);
        assertEquals(1, SignedData.getInstance(ContentInfo.getInstance(der).getContent()).getVersion().intValueExact(),
                "version 1 with id-data, as in RFC 8995 Appendix C");
        assertThrows(IllegalArgumentException.class, () -> signer.withContentType("not an oid"));
    }

    @Test
    void p384SignsWithSha384() throws Exception {
        CMSSignedData cms = new CMSSignedData(signer(KeyType.EC_P384).sign(VOUCHER_JSON));
        SignerInformation si = cms.getSignerInfos().iterator().next();
        assertEquals("2.16.840.1.101.3.4.2.2", si.getDigestAlgOID());
        assertEquals("1.2.840.10045.4.3.3", si.getEncryptionAlgOID());
    }

    @Test
    void emptyChainEmbedsOnlyTheSignerAndDuplicatesAreDropped() throws Exception {
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        CmsSigner alone = CmsSigner.of(pki[1].privateKey(), pki[1].certificate(), List.of());
        assertEquals(List.of(pki[1].certificate()), CmsVerifier.signatureOnly().verify(alone.sign(VOUCHER_JSON))
                .certificates());
        CmsSigner repeated = CmsSigner.of(pki[1].privateKey(), pki[1].certificate(),
                List.of(pki[1].certificate(), pki[0].certificate(), pki[0].certificate()));
        assertEquals(List.of(pki[0].certificate()), repeated.chain());
        assertEquals(2, CmsVerifier.signatureOnly().verify(repeated.sign(VOUCHER_JSON)).certificates().size());
    }

    @Test
    void emptyContentIsSignable() throws Exception {
        byte[] der = signer(KeyType.EC_P256).sign(new byte[0]);
        assertEquals(0, CmsVerifier.signatureOnly().verify(der).content().length);
    }

    @Test
    void rejectsUnsupportedOrMismatchedKeys() throws Exception {
        HeldCertificate[] p256 = pki(KeyType.EC_P256);
        HeldCertificate[] p384 = pki(KeyType.EC_P384);
        // key of another certificate
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> CmsSigner.of(p256[0].privateKey(), p256[1].certificate(), List.of()));
        assertTrue(mismatch.getMessage().contains("does not belong"), mismatch.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CmsSigner.of(p384[1].privateKey(), p256[1].certificate(), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> CmsSigner.of(pki(KeyType.RSA2048)[1].privateKey(), p256[1].certificate(), List.of()));

        // P-521 and Ed25519 are not BRSKI voucher key types here
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC", Crypto.provider());
        ec.initialize(new ECGenParameterSpec("secp521r1"));
        CmsTestSupport.KeyAndCertificate p521 = CmsTestSupport.selfSigned(ec.generateKeyPair(), "SHA512withECDSA");
        IllegalArgumentException curve = assertThrows(IllegalArgumentException.class,
                () -> CmsSigner.of(p521.privateKey(), p521.certificate(), List.of()));
        assertTrue(curve.getMessage().contains("curve"), curve.getMessage());
        CmsTestSupport.KeyAndCertificate ed = CmsTestSupport.selfSigned(
                KeyPairGenerator.getInstance("Ed25519", Crypto.provider()).generateKeyPair(), "Ed25519");
        assertThrows(IllegalArgumentException.class, () -> CmsSigner.of(ed.privateKey(), ed.certificate(), List.of()));
    }

    @Test
    void oneSignerSharedByEightThreads() throws Exception {
        HeldCertificate[] pki = pki(KeyType.EC_P256);
        CmsSigner signer = signer(KeyType.EC_P256);
        CmsVerifier verifier = CmsVerifier.trusting(List.of(pki[0].certificate())).at(T1.plusSeconds(3600));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] content = ("{\"n\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                futures.add(pool.submit(() -> {
                    byte[] der = signer.sign(content);
                    assertArrayEquals(content, verifier.verify(der).content());
                    return der;
                }));
            }
            Set<String> distinct = new HashSet<>();
            for (int i = 0; i < futures.size(); i++) {
                byte[] der = futures.get(i).get(30, TimeUnit.SECONDS);
                VerifiedContent verified = verifier.verify(der);
                assertEquals("{\"n\":" + i + "}", new String(verified.content(),
                        java.nio.charset.StandardCharsets.US_ASCII));
                distinct.add(java.util.HexFormat.of().formatHex(der));
            }
            assertEquals(200, distinct.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void verifiedContentIsImmutable() throws Exception {
        VerifiedContent verified = CmsVerifier.signatureOnly().verify(signer(KeyType.EC_P256).sign(VOUCHER_JSON));
        verified.content()[0] ^= 1;
        assertArrayEquals(VOUCHER_JSON, verified.content());
        assertThrows(UnsupportedOperationException.class, () -> verified.certificates().clear());
        assertThrows(UnsupportedOperationException.class, () -> verified.validatedPath().clear());
    }

    @Test
    void verifierConfigurationIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> CmsVerifier.trusting(List.<X509Certificate>of()));
        assertThrows(IllegalArgumentException.class, () -> CmsVerifier.signatureOnly().withMaxSize(0));
        assertThrows(NullPointerException.class, () -> CmsVerifier.signatureOnly().at(null));
        CmsVerifier base = CmsVerifier.signatureOnly();
        assertEquals(CmsVerifier.DEFAULT_MAX_SIZE, base.maxSize());
        assertEquals(100, base.withMaxSize(100).maxSize());
        assertEquals(CmsVerifier.DEFAULT_MAX_SIZE, base.maxSize(), "withers do not change the original");
        assertFalse(base.validatesTrust());
        assertTrue(CmsVerifier.trusting(List.of(pki(KeyType.EC_P256)[0].certificate())).validatesTrust());
    }
}
