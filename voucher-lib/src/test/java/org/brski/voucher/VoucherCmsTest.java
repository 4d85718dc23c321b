package org.brski.voucher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.brski.pki.TestPki;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.voucher.VoucherException.Reason;
import org.brski.voucher.cms.CmsSigner;
import org.brski.voucher.cms.CmsVerifier;
import org.junit.jupiter.api.Test;

/** Signed vouchers end to end: the RFC 8995 Appendix C artifacts, and artifacts made here with test-pki. */
class VoucherCmsTest {
    private static final Instant RFC_TIME = Instant.parse("2021-04-28T00:00:00Z");

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = VoucherCmsTest.class.getResourceAsStream("/rfc8995/" + name)) {
            return in.readAllBytes();
        }
    }

    private static X509Certificate cert(String name) throws IOException, PkixException {
        return Pem.parseCertificates(new String(resource(name), java.nio.charset.StandardCharsets.US_ASCII), name).get(0);
    }

    @Test
    void rfcVoucherParsesStrictlyAfterVerification() throws Exception {
        Verified<Voucher> v = VoucherCms.verifyVoucher(
                CmsVerifier.trusting(List.of(cert("c1-1-manufacturer-ca-cert.pem"))).at(RFC_TIME),
                VoucherJson.strict(), resource("c2-3-voucher.der"));
        Voucher voucher = v.artifact();
        assertEquals("00-D0-E5-F2-00-02", voucher.serialNumber());
        assertEquals(Assertion.LOGGED, voucher.assertion());
        assertEquals("-_XE9zK9q8Ll1qylMtLKeg", voucher.nonce().orElseThrow());
        assertEquals(OffsetDateTime.of(2021, 4, 13, 17, 43, 24, 589_000_000, ZoneOffset.ofHours(-4)),
                voucher.createdOn().orElseThrow());
        assertArrayEquals(cert("c1-4-registrar-cert.pem").getEncoded(), voucher.pinnedDomainCert());
        assertEquals(cert("c1-2-masa-cert.pem"), v.cms().signer());
    }

    @Test
    void rfcVoucherRequestsParseAndLinkUp() throws Exception {
        X509Certificate vendor = cert("c1-1-manufacturer-ca-cert.pem");
        Verified<VoucherRequest> pvr = VoucherCms.verifyVoucherRequest(CmsVerifier.trusting(List.of(vendor)).at(RFC_TIME),
                VoucherJson.strict(), resource("c2-1-pvr.der"));
        assertEquals(Assertion.PROXIMITY, pvr.artifact().assertion().orElseThrow());
        assertArrayEquals(cert("c1-4-registrar-cert.pem").getEncoded(),
                pvr.artifact().proximityRegistrarCert().orElseThrow());

        Verified<VoucherRequest> rvr = VoucherCms.verifyVoucherRequest(
                CmsVerifier.trusting(List.of(cert("c1-3-registrar-ca-cert.pem"))).at(RFC_TIME),
                VoucherJson.strict(), resource("c2-2-rvr.der"));
        assertArrayEquals(resource("c2-1-pvr.der"), rvr.artifact().priorSignedVoucherRequest().orElseThrow());
        assertEquals(pvr.artifact().nonce(), rvr.artifact().nonce());
        assertEquals(pvr.artifact().serialNumber(), rvr.artifact().serialNumber());
        assertTrue(rvr.artifact().idevidIssuer().isEmpty(), "the RFC example omits idevid-issuer");
    }

    @Test
    void aVoucherRequestIsNotAVoucher() {
        VoucherException e = assertThrows(VoucherException.class, () -> VoucherCms.verifyVoucher(
                CmsVerifier.signatureOnly(), VoucherJson.strict(), resource("c2-1-pvr.der")));
        assertEquals(Reason.WRONG_ROOT, e.reason());
    }

    @Test
    void signedHereVerifiesHere() throws Exception {
        TestPki pki = TestPki.builder().pledges(1).build();
        CmsSigner masa = CmsSigner.of(pki.masaSigner().privateKey(), pki.masaSigner().certificate(), List.of());
        Voucher voucher = Voucher.builder()
                .createdOn(Rfc3339.utcSeconds(java.time.Instant.now()))
                .assertion(Assertion.VERIFIED)
                .serialNumber(pki.serials().get(0))
                .nonce("Zm9vYmFy")
                .pinnedDomainCert(pki.domainCa().certificate().getEncoded())
                .build();
        byte[] der = VoucherCms.sign(masa, voucher);
        Verified<Voucher> v = VoucherCms.verifyVoucher(
                CmsVerifier.trusting(List.of(pki.manufacturerCa().certificate())), VoucherJson.strict(), der);
        assertEquals(voucher, v.artifact());
        assertTrue(v.cms().trusted());

        VoucherException wrongAnchor = assertThrows(VoucherException.class, () -> VoucherCms.verifyVoucher(
                CmsVerifier.trusting(List.of(pki.domainCa().certificate())), VoucherJson.strict(), der));
        assertEquals(Reason.UNTRUSTED_SIGNER, wrongAnchor.reason());
        assertEquals(403, wrongAnchor.problem().status());
    }
}
