package org.brski.voucher.cms;

import static org.brski.voucher.cms.CmsTestSupport.RFC_T;
import static org.brski.voucher.cms.CmsTestSupport.assertRejected;
import static org.brski.voucher.cms.CmsTestSupport.certificate;
import static org.brski.voucher.cms.CmsTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 8995 Appendix C: the pledge voucher-request, registrar voucher-request and voucher of a real implementation. */
class Rfc8995VectorsTest {
    static final X509Certificate MANUFACTURER_CA = certificate("c1-1-manufacturer-ca-cert.pem");
    static final X509Certificate MASA = certificate("c1-2-masa-cert.pem");
    static final X509Certificate DOMAIN_CA = certificate("c1-3-registrar-ca-cert.pem");
    static final X509Certificate REGISTRAR = certificate("c1-4-registrar-cert.pem");
    static final X509Certificate IDEVID = certificate("c1-5-pledge-idevid-cert.pem");
    static final X509Certificate PVR_SIGNER = certificate("c2-1-pvr-signer-idevid-cert.pem");

    /** name, right anchor, wrong anchor, expected signer, expected embedded certificates. */
    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("c2-1-pvr", MANUFACTURER_CA, DOMAIN_CA, PVR_SIGNER, List.of(PVR_SIGNER)),
                Arguments.of("c2-2-rvr", DOMAIN_CA, MANUFACTURER_CA, REGISTRAR, List.of(REGISTRAR, DOMAIN_CA)),
                Arguments.of("c2-3-voucher", MANUFACTURER_CA, DOMAIN_CA, MASA, List.of(MASA)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void verifiesWithTheRightAnchorAtT(String name, X509Certificate anchor, X509Certificate wrong,
            X509Certificate signer, List<X509Certificate> embedded) throws VoucherException {
        VerifiedContent verified = CmsVerifier.trusting(List.of(anchor)).at(RFC_T).verify(resource(name + ".der"));

        assertArrayEquals(resource(name + ".json"), verified.content());
        assertEquals(CmsContentTypes.DATA, verified.contentType(), "Appendix C uses id-data");
        assertEquals(signer, verified.signer());
        assertTrue(verified.trusted());
        assertEquals(signer, verified.validatedPath().get(0));
        assertEquals(anchor, verified.validatedPath().get(verified.validatedPath().size() - 1));
        assertEquals(embedded.size(), verified.certificates().size());
        assertTrue(verified.certificates().containsAll(embedded));
        assertTrue(verified.signingTime().isPresent());
        assertTrue(verified.signingTime().get().isAfter(Instant.parse("2021-04-13T21:43:00Z")));
        assertTrue(verified.signingTime().get().isBefore(Instant.parse("2021-04-13T21:44:00Z")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void wrongAnchorIsUntrusted(String name, X509Certificate anchor, X509Certificate wrong) {
        VoucherException e = assertRejected(Reason.UNTRUSTED_SIGNER,
                () -> CmsVerifier.trusting(List.of(wrong)).at(RFC_T).verify(resource(name + ".der")));
        assertTrue(e.getMessage().contains("not trusted"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void expiredTodayIsUntrusted(String name, X509Certificate anchor) {
        VoucherException e = assertRejected(Reason.UNTRUSTED_SIGNER,
                () -> CmsVerifier.trusting(List.of(anchor)).verify(resource(name + ".der")));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void signatureOnlyVerifiesWithoutAnchorsOrTime(String name, X509Certificate anchor, X509Certificate wrong,
            X509Certificate signer) throws VoucherException {
        VerifiedContent verified = CmsVerifier.signatureOnly().verify(resource(name + ".der"));
        assertArrayEquals(resource(name + ".json"), verified.content());
        assertEquals(signer, verified.signer());
        assertFalse(verified.trusted());
        assertTrue(verified.validatedPath().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void base64FilesDecodeToTheDer(String name) throws VoucherException {
        byte[] der = resource(name + ".der");
        assertArrayEquals(der, CmsInput.decode(resource(name + ".b64")));
        assertArrayEquals(der, CmsInput.decode(der));
    }

    @Test
    void signingTimesAreTheRfcOnes() throws VoucherException {
        assertEquals(Optional.of(Instant.parse("2021-04-13T21:43:23Z")),
                CmsVerifier.signatureOnly().verify(resource("c2-1-pvr.der")).signingTime());
        assertEquals(Optional.of(Instant.parse("2021-04-13T21:43:24Z")),
                CmsVerifier.signatureOnly().verify(resource("c2-3-voucher.der")).signingTime());
    }

    @Test
    void pvrEmbedsAnOlderIdevidOfTheSameKey() throws VoucherException {
        assertNotEquals(IDEVID, PVR_SIGNER);
        assertEquals(IDEVID.getPublicKey(), PVR_SIGNER.getPublicKey());

        VerifiedContent verified = CmsVerifier.trusting(List.of(MANUFACTURER_CA)).at(RFC_T)
                .withAdditionalCertificates(List.of(IDEVID)).verify(resource("c2-1-pvr.der"));
        assertArrayEquals(resource("c2-1-pvr.json"), verified.content());
        assertEquals(IDEVID.getPublicKey(), verified.signer().getPublicKey(), "signed by the C.1.5 IDevID's key");
        assertEquals(List.of(PVR_SIGNER), verified.certificates());
    }

    @Test
    void pvrWithoutEmbeddedCertificateVerifiesByKeyWithTheCurrentIdevid() throws VoucherException {
        byte[] stripped = CmsTestSupport.withCertificates(resource("c2-1-pvr.der"), null);
        assertRejected(Reason.SIGNER_CERTIFICATE_MISSING, () -> CmsVerifier.signatureOnly().verify(stripped));

        VerifiedContent verified = CmsVerifier.trusting(List.of(MANUFACTURER_CA)).at(RFC_T)
                .withAdditionalCertificates(List.of(IDEVID)).verify(stripped);
        assertEquals(IDEVID, verified.signer(), "SignerInfo names serial 0x0D83AFD9, matched by key to 0x1F18FEE7");
        assertEquals(List.of(IDEVID, MANUFACTURER_CA), verified.validatedPath());
        assertTrue(verified.certificates().isEmpty());
        assertArrayEquals(resource("c2-1-pvr.json"), verified.content());
    }

    @Test
    void additionalCertificateOfAnotherKeyDoesNotHelp() {
        byte[] stripped = CmsTestSupport.withCertificates(resource("c2-1-pvr.der"), null);
        assertRejected(Reason.SIGNER_CERTIFICATE_MISSING, () -> CmsVerifier.signatureOnly()
                .withAdditionalCertificates(List.of(MASA, REGISTRAR)).verify(stripped));
    }

    @Test
    void rvrValidatesThroughEmbeddedChainAndPinnedRegistrarAnchor() throws VoucherException {
        // The MASA may pin the registrar's end-entity certificate itself (RFC 8995 5.5.4 / Appendix C voucher).
        VerifiedContent verified = CmsVerifier.trusting(List.of(REGISTRAR)).at(RFC_T).verify(resource("c2-2-rvr.der"));
        assertEquals(List.of(REGISTRAR), verified.validatedPath());
    }

    @Test
    void embeddedCertificateOfAnotherSignerIsNotTheSigner() {
        // A certificate list holding only another key's certificate: the embedded MASA cert does not match the PVR.
        byte[] swapped = CmsTestSupport.withCertificates(resource("c2-1-pvr.der"), List.of(MASA));
        assertRejected(Reason.SIGNER_CERTIFICATE_MISSING, () -> CmsVerifier.signatureOnly().verify(swapped));
    }

    @Test
    void inspectorDescribesThePvr() throws VoucherException {
        CmsInspection inspection = CmsInspector.inspect(resource("c2-1-pvr.der"));
        assertEquals(CmsContentTypes.DATA, inspection.contentType());
        assertArrayEquals(resource("c2-1-pvr.json"), inspection.content().orElseThrow());
        assertEquals(List.of(PVR_SIGNER), inspection.certificates());
        assertEquals(1, inspection.signers().size());
        CmsInspection.Signer signer = inspection.signers().get(0);
        assertEquals(Optional.of(new BigInteger("0D83AFD9", 16)), signer.serialNumber());
        assertTrue(signer.issuer().orElseThrow().contains("highway-test.example.com CA"), signer.issuer().get());
        assertTrue(signer.subjectKeyIdentifier().isEmpty());
        assertEquals("2.16.840.1.101.3.4.2.1", signer.digestAlgorithm());
        assertEquals("1.2.840.10045.4.3.2", signer.signatureAlgorithm());
        assertEquals(Optional.of(CmsContentTypes.DATA), signer.contentTypeAttribute());
        assertEquals(Optional.of(PVR_SIGNER), signer.signerCertificate());
        assertEquals(Optional.of(Instant.parse("2021-04-13T21:43:23Z")), inspection.signingTime());
    }
}
