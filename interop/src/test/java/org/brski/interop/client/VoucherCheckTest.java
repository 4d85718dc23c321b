package org.brski.interop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.brski.interop.InteropException;
import org.brski.pki.TestPki;
import org.brski.voucher.Assertion;
import org.brski.voucher.Rfc3339;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.cms.CmsSigner;
import org.junit.jupiter.api.Test;

/** The suite's voucher checks against a peer that decodes the nonce and re-encodes it (nqminds brski does). */
class VoucherCheckTest {
    private static final TestPki PKI = TestPki.builder().pledges(1).build();
    private static final byte[] NONCE = Base64.getDecoder().decode("bO/6MT6wplgEvTBJsXegkw==");

    private static byte[] voucher(String nonce) throws Exception {
        Voucher v = Voucher.builder().createdOn(Rfc3339.utcSeconds(Instant.now())).assertion(Assertion.PROXIMITY)
                .serialNumber(PKI.serials().get(0)).nonce(nonce)
                .pinnedDomainCert(PKI.domainCa().certificate().getEncoded()).build();
        return VoucherCms.sign(CmsSigner.of(PKI.masaSigner().privateKey(), PKI.masaSigner().certificate(), List.of()),
                v);
    }

    private static VoucherCheck check(byte[] voucher, String sent) throws InteropException {
        return VoucherCheck.check(voucher, List.of(PKI.manufacturerCa().certificate()), PKI.serials().get(0), sent,
                List.of(PKI.registrar().certificate(), PKI.domainCa().certificate()), true, Instant.now());
    }

    @Test
    void aNonceSentAsBase64urlAndEchoedReencodedMatches() throws Exception {
        String sent = Base64.getUrlEncoder().withoutPadding().encodeToString(NONCE);
        String reencoded = Base64.getEncoder().encodeToString(NONCE);
        VoucherCheck check = check(voucher(reencoded), sent);
        assertEquals(reencoded, check.voucher().nonce().orElseThrow());
        check(voucher(sent), reencoded);
    }

    @Test
    void aNonceOfOtherBytesIsRefused() throws Exception {
        byte[] other = NONCE.clone();
        other[0] ^= 1;
        InteropException e = assertThrows(InteropException.class,
                () -> check(voucher(Base64.getEncoder().encodeToString(other)), Base64.getEncoder()
                        .encodeToString(NONCE)));
        assertTrue(e.getMessage().contains("nonce"), e.getMessage());
    }
}
