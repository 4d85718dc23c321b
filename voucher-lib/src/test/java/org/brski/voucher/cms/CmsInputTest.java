package org.brski.voucher.cms;

import static org.brski.voucher.cms.CmsTestSupport.assertRejected;
import static org.brski.voucher.cms.CmsTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link CmsInput}: DER, base64 (EST, RFC 8951) and PEM bodies. */
class CmsInputTest {
    private static final byte[] DER = resource("c2-3-voucher.der");

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void derIsReturnedAsACopy() throws VoucherException {
        byte[] decoded = CmsInput.decode(DER);
        assertArrayEquals(DER, decoded);
        assertNotSame(DER, decoded);
    }

    @Test
    void base64WithoutLineBreaks() throws VoucherException {
        assertArrayEquals(DER, CmsInput.decode(ascii(Base64.getEncoder().encodeToString(DER))));
    }

    @Test
    void base64WithLineBreaksAndWhitespace() throws VoucherException {
        assertArrayEquals(DER, CmsInput.decode(ascii(Base64.getMimeEncoder().encodeToString(DER) + "\r\n")));
        String spaced = "  " + Base64.getMimeEncoder(64, ascii("\n\t ")).encodeToString(DER) + "\n\n";
        assertArrayEquals(DER, CmsInput.decode(ascii(spaced)));
        // the RFC's 68-column file
        assertArrayEquals(DER, CmsInput.decode(resource("c2-3-voucher.b64")));
    }

    @Test
    void base64WithoutPaddingAndBase64Url() throws VoucherException {
        String unpadded = Base64.getEncoder().withoutPadding().encodeToString(DER);
        assertArrayEquals(DER, CmsInput.decode(ascii(unpadded)));
        assertArrayEquals(DER, CmsInput.decode(ascii(Base64.getUrlEncoder().encodeToString(DER))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CMS", "PKCS7", "VOUCHER"})
    void pemWithAnyLabel(String label) throws VoucherException {
        String pem = "some text before\n-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, ascii("\n")).encodeToString(DER) + "\n-----END " + label + "-----\n";
        assertArrayEquals(DER, CmsInput.decode(ascii(pem)));
        assertArrayEquals(DER, CmsInput.decode(ascii(pem.replace("\n", "\r\n"))));
    }

    @Test
    void pemWithUtf8ByteOrderMark() throws VoucherException {
        byte[] pem = ascii("-----BEGIN CMS-----\n" + Base64.getEncoder().encodeToString(DER) + "\n-----END CMS-----\n");
        byte[] withBom = new byte[pem.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(pem, 0, withBom, 3, pem.length);
        assertArrayEquals(DER, CmsInput.decode(withBom));
    }

    @Test
    void decodedInputVerifies() throws VoucherException {
        VerifiedContent verified = CmsVerifier.signatureOnly().verify(CmsInput.decode(resource("c2-2-rvr.b64")));
        assertArrayEquals(resource("c2-2-rvr.json"), verified.content());
    }

    @Test
    void emptyAndBlankAreMalformed() {
        assertRejected(Reason.MALFORMED_CMS, () -> CmsInput.decode(new byte[0]));
        assertRejected(Reason.MALFORMED_CMS, () -> CmsInput.decode(ascii(" \r\n\t")));
    }

    @Test
    void invalidBase64IsMalformed() {
        assertRejected(Reason.MALFORMED_CMS, () -> CmsInput.decode(ascii("not base64 at all!")));
        assertRejected(Reason.MALFORMED_CMS, () -> CmsInput.decode(ascii("{\"ietf-voucher:voucher\":{}}")));
        // base64 of something that is no DER SEQUENCE
        assertRejected(Reason.MALFORMED_CMS, () -> CmsInput.decode(ascii(Base64.getEncoder()
                .encodeToString(ascii("hello, world")))));
    }

    @Test
    void brokenPemIsMalformed() {
        String body = Base64.getEncoder().encodeToString(DER);
        VoucherException noEnd = assertRejected(Reason.MALFORMED_CMS,
                () -> CmsInput.decode(ascii("-----BEGIN CMS-----\n" + body + "\n")));
        assertTrue(noEnd.getMessage().contains("-----END CMS-----"), noEnd.getMessage());
        assertRejected(Reason.MALFORMED_CMS,
                () -> CmsInput.decode(ascii("-----BEGIN CMS-----\n" + body + "\n-----END PKCS7-----\n")));
        assertRejected(Reason.MALFORMED_CMS,
                () -> CmsInput.decode(ascii("-----BEGIN CMS-----\n#" + body + "\n-----END CMS-----\n")));
        assertRejected(Reason.MALFORMED_CMS, () -> CmsInput.decode(ascii("-----BEGIN CMS")));
    }

    @Test
    void binaryGarbageIsMalformed() {
        Random random = new Random(7030);
        for (int i = 0; i < 50; i++) {
            byte[] garbage = new byte[1 + random.nextInt(500)];
            random.nextBytes(garbage);
            garbage[0] = (byte) 0x81; // never ASCII, never a SEQUENCE
            assertRejected(Reason.MALFORMED_CMS, () -> CmsInput.decode(garbage));
        }
    }

    @Test
    void truncatedOrExtendedDerIsMalformed() {
        VoucherException truncated = assertRejected(Reason.MALFORMED_CMS,
                () -> CmsInput.decode(Arrays.copyOf(DER, DER.length - 1)));
        assertTrue(truncated.getMessage().contains("length"), truncated.getMessage());
        assertRejected(Reason.MALFORMED_CMS, () -> CmsInput.decode(Arrays.copyOf(DER, DER.length + 1)));
    }

    @Test
    void decodedTextIsStillJudgedByTheVerifier() throws VoucherException {
        byte[] truncated = Arrays.copyOf(DER, DER.length - 10);
        byte[] der = CmsInput.decode(ascii(Base64.getEncoder().encodeToString(truncated)));
        assertFalse(Arrays.equals(DER, der));
        assertEquals(Reason.MALFORMED_CMS, org.junit.jupiter.api.Assertions.assertThrows(VoucherException.class,
                () -> CmsVerifier.signatureOnly().verify(der)).reason());
    }
}
