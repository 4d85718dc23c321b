package org.brski.masa.http;

import static org.brski.masa.RegistrarSimulator.nonce;
import static org.brski.masa.RegistrarSimulator.pvrJson;
import static org.brski.masa.RegistrarSimulator.rvrJson;
import static org.brski.masa.RegistrarSimulator.sign;
import static org.brski.masa.RegistrarSimulator.standard;
import static org.brski.masa.http.RefusalTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.brski.masa.voucher.MasaPolicy;
import org.brski.pki.HeldCertificate;
import org.brski.pkix.DeviceCertificates;
import org.brski.server.config.Compat;
import org.brski.voucher.Voucher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The nqminds dialect at the MASA over real HTTPS: base64 registrar voucher-requests and the
 * {@code ietf-voucher:voucher} root are refused by default with problems naming them, and accepted with
 * {@link Compat#NQMINDS}, which answers base64 and still checks everything else.
 */
class CompatTest {
    private static final String CMS = RequestVoucherTest.CMS;
    private static final String VOUCHER = RequestVoucherTest.VOUCHER;
    private static final String REQUEST_ROOT = "\"ietf-voucher-request:voucher\"";
    private static final String VOUCHER_ROOT = "\"ietf-voucher:voucher\"";

    private static MasaFixture standard;
    private static MasaFixture nqminds;

    @BeforeAll
    static void start() throws Exception {
        standard = new MasaFixture(4, MasaPolicy.builder().lenientJson(true));
        nqminds = new MasaFixture(6, MasaPolicy.builder().compat(Compat.NQMINDS));
    }

    @AfterAll
    static void stop() {
        standard.close();
        nqminds.close();
    }

    /** A registrar voucher-request (and the pledge's inside it) under {@code root}, as DER. */
    private static byte[] dialectRequest(MasaFixture f, HeldCertificate pledge, String nonce, String root,
            String rvrNonce) {
        String serial = DeviceCertificates.serialNumber(pledge.certificate()).orElseThrow();
        byte[] pvr = sign(pledge, List.of(), reroot(pvrJson(serial, nonce, f.pki.registrar().certificate()), root));
        byte[] rvr = reroot(rvrJson(serial, rvrNonce, pvr, OffsetDateTime.now(ZoneOffset.UTC)), root);
        return sign(f.pki.registrar(), f.pki.registrar().issuerChain(), rvr);
    }

    private static byte[] reroot(byte[] json, String root) {
        return new String(json, StandardCharsets.UTF_8).replace(REQUEST_ROOT, root).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] base64(byte[] der) {
        return Base64.getEncoder().encode(der);
    }

    private static byte[] mime(byte[] der) {
        return Base64.getMimeEncoder().encode(der);
    }

    private static HttpResponse<byte[]> post(MasaFixture f, byte[] body) throws Exception {
        return f.post(f.client(Optional.of(f.pki.registrar())), VOUCHER, body, CMS, CMS);
    }

    // ------------------------------------------------------------------ default: refused, naming the dialect

    @Test
    void defaultRefusesBase64Bodies() throws Exception {
        byte[] der = standard(standard.pki.pledges().get(0), standard.pki.registrar(), nonce());
        for (byte[] body : List.of(base64(der), mime(der))) {
            JsonNode problem = assertProblem(post(standard, body), 400, "malformed-request");
            String detail = problem.get("detail").asText();
            assertTrue(detail.contains("base64 body") && detail.contains("compat nqminds"), detail);
        }
        assertEquals(0, standard.auditEvents());
    }

    @Test
    void defaultRefusesTheVoucherRootEvenWithLenientJson() throws Exception {
        HttpResponse<byte[]> response = post(standard,
                dialectRequest(standard, standard.pki.pledges().get(1), nonce(), VOUCHER_ROOT, null));
        String detail = assertProblem(response, 400, "malformed-request").get("detail").asText();
        assertTrue(detail.contains("ietf-voucher:voucher") && detail.contains("compat nqminds"), detail);
    }

    @Test
    void defaultRefusesTheVoucherRootInThePledgeRequestAlone() throws Exception {
        HeldCertificate pledge = standard.pki.pledges().get(2);
        String serial = DeviceCertificates.serialNumber(pledge.certificate()).orElseThrow();
        String nonce = nonce();
        byte[] pvr = sign(pledge, List.of(),
                reroot(pvrJson(serial, nonce, standard.pki.registrar().certificate()), VOUCHER_ROOT));
        byte[] rvr = sign(standard.pki.registrar(), standard.pki.registrar().issuerChain(),
                rvrJson(serial, nonce, pvr, OffsetDateTime.now(ZoneOffset.UTC)));
        String detail = assertProblem(post(standard, rvr), 400, "malformed-request").get("detail").asText();
        assertTrue(detail.startsWith("prior-signed-voucher-request") && detail.contains("compat nqminds"), detail);
    }

    // ------------------------------------------------------------------ compat nqminds: accepted

    @Test
    void compatAcceptsTheDialectAndAnswersBase64WithCreatedOn() throws Exception {
        HeldCertificate pledge = nqminds.pki.pledges().get(0);
        String nonce = nonce();
        HttpResponse<byte[]> response = post(nqminds,
                base64(dialectRequest(nqminds, pledge, nonce, VOUCHER_ROOT, nonce)));
        String text = new String(response.body(), StandardCharsets.US_ASCII);
        assertEquals(200, response.statusCode(), text);
        assertEquals(CMS, response.headers().firstValue("Content-Type").orElseThrow());
        Voucher voucher = RequestVoucherTest.verifyVoucher(Base64.getDecoder().decode(text), nqminds.pki);
        assertEquals(Optional.of(nonce), voucher.nonce());
        assertTrue(voucher.createdOn().isPresent(), "the nqminds voucher model reads created-on: it is kept");
    }

    @Test
    void compatAcceptsLineBrokenBase64WithContentTransferEncoding() throws Exception {
        HeldCertificate pledge = nqminds.pki.pledges().get(1);
        String nonce = nonce();
        HttpRequest request = HttpRequest.newBuilder(nqminds.masa.uri().resolve(VOUCHER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(mime(standard(pledge, nqminds.pki.registrar(), nonce))))
                .header("Content-Type", CMS).header("Content-Transfer-Encoding", "base64").build();
        HttpClient client = nqminds.client(Optional.of(nqminds.pki.registrar()));
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        Voucher voucher = RequestVoucherTest.verifyVoucher(
                Base64.getDecoder().decode(response.body()), nqminds.pki);
        assertEquals(Optional.of(nonce), voucher.nonce());
    }

    @Test
    void compatStillAnswersBinaryRequestsInBinary() throws Exception {
        HeldCertificate pledge = nqminds.pki.pledges().get(2);
        HttpResponse<byte[]> response = post(nqminds, standard(pledge, nqminds.pki.registrar(), nonce()));
        assertEquals(200, response.statusCode());
        assertEquals(0x30, response.body()[0]);
        RequestVoucherTest.verifyVoucher(response.body(), nqminds.pki);
    }

    @Test
    void compatStillChecksNonceSerialAndSignature() throws Exception {
        HeldCertificate pledge = nqminds.pki.pledges().get(3);
        long before = nqminds.auditEvents();
        assertProblem(post(nqminds, base64(dialectRequest(nqminds, pledge, nonce(), VOUCHER_ROOT, nonce()))), 400,
                "nonce-mismatch");
        byte[] tampered = dialectRequest(nqminds, pledge, "n1", VOUCHER_ROOT, "n1");
        tampered[tampered.length - 10] ^= 0x01;
        HttpResponse<byte[]> bad = post(nqminds, base64(tampered));
        assertTrue(bad.statusCode() == 403 || bad.statusCode() == 400, () -> bad.statusCode() + " "
                + new String(bad.body(), StandardCharsets.UTF_8));
        HeldCertificate other = nqminds.pki.pledges().get(4);
        String otherSerial = DeviceCertificates.serialNumber(other.certificate()).orElseThrow();
        byte[] pvr = sign(pledge, List.of(), reroot(pvrJson(DeviceCertificates.serialNumber(pledge.certificate())
                .orElseThrow(), "n2", nqminds.pki.registrar().certificate()), VOUCHER_ROOT));
        byte[] rvr = sign(nqminds.pki.registrar(), nqminds.pki.registrar().issuerChain(),
                reroot(rvrJson(otherSerial, "n2", pvr, OffsetDateTime.now(ZoneOffset.UTC)), VOUCHER_ROOT));
        assertProblem(post(nqminds, base64(rvr)), 400, "serial-mismatch");
        assertEquals(before, nqminds.auditEvents());
    }
}
