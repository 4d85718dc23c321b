package org.brski.voucher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.brski.pki.Fuzz;
import org.brski.voucher.cms.CmsInput;
import org.brski.voucher.cms.CmsVerifier;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the parsers an attacker reaches first (voucher-requests at the registrar and MASA, vouchers at the registrar
 * and pledge, EST and nqminds base64 bodies) with mutants of the RFC 8995 Appendix C artifacts (CMS, JSON, base64)
 * and random bytes up to the 64 KiB body limit: each may only answer or throw {@link VoucherException}. See
 * {@link Fuzz} for a longer run.
 */
class ParserFuzzTest {
    private static final int LIMIT = 64 * 1024;
    private final List<byte[]> cms = new ArrayList<>();
    private final List<byte[]> json = new ArrayList<>();
    private final List<byte[]> text = new ArrayList<>();

    ParserFuzzTest() throws IOException {
        for (String name : List.of("c2-1-pvr", "c2-2-rvr", "c2-3-voucher")) {
            cms.add(resource(name + ".der"));
            json.add(resource(name + ".json"));
            text.add(resource(name + ".b64"));
            text.add(Base64.getMimeEncoder().encode(resource(name + ".der")));
            text.add(("-----BEGIN CMS-----\n" + Base64.getMimeEncoder().encodeToString(resource(name + ".der"))
                    + "\n-----END CMS-----\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ParserFuzzTest.class.getResourceAsStream("/rfc8995/" + name)) {
            return in.readAllBytes();
        }
    }

    private static void fuzz(String name, List<byte[]> seeds, Fuzz.Target target) {
        int tried = Fuzz.run(name, seeds, LIMIT, VoucherException.class, target);
        assertTrue(tried >= seeds.size(), name + ": only " + tried + " inputs tried");
    }

    @Test
    void cmsVoucher() {
        fuzz("CMS voucher", cms, in -> VoucherCms.verifyVoucher(CmsVerifier.signatureOnly(), VoucherJson.strict(), in));
    }

    @Test
    void cmsVoucherRequest() {
        fuzz("CMS voucher-request", cms, in -> VoucherCms.verifyVoucherRequest(CmsVerifier.signatureOnly(),
                VoucherJson.lenient(), in));
    }

    @Test
    void voucherJson() {
        fuzz("voucher JSON", json, in -> VoucherJson.strict().parseVoucher(in));
        fuzz("voucher JSON (lenient)", json, in -> VoucherJson.lenient().parseVoucher(in));
    }

    @Test
    void voucherRequestJson() {
        fuzz("voucher-request JSON", json, in -> VoucherJson.strict().parseVoucherRequest(in));
        fuzz("voucher-request JSON (lenient)", json, in -> VoucherJson.lenient().parseVoucherRequest(in));
    }

    /** A PEM block whose END line overlaps the BEGIN line's closing dashes threw StringIndexOutOfBoundsException. */
    @Test
    void overlappingPemArmourIsMalformedNotACrash() {
        byte[] input = "-----BEGIN CERTIFICATE REQUEST-----END CERTIFICATE REQUEST-----\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        org.junit.jupiter.api.Assertions.assertThrows(VoucherException.class, () -> CmsInput.decode(input));
    }

    /** EST and nqminds bodies: base64 (line breaks, PEM armour) or binary DER, before any ASN.1 parser sees them. */
    @Test
    void base64Bodies() {
        fuzz("CMS body decoding", text, CmsInput::decode);
        fuzz("CSR body decoding", text, in -> CmsInput.decodeDer(in, "CSR"));
    }
}
