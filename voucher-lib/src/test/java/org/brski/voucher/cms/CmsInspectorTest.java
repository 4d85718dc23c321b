package org.brski.voucher.cms;

import static org.brski.voucher.cms.CmsTestSupport.VOUCHER_JSON;
import static org.brski.voucher.cms.CmsTestSupport.assertRejected;
import static org.brski.voucher.cms.CmsTestSupport.indexOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.brski.pki.HeldCertificate;
import org.brski.voucher.VoucherException.Reason;
import org.junit.jupiter.api.Test;

/** {@link CmsInspector} reports what a message says, also when the verifier would refuse it. */
class CmsInspectorTest {
    private static final HeldCertificate CA = HeldCertificate.builder().commonName("Inspector CA")
            .certificateAuthority(0).build();
    private static final HeldCertificate SIGNER = HeldCertificate.builder().commonName("Inspector signer")
            .signedBy(CA).build();
    private static final Instant SIGNING_TIME = Instant.parse("2025-03-04T05:06:07Z");

    private static byte[] signed() {
        return CmsSigner.of(SIGNER.privateKey(), SIGNER.certificate(), SIGNER.issuerChain())
                .withClock(Clock.fixed(SIGNING_TIME, ZoneOffset.UTC)).sign(VOUCHER_JSON);
    }

    @Test
    void describesASignedVoucher() throws Exception {
        CmsInspection inspection = CmsInspector.inspect(signed());
        assertEquals(CmsContentTypes.ANIMA_JSON_VOUCHER, inspection.contentType());
        assertArrayEquals(VOUCHER_JSON, inspection.content().orElseThrow());
        assertEquals(2, inspection.certificates().size());
        assertEquals(Optional.of(SIGNING_TIME), inspection.signingTime());
        CmsInspection.Signer signer = inspection.signers().get(0);
        assertEquals(Optional.of(SIGNER.certificate().getSerialNumber()), signer.serialNumber());
        assertEquals(Optional.of("CN=Inspector CA"), signer.issuer());
        assertEquals(Optional.of(SIGNER.certificate()), signer.signerCertificate());
        assertEquals(Optional.of(CmsContentTypes.ANIMA_JSON_VOUCHER), signer.contentTypeAttribute());
    }

    @Test
    void worksWhenTheSignatureIsBad() throws Exception {
        byte[] der = signed();
        der[indexOf(der, VOUCHER_JSON) + 3] ^= 0x20;
        assertRejected(Reason.BAD_SIGNATURE, () -> CmsVerifier.signatureOnly().verify(der));
        CmsInspection inspection = CmsInspector.inspect(der);
        byte[] content = inspection.content().orElseThrow();
        assertEquals(VOUCHER_JSON.length, content.length);
        assertEquals(Optional.of(SIGNING_TIME), inspection.signingTime());
    }

    @Test
    void worksWithoutCertificatesOrWithForeignContentType() throws Exception {
        byte[] bare = CmsTestSupport.withCertificates(signed(), null);
        CmsInspection inspection = CmsInspector.inspect(bare);
        assertTrue(inspection.certificates().isEmpty());
        assertTrue(inspection.signers().get(0).signerCertificate().isEmpty());
        assertTrue(inspection.signers().get(0).issuer().isPresent());

        byte[] foreign = CmsSigner.of(SIGNER.privateKey(), SIGNER.certificate(), List.of())
                .withContentType("1.2.3.4").sign(VOUCHER_JSON);
        assertEquals("1.2.3.4", CmsInspector.inspect(foreign).contentType());
    }

    @Test
    void contentIsCopied() throws Exception {
        CmsInspection inspection = CmsInspector.inspect(signed());
        inspection.content().orElseThrow()[0] = 0;
        assertArrayEquals(VOUCHER_JSON, inspection.content().orElseThrow());
    }

    @Test
    void unparseableInputIsMalformed() {
        assertRejected(Reason.MALFORMED_CMS, () -> CmsInspector.inspect(new byte[] {0x30, 0x03, 0x02, 0x01}));
        assertRejected(Reason.MALFORMED_CMS, () -> CmsInspector.inspect("hello".getBytes()));
    }
}
