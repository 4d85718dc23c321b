package org.brski.registrar;

import static org.brski.registrar.Calls.assertProblem;
import static org.brski.registrar.Calls.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;

import org.brski.pki.HeldCertificate;
import org.brski.registrar.policy.Approval;
import org.brski.registrar.policy.Manufacturer;
import org.brski.registrar.store.Device;
import org.brski.voucher.VoucherCms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every way a voucher request can be refused: right status, problem body, nothing stored. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VoucherRefusalTest {
    private static final String PATH = "/.well-known/brski/requestvoucher";
    private Network net;
    private URI base;
    private byte[] registrarCert;

    @BeforeAll
    void start() throws Exception {
        net = new Network();
        base = net.registrar.uri();
        registrarCert = net.pki.registrar().certificate().getEncoded();
    }

    @AfterAll
    void stop() {
        net.close();
    }

    private HttpResponse<byte[]> send(HeldCertificate client, byte[] body) throws Exception {
        return post(net.client(Optional.ofNullable(client)), base, PATH, body, VoucherCms.MEDIA_TYPE);
    }

    private void assertRefused(HttpResponse<byte[]> response, int status, String slug, String serial)
            throws Exception {
        assertProblem(response, status, slug);
        Optional<Device> device = net.registrar.registrar().store().device(serial);
        assertTrue(device.isEmpty(), "no row for " + serial + ": " + device);
        assertTrue(net.registrar.registrar().store().latestVoucher(serial).isEmpty());
    }

    private void assertRefusedWithFakeMasa(String serial, int status, String slug) throws Exception {
        HeldCertificate idevid = Network.pledge(serial, net.fakeCa, null);
        HttpResponse<byte[]> response = send(idevid, net.pvr(idevid, "n-" + serial));
        assertRefused(response, status, slug, serial);
    }

    @Test
    void withoutClientCertificate() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-NOCERT");
        assertRefused(send(null, net.pvr(idevid, "n1")), 401, "client-certificate-required", "ACME-NOCERT");
    }

    @Test
    void signedByAnotherKeyThanTheTlsClient() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-OTHERKEY");
        HeldCertificate impostor = Network.pledge("ACME-OTHERKEY", net.pki.manufacturerCa(), null);
        byte[] pvr = net.pvr(impostor, "ACME-OTHERKEY", "n2", registrarCert, OffsetDateTime.now());
        assertRefused(send(idevid, pvr), 403, "signer-mismatch", "ACME-OTHERKEY");
    }

    @Test
    void serialNumberDiffersFromTheIdevid() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-SERIAL");
        byte[] pvr = net.pvr(idevid, "ACME-ELSE", "n3", registrarCert, OffsetDateTime.now());
        assertRefused(send(idevid, pvr), 403, "serial-number-mismatch", "ACME-SERIAL");
    }

    @Test
    void missingNonce() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-NONONCE");
        byte[] pvr = net.pvr(idevid, "ACME-NONONCE", null, registrarCert, OffsetDateTime.now());
        assertRefused(send(idevid, pvr), 400, "nonce-missing", "ACME-NONONCE");
    }

    @Test
    void wrongProximityRegistrarCert() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-PROX");
        byte[] pvr = net.pvr(idevid, "ACME-PROX", "n4", net.pki.masaTls().certificate().getEncoded(),
                OffsetDateTime.now());
        HttpResponse<byte[]> response = send(idevid, pvr);
        assertRefused(response, 401, "proximity-registrar-cert-mismatch", "ACME-PROX");
        assertEquals("close", response.headers().firstValue("Connection").orElseThrow(), "RFC 8995 5.2");
    }

    @Test
    void missingProximityRegistrarCert() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-NOPROX");
        byte[] pvr = net.pvr(idevid, "ACME-NOPROX", "n5", null, OffsetDateTime.now());
        assertRefused(send(idevid, pvr), 401, "proximity-registrar-cert-missing", "ACME-NOPROX");
    }

    @Test
    void staleCreatedOn() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-STALE");
        byte[] pvr = net.pvr(idevid, "ACME-STALE", "n6", registrarCert, OffsetDateTime.now().minusHours(2));
        assertRefused(send(idevid, pvr), 403, "stale-request", "ACME-STALE");
    }

    @Test
    void createdOnInTheFuture() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-FUTURE");
        byte[] pvr = net.pvr(idevid, "ACME-FUTURE", "n6f", registrarCert, OffsetDateTime.now().plusHours(2));
        assertRefused(send(idevid, pvr), 403, "future-request", "ACME-FUTURE");
    }

    @Test
    void distrustedManufacturer() throws Exception {
        HeldCertificate idevid = Network.pledge("BAD-1", net.badCa, null);
        assertRefused(send(idevid, net.pvr(idevid, "n7")), 403, "manufacturer-distrusted", "BAD-1");
    }

    @Test
    void unknownManufacturer() throws Exception {
        HeldCertificate idevid = Network.pledge("STRANGE-1", net.strangerCa, "https://127.0.0.1:1");
        assertRefused(send(idevid, net.pvr(idevid, "n8")), 403, "unknown-manufacturer", "STRANGE-1");
    }

    @Test
    void deniedDevice() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-DENIED");
        net.registrar.registrar().admin().deny("ACME-DENIED");
        HttpResponse<byte[]> response = send(idevid, net.pvr(idevid, "n9"));
        assertProblem(response, 403, "device-denied");
        Device device = net.registrar.registrar().store().device("ACME-DENIED").orElseThrow();
        assertEquals(Approval.DENIED, device.approval());
        assertEquals(0, device.vouchers());
        assertTrue(device.idevid().isEmpty(), "nothing recorded from the refused request");
    }

    @Test
    void idevidMasaUrlLongerThanStorableIsRefusedBeforeTheMasaIsAsked() throws Exception {
        String url = net.fakeMasa.uri() + "/" + "a".repeat(Manufacturer.MAX_MASA_URL);
        HeldCertificate idevid = Network.pledge("LONGURL-1", net.noMasaCa, url);
        String detail = assertProblem(send(idevid, net.pvr(idevid, "n-longurl")), 403, "bad-masa-url").get("detail")
                .asText();
        assertTrue(detail.contains(String.valueOf(Manufacturer.MAX_MASA_URL)), detail);
        assertTrue(net.registrar.registrar().store().device("LONGURL-1").isEmpty());
    }

    @Test
    void unknownMasa() throws Exception {
        HeldCertificate idevid = Network.pledge("NOMASA-1", net.noMasaCa, null);
        assertRefused(send(idevid, net.pvr(idevid, "n10")), 403, "unknown-masa", "NOMASA-1");
    }

    @Test
    void unreachableMasaIs503WithRetryAfter() throws Exception {
        HeldCertificate idevid = Network.pledge("DEAD-1", net.deadCa, null);
        HttpResponse<byte[]> response = send(idevid, net.pvr(idevid, "n11"));
        assertRefused(response, 503, "masa-unavailable", "DEAD-1");
        assertEquals("30", response.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void slowMasaIs503WithRetryAfter() throws Exception {
        HeldCertificate idevid = Network.pledge("SLOW-1", net.fakeCa, null);
        HttpResponse<byte[]> response = send(idevid, net.pvr(idevid, "n12"));
        net.releaseSlow();
        assertRefused(response, 503, "masa-unavailable", "SLOW-1");
        assertTrue(response.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void failingMasaIs503() throws Exception {
        assertRefusedWithFakeMasa("ERR-1", 503, "masa-unavailable");
    }

    @Test
    void masaRefusalIsRelayed() throws Exception {
        assertRefusedWithFakeMasa("REFUSE-1", 404, "masa-refused");
    }

    @Test
    void masaVoucherWithWrongNonce() throws Exception {
        assertRefusedWithFakeMasa("NONCE-1", 502, "masa-voucher-invalid");
    }

    @Test
    void masaVoucherWithWrongSerial() throws Exception {
        assertRefusedWithFakeMasa("SERIAL-1", 502, "masa-voucher-invalid");
    }

    @Test
    void masaVoucherPinningAnotherDomain() throws Exception {
        assertRefusedWithFakeMasa("PIN-1", 502, "masa-voucher-invalid");
    }

    @Test
    void masaVoucherSignedByAnUntrustedKey() throws Exception {
        assertRefusedWithFakeMasa("SIG-1", 502, "masa-voucher-invalid");
    }

    @Test
    void masaVoucherWithWrongMediaType() throws Exception {
        assertRefusedWithFakeMasa("TYPE-1", 502, "masa-voucher-invalid");
    }

    @Test
    void fakeMasaControlCaseSucceeds() throws Exception {
        HeldCertificate idevid = Network.pledge("OK-1", net.fakeCa, null);
        assertEquals(200, send(idevid, net.pvr(idevid, "n-ok")).statusCode());
        assertEquals(1, net.registrar.registrar().store().device("OK-1").orElseThrow().vouchers());
    }

    @Test
    void oversizedBody() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-BIG");
        assertRefused(send(idevid, new byte[70 * 1024]), 413, "too-large", "ACME-BIG");
    }

    @Test
    void wrongContentType() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-TYPE");
        HttpResponse<byte[]> response = post(net.client(Optional.of(idevid)), base, PATH, net.pvr(idevid, "n13"),
                "application/json");
        assertRefused(response, 415, "unsupported-media-type", "ACME-TYPE");
    }

    @Test
    void unacceptableAccept() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-ACCEPT");
        HttpResponse<byte[]> response = post(net.client(Optional.of(idevid)), base, PATH, net.pvr(idevid, "n14"),
                VoucherCms.MEDIA_TYPE, "Accept", "application/voucher-cose+cbor");
        assertRefused(response, 406, "not-acceptable", "ACME-ACCEPT");
    }

    @Test
    void garbageBody() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-GARBAGE");
        assertRefused(send(idevid, new byte[] {0x01, 0x02, 0x03}), 400, "malformed-cms", "ACME-GARBAGE");
    }

    @Test
    void tamperedContent() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-TAMPER");
        byte[] pvr = net.pvr(idevid, "nonce-tamper");
        byte[] needle = "nonce-tamper".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i + needle.length <= pvr.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(pvr, i, i + needle.length), needle)) {
                pvr[i] = 'N';
                break;
            }
        }
        assertRefused(send(idevid, pvr), 403, "bad-signature", "ACME-TAMPER");
    }

    @Test
    void wrongMethod() throws Exception {
        HttpResponse<byte[]> response = Calls.get(net.client(Optional.empty()), base, PATH);
        assertProblem(response, 405, "method-not-allowed");
    }

    /** Signed JSON that is not one clean document: the problem names the defect in JSON terms, not Jackson's. */
    @Test
    void malformedJsonInsideASignedRequestIsDescribedWithoutParserInternals() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-TRAILING");
        String request = "{\"ietf-voucher-request:voucher\":{\"assertion\":\"proximity\","
                + "\"serial-number\":\"ACME-TRAILING\",\"nonce\":\"bm9uY2U=\"}}";
        var signer = org.brski.voucher.cms.CmsSigner.of(idevid.privateKey(), idevid.certificate(),
                java.util.List.of());
        for (String json : java.util.List.of(request + " {\"more\":1}", request + " 42",
                request.replace("\"nonce\"", "\"serial-number\":\"OTHER\",\"nonce\""), "{\"a\":[1,}")) {
            HttpResponse<byte[]> response = send(idevid, signer.sign(json.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
            String detail = assertProblem(response, 400, "malformed-json").get("detail").asText();
            assertTrue(!detail.contains("`") && !detail.contains("jackson") && !detail.contains("Feature")
                    && !detail.contains("JsonNode"), detail);
        }
        assertTrue(net.registrar.registrar().store().device("ACME-TRAILING").isEmpty());
    }

    /**
     * A 52 KB pledge voucher-request (its CMS carries a long certificate bag) is within the registrar's 64 KiB limit;
     * wrapped base64 in the registrar's request it must still fit the MASA's limit (it got 502 when the MASA allowed
     * only 64 KiB). A MASA that still finds it too large is relayed as 413, the pledge's to fix, not 502.
     */
    @Test
    void aLargePledgeRequestTheRegistrarAcceptsFitsTheMasa() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-52KB");
        java.util.List<java.security.cert.X509Certificate> padding = new java.util.ArrayList<>();
        String[] names = new String[50];
        for (int i = 0; i < names.length; i++) {
            names[i] = "n" + i + "-" + "x".repeat(60) + ".example";
        }
        for (int i = 0; i < 14; i++) {
            padding.add(HeldCertificate.builder().commonName("padding " + i).dnsNames(names).build().certificate());
        }
        var serial = org.brski.pkix.DeviceCertificates.serialNumber(idevid.certificate()).orElseThrow();
        byte[] pvr = VoucherCms.sign(org.brski.voucher.cms.CmsSigner.of(idevid.privateKey(), idevid.certificate(),
                padding), org.brski.voucher.VoucherRequest.builder().assertion(org.brski.voucher.Assertion.PROXIMITY)
                .serialNumber(serial).nonce("n-52kb").createdOn(OffsetDateTime.now())
                .proximityRegistrarCert(registrarCert).build());
        assertTrue(pvr.length > 52 * 1000, "52 KB: " + pvr.length);
        assertTrue(pvr.length < 64 * 1024, "within the registrar's limit: " + pvr.length);
        HttpResponse<byte[]> response = send(idevid, pvr);
        assertEquals(200, response.statusCode(), new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));

        HeldCertificate big = Network.pledge("BIG-1", net.fakeCa, null);
        assertRefused(send(big, net.pvr(big, "n-big")), 413, "masa-refused", "BIG-1");
    }
}
