package org.brski.registrar;

import static org.brski.registrar.Calls.assertProblem;
import static org.brski.registrar.Calls.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.brski.pki.HeldCertificate;
import org.brski.registrar.store.AuditResult;
import org.brski.server.config.Compat;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.cms.CmsVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The per-manufacturer MASA dialect: an RFC 8995 registrar (no registrar-wide compat) talks base64 to the MASA of a
 * manufacturer set to {@code masaDialect nqminds}, accepts its base64 / text/plain / created-on-less answers, still
 * verifies the voucher in full, and hands a binary pledge a binary voucher. Against the fake MASA's nqminds face and
 * against our own MASA with and without {@code compat nqminds}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MasaDialectTest {
    private static final String PATH = "/.well-known/brski/requestvoucher";
    private Network standard;
    private Network nqmindsMasa;
    private Network rfcMasa;

    @BeforeAll
    void start() throws Exception {
        standard = new Network();
        nqmindsMasa = Network.withAcmeMasaDialect(Compat.NQMINDS, Compat.NQMINDS);
        rfcMasa = Network.withAcmeMasaDialect(Compat.NONE, Compat.NQMINDS);
    }

    @AfterAll
    void stop() {
        standard.close();
        nqmindsMasa.close();
        rfcMasa.close();
    }

    private static HttpResponse<byte[]> send(Network net, HeldCertificate pledge, String nonce) throws Exception {
        return post(net.client(Optional.of(pledge)), net.registrar.uri(), PATH, net.pvr(pledge, nonce),
                VoucherCms.MEDIA_TYPE);
    }

    private static void assertNothingStored(Network net, String serial) throws Exception {
        assertTrue(net.registrar.registrar().store().latestVoucher(serial).isEmpty(), serial);
        assertTrue(net.registrar.registrar().store().device(serial).isEmpty(), serial);
    }

    @Test
    void anNqmindsMasaIsSpokenToInBase64AndItsVoucherPassedOnInBinary() throws Exception {
        HeldCertificate pledge = Network.pledge("OK-NQD1", standard.nqmCa, null);
        HttpResponse<byte[]> response = send(standard, pledge, "nqd-1");
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(0x30, response.body()[0], "a binary pledge gets binary DER");
        Voucher voucher = VoucherCms.verifyVoucher(CmsVerifier.trusting(List.of(standard.fakeCa.certificate())),
                VoucherJson.lenient(), response.body()).artifact();
        assertEquals(Optional.of("nqd-1"), voucher.nonce());
        assertTrue(voucher.createdOn().isEmpty(), "the fake nqminds MASA omits created-on");
        byte[] stored = standard.registrar.registrar().store().latestVoucher("OK-NQD1").orElseThrow().voucher();
        assertArrayEquals(response.body(), Base64.getDecoder().decode(stored), "stored as the MASA sent it (base64)");
        assertTrue(standard.nqmAccept.contains(VoucherCms.MEDIA_TYPE) && standard.nqmAccept.contains("text/plain"),
                standard.nqmAccept);
    }

    @Test
    void anNqmindsMasaVoucherIsStillVerified() throws Exception {
        for (String serial : List.of("NONCE-NQD2", "SERIAL-NQD3", "PIN-NQD4", "SIG-NQD5")) {
            HeldCertificate pledge = Network.pledge(serial, standard.nqmCa, null);
            assertProblem(send(standard, pledge, "nqd-" + serial), 502, "masa-voucher-invalid");
            assertNothingStored(standard, serial);
        }
    }

    @Test
    void withoutTheDialectTheSameAnswerIsRefusedWithAHint() throws Exception {
        HeldCertificate pledge = Network.pledge("NQM-NQD6", standard.fakeCa, null);
        String detail = assertProblem(send(standard, pledge, "nqd-6"), 502, "masa-voucher-invalid").get("detail")
                .asText();
        assertTrue(detail.contains("masaDialect nqminds") && detail.contains("'fakeco'"), detail);
        assertNothingStored(standard, "NQM-NQD6");
    }

    @Test
    void ourMasaWithCompatNqmindsIssuesThroughTheBase64Dialect() throws Exception {
        HeldCertificate pledge = nqmindsMasa.acmePledge("NQD-OWN-1");
        HttpResponse<byte[]> response = send(nqmindsMasa, pledge, "own-1");
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        Voucher voucher = VoucherCms.verifyVoucher(CmsVerifier.trusting(List.of(
                nqmindsMasa.pki.manufacturerCa().certificate())), VoucherJson.strict(), response.body()).artifact();
        assertEquals(Optional.of("own-1"), voucher.nonce());
        byte[] stored = nqmindsMasa.registrar.registrar().store().latestVoucher("NQD-OWN-1").orElseThrow().voucher();
        assertTrue(stored[0] != 0x30, "our MASA answered the base64 request in base64");
        assertArrayEquals(response.body(), Base64.getDecoder().decode(stored));
        AuditResult audit = nqmindsMasa.registrar.registrar().store().device("NQD-OWN-1").orElseThrow().audit()
                .orElseThrow();
        assertEquals(AuditResult.Outcome.PASSED, audit.outcome(), audit.summary());
    }

    @Test
    void anRfc8995MasaRefusesTheBase64DialectAndNothingIsStored() throws Exception {
        HeldCertificate pledge = rfcMasa.acmePledge("NQD-RFC-1");
        assertProblem(send(rfcMasa, pledge, "rfc-1"), 502, "masa-refused");
        assertNothingStored(rfcMasa, "NQD-RFC-1");
    }
}
