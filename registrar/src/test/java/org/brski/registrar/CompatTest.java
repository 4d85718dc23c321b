package org.brski.registrar;

import static org.brski.registrar.Calls.assertProblem;
import static org.brski.registrar.Calls.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.brski.pki.HeldCertificate;
import org.brski.server.config.Compat;
import org.brski.voucher.Assertion;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsSigner;
import org.brski.voucher.cms.CmsVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The nqminds pledge dialect over real HTTPS against two whole networks: the default one refuses each feature with a
 * problem naming it and stores nothing; the {@link Compat#NQMINDS} one (registrar and MASA) onboards such pledges,
 * answers the probe without counting a refusal, and still checks proximity, serial-number and signatures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompatTest {
    private static final String PATH = "/.well-known/brski/requestvoucher";
    private Network standard;
    private Network nqminds;

    @BeforeAll
    void start() throws Exception {
        standard = new Network();
        nqminds = new Network(Compat.NQMINDS);
    }

    @AfterAll
    void stop() {
        standard.close();
        nqminds.close();
    }

    private static HttpResponse<byte[]> send(Network net, HeldCertificate client, byte[] body, String... headers)
            throws Exception {
        return post(net.client(Optional.of(client)), net.registrar.uri(), PATH, body, VoucherCms.MEDIA_TYPE, headers);
    }

    /** A pledge voucher-request as nqminds brski signs it: under the ietf-voucher:voucher root, DER. */
    private static byte[] nqmindsPvr(Network net, HeldCertificate pledge, String serial, String nonce, byte[] proximity)
            throws Exception {
        VoucherRequest request = VoucherRequest.builder().assertion(Assertion.PROXIMITY).serialNumber(serial)
                .nonce(nonce).createdOn(OffsetDateTime.now()).proximityRegistrarCert(proximity).build();
        byte[] json = new String(VoucherJson.toJson(request), StandardCharsets.UTF_8)
                .replace("\"ietf-voucher-request:voucher\"", "\"ietf-voucher:voucher\"").getBytes(StandardCharsets.UTF_8);
        return CmsSigner.of(pledge.privateKey(), pledge.certificate(), List.of()).sign(json);
    }

    private static byte[] nqmindsPvr(Network net, HeldCertificate pledge, String serial, String nonce) throws Exception {
        return nqmindsPvr(net, pledge, serial, nonce, net.pki.registrar().certificate().getEncoded());
    }

    private static byte[] base64(byte[] der) {
        return Base64.getEncoder().encode(der);
    }

    private void assertNothingStored(Network net, String serial) throws Exception {
        assertTrue(net.registrar.registrar().store().device(serial).isEmpty(), serial);
        assertTrue(net.registrar.registrar().store().latestVoucher(serial).isEmpty(), serial);
    }

    private static String detail(JsonNode problem) {
        return problem.get("detail").asText();
    }

    private static String metrics(Network net) throws Exception {
        return new String(Calls.get(net.client(Optional.of(net.admin)), net.registrar.adminUri().orElseThrow(),
                "/metrics").body(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ default: each dialect feature refused

    @Test
    void defaultRefusesBase64Bodies() throws Exception {
        HeldCertificate idevid = standard.acmePledge("STD-B64");
        byte[] der = standard.pvr(idevid, "n-std-b64");
        for (byte[] body : List.of(base64(der), Base64.getMimeEncoder().encode(der))) {
            String d = detail(assertProblem(send(standard, idevid, body, "Content-Transfer-Encoding", "base64"), 400,
                    "base64-body"));
            assertTrue(d.contains("binary DER is required") && d.contains("compat nqminds"), d);
        }
        assertNothingStored(standard, "STD-B64");
    }

    @Test
    void defaultRefusesTheVoucherRoot() throws Exception {
        HeldCertificate idevid = standard.acmePledge("STD-ROOT");
        String d = detail(assertProblem(send(standard, idevid, nqmindsPvr(standard, idevid, "STD-ROOT", "n-root")),
                400, "request-root"));
        assertTrue(d.contains("ietf-voucher:voucher") && d.contains("compat nqminds"), d);
        assertNothingStored(standard, "STD-ROOT");
    }

    @Test
    void defaultRefusesTheEmptyProbe() throws Exception {
        HeldCertificate idevid = standard.acmePledge("STD-PROBE");
        String d = detail(assertProblem(send(standard, idevid, new byte[0]), 400, "empty-body"));
        assertTrue(d.contains("compat nqminds"), d);
        assertNothingStored(standard, "STD-PROBE");
    }

    @Test
    void defaultRefusesMasaVouchersWithoutCreatedOn() throws Exception {
        HeldCertificate idevid = Network.pledge("NOCREATED-1", standard.fakeCa, null);
        String d = detail(assertProblem(send(standard, idevid, standard.pvr(idevid, "n-nocreated")), 502,
                "masa-voucher-invalid"));
        assertTrue(d.contains("created-on") && d.contains("compat nqminds"), d);
        assertNothingStored(standard, "NOCREATED-1");
    }

    @Test
    void defaultRefusesBase64MasaVouchers() throws Exception {
        HeldCertificate idevid = Network.pledge("B64-1", standard.fakeCa, null);
        String d = detail(assertProblem(send(standard, idevid, standard.pvr(idevid, "n-b64")), 502,
                "masa-voucher-invalid"));
        assertTrue(d.contains("base64 body"), d);
        HeldCertificate nqm = Network.pledge("NQM-1", standard.fakeCa, null);
        assertProblem(send(standard, nqm, standard.pvr(nqm, "n-nqm")), 502, "masa-voucher-invalid");
        assertNothingStored(standard, "B64-1");
        assertNothingStored(standard, "NQM-1");
    }

    // ------------------------------------------------------------------ compat nqminds: the dialect onboards

    @Test
    void compatAnswersTheProbeThenIssuesABase64Voucher() throws Exception {
        HeldCertificate idevid = nqminds.acmePledge("NQ-FLOW");
        HttpResponse<byte[]> probe = send(nqminds, idevid, new byte[0]);
        assertTrue(detail(assertProblem(probe, 400, "probe")).contains("probe"));
        assertNothingStored(nqminds, "NQ-FLOW");
        String m = metrics(nqminds);
        assertTrue(m.contains("endpoint=\"requestvoucher\",status=\"probe\""), m);
        assertTrue(!m.contains("endpoint=\"requestvoucher\",status=\"400\""), "the probe is not a refusal: " + m);

        HttpResponse<byte[]> response = send(nqminds, idevid, base64(nqmindsPvr(nqminds, idevid, "NQ-FLOW", "nq1")));
        String text = new String(response.body(), StandardCharsets.US_ASCII);
        assertEquals(200, response.statusCode(), text);
        assertEquals(VoucherCms.MEDIA_TYPE, response.headers().firstValue("Content-Type").orElseThrow());
        byte[] der = Base64.getDecoder().decode(text);
        Voucher voucher = VoucherCms.verifyVoucher(CmsVerifier.trusting(List.of(
                nqminds.pki.manufacturerCa().certificate())), VoucherJson.strict(), der).artifact();
        assertEquals(Optional.of("nq1"), voucher.nonce());
        assertEquals("NQ-FLOW", voucher.serialNumber());
        assertArrayEquals(der, nqminds.registrar.registrar().store().latestVoucher("NQ-FLOW").orElseThrow().voucher(),
                "the CMS is the MASA's, byte for byte");
    }

    @Test
    void compatAcceptsLineBrokenBase64() throws Exception {
        HeldCertificate idevid = nqminds.acmePledge("NQ-MIME");
        byte[] body = Base64.getMimeEncoder().encode(nqmindsPvr(nqminds, idevid, "NQ-MIME", "nq2"));
        HttpResponse<byte[]> response = send(nqminds, idevid, body, "Content-Transfer-Encoding", "base64");
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
    }

    @Test
    void compatPassesAnNqmindsMasaVoucherThroughByteForByte() throws Exception {
        HeldCertificate idevid = Network.pledge("NQM-2", nqminds.nqmCa, null);
        HttpResponse<byte[]> response = send(nqminds, idevid, base64(nqmindsPvr(nqminds, idevid, "NQM-2", "nq3")));
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        byte[] masa = nqminds.registrar.registrar().store().latestVoucher("NQM-2").orElseThrow().voucher();
        assertArrayEquals(masa, response.body(), "base64 text/plain voucher without created-on, as the MASA sent it");
        assertTrue(response.body()[0] != 0x30);
    }

    @Test
    void compatAnswersBinaryPledgesInBinary() throws Exception {
        HeldCertificate idevid = Network.pledge("NOCREATED-2", nqminds.nqmCa, null);
        HttpResponse<byte[]> response = send(nqminds, idevid, nqminds.pvr(idevid, "nq4"));
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        byte[] stored = nqminds.registrar.registrar().store().latestVoucher("NOCREATED-2").orElseThrow().voucher();
        assertArrayEquals(Base64.getMimeDecoder().decode(stored), response.body(),
                "the nqminds MASA's base64 voucher, relayed in DER to a pledge that sent DER");
    }

    /** The listener's switch is about its pledges: an RFC 8995 manufacturer's MASA is still held to RFC 8366. */
    @Test
    void compatOnTheListenerDoesNotRelaxAnRfc8995ManufacturersMasa() throws Exception {
        HeldCertificate idevid = Network.pledge("NOCREATED-3", nqminds.fakeCa, null);
        String d = detail(assertProblem(send(nqminds, idevid, nqminds.pvr(idevid, "nq4b")), 502,
                "masa-voucher-invalid"));
        assertTrue(d.contains("created-on") && d.contains("masaDialect nqminds"), d);
        assertNothingStored(nqminds, "NOCREATED-3");
    }

    @Test
    void compatStillChecksProximitySerialAndSignature() throws Exception {
        HeldCertificate idevid = nqminds.acmePledge("NQ-STRICT");
        assertProblem(send(nqminds, idevid, base64(nqmindsPvr(nqminds, idevid, "NQ-STRICT", "nq5",
                nqminds.pki.domainCa().certificate().getEncoded()))), 401, "proximity-registrar-cert-mismatch");
        assertProblem(send(nqminds, idevid, base64(nqmindsPvr(nqminds, idevid, "NQ-OTHER", "nq6"))), 403,
                "serial-number-mismatch");
        HeldCertificate stranger = Network.pledge("NQ-STRICT", nqminds.pki.manufacturerCa(), null);
        assertProblem(send(nqminds, idevid, base64(nqmindsPvr(nqminds, stranger, "NQ-STRICT", "nq7"))), 403,
                "signer-mismatch");
        assertNothingStored(nqminds, "NQ-STRICT");
    }
}
