package org.brski.masa.http;

import static org.brski.masa.RegistrarSimulator.nonce;
import static org.brski.masa.RegistrarSimulator.pvr;
import static org.brski.masa.RegistrarSimulator.rvr;
import static org.brski.masa.RegistrarSimulator.sign;
import static org.brski.masa.RegistrarSimulator.standard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.brski.masa.RegistrarSimulator;
import org.brski.masa.voucher.MasaPolicy;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.DeviceCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every bad input of issue 4, over HTTPS: the right status, an RFC 9457 problem naming what was wrong, and nothing in
 * the audit log.
 */
class RefusalTest {
    static final String CMS = RequestVoucherTest.CMS;
    static final String VOUCHER = RequestVoucherTest.VOUCHER;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MasaFixture f;
    private static HttpClient client;
    private static HeldCertificate pledge;
    private static String serial;
    private long auditBefore;

    @BeforeAll
    static void start() throws Exception {
        f = new MasaFixture(2, MasaPolicy.builder());
        client = f.client(Optional.of(f.pki.registrar()));
        pledge = f.pki.pledges().get(0);
        serial = DeviceCertificates.serialNumber(pledge.certificate()).orElseThrow();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @BeforeEach
    void countBefore() throws Exception {
        auditBefore = f.auditEvents();
    }

    @AfterEach
    void nothingWasLogged() throws Exception {
        assertEquals(auditBefore, f.auditEvents(), "a refused request must leave no audit entry");
    }

    /** Asserts status, problem media type and type slug; returns the problem. */
    static JsonNode assertProblem(HttpResponse<byte[]> response, int status, String slug) throws Exception {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(status, response.statusCode(), body);
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        JsonNode problem = JSON.readTree(body);
        assertEquals("urn:brski:problem:" + slug, problem.get("type").asText(), body);
        assertEquals(status, problem.get("status").asInt());
        assertFalse(problem.get("detail").asText().isBlank());
        assertFalse(body.contains("Exception"), "no internals in problems: " + body);
        return problem;
    }

    private HttpResponse<byte[]> send(byte[] body) throws Exception {
        return f.post(client, VOUCHER, body, CMS, CMS);
    }

    private static HeldCertificate registrarLike(HeldCertificate issuer, Instant notBefore, Instant notAfter,
            String... ekus) {
        HeldCertificate.Builder b = HeldCertificate.builder().commonName("registrar variant").signedBy(issuer)
                .extendedKeyUsage(ekus);
        if (notBefore != null) {
            b.validity(notBefore, notAfter);
        }
        return b.build();
    }

    @Test
    void nonCmsBodyIs400() throws Exception {
        assertProblem(send("{\"ietf-voucher-request:voucher\":{}}".getBytes(StandardCharsets.UTF_8)), 400,
                "malformed-request");
    }

    @Test
    void truncatedCmsIs400() throws Exception {
        byte[] good = standard(pledge, f.pki.registrar(), nonce());
        assertProblem(send(Arrays.copyOf(good, good.length / 2)), 400, "malformed-request");
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        assertProblem(f.post(client, VOUCHER, standard(pledge, f.pki.registrar(), nonce()), "application/json", CMS),
                415, "unsupported-media-type");
        assertProblem(f.post(client, VOUCHER, standard(pledge, f.pki.registrar(), nonce()), null, CMS),
                415, "unsupported-media-type");
    }

    @Test
    void wrongAcceptIs406() throws Exception {
        assertProblem(f.post(client, VOUCHER, standard(pledge, f.pki.registrar(), nonce()), CMS, "application/json"),
                406, "not-acceptable");
    }

    @Test
    void badRegistrarSignatureIs403() throws Exception {
        byte[] request = standard(pledge, f.pki.registrar(), nonce());
        request[request.length - 1] ^= 0x01; // last byte of the ECDSA signature value
        assertProblem(send(request), 403, "bad-signature");
    }

    @Test
    void registrarWithoutCmcRaIs403() throws Exception {
        HeldCertificate notRa = registrarLike(f.pki.domainCa(), null, null, HeldCertificate.ID_KP_SERVER_AUTH,
                HeldCertificate.ID_KP_CLIENT_AUTH);
        assertProblem(send(standard(pledge, notRa, nonce())), 403, "not-a-registrar");
    }

    @Test
    void expiredRegistrarIs403() throws Exception {
        Instant now = Instant.now();
        HeldCertificate expired = registrarLike(f.pki.domainCa(), now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)), HeldCertificate.ID_KP_CMC_RA);
        assertProblem(send(standard(pledge, expired, nonce())), 403, "untrusted-registrar");
    }

    @Test
    void pledgeOfAForeignManufacturerIs403() throws Exception {
        TestPki foreign = TestPki.builder().serials(serial).build();
        assertProblem(send(standard(foreign.pledge(serial), f.pki.registrar(), nonce())), 403, "foreign-pledge");
    }

    @Test
    void serialMismatchBetweenRegistrarAndPledgeRequestsIs400() throws Exception {
        String nonce = nonce();
        byte[] pvr = pvr(pledge, serial, nonce, f.pki.registrar().certificate());
        String otherSerial = f.pki.serials().get(1);
        assertProblem(send(rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), otherSerial, nonce, pvr,
                OffsetDateTime.now(ZoneOffset.UTC))), 400, "serial-mismatch");
        byte[] lyingPvr = pvr(pledge, otherSerial, nonce, f.pki.registrar().certificate());
        assertProblem(send(rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), serial, nonce, lyingPvr,
                OffsetDateTime.now(ZoneOffset.UTC))), 400, "serial-mismatch");
    }

    @Test
    void idevidIssuerOfAnotherCaIs400() throws Exception {
        byte[] otherCa = DeviceCertificates.keyIdentifier(f.pki.domainCa().certificate());
        JsonNode problem = assertProblem(send(RegistrarSimulator.withIdevidIssuer(pledge, f.pki.registrar(), nonce(),
                otherCa)), 400, "serial-mismatch");
        assertTrue(problem.get("detail").asText().contains("idevid-issuer"), problem.toString());
    }

    @Test
    void nonceMismatchIs400() throws Exception {
        byte[] pvr = pvr(pledge, serial, nonce(), f.pki.registrar().certificate());
        assertProblem(send(rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), serial, nonce(), pvr,
                OffsetDateTime.now(ZoneOffset.UTC))), 400, "nonce-mismatch");
    }

    @Test
    void proximityRegistrarCertOfAnotherRegistrarIs403() throws Exception {
        String nonce = nonce();
        HeldCertificate elsewhere = registrarLike(f.pki.domainCa(), null, null, HeldCertificate.ID_KP_CMC_RA);
        byte[] pvr = pvr(pledge, serial, nonce, elsewhere.certificate());
        assertProblem(send(rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), serial, nonce, pvr,
                OffsetDateTime.now(ZoneOffset.UTC))), 403, "proximity-mismatch");
    }

    @Test
    void staleOrFutureCreatedOnIs403() throws Exception {
        String nonce = nonce();
        byte[] pvr = pvr(pledge, serial, nonce, f.pki.registrar().certificate());
        assertProblem(send(rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), serial, nonce, pvr,
                OffsetDateTime.now(ZoneOffset.UTC).minusDays(1))), 403, "stale-request");
        assertProblem(send(rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), serial, nonce, pvr,
                OffsetDateTime.now(ZoneOffset.UTC).plusDays(1))), 403, "stale-request");
    }

    @Test
    void unknownSerialIs404() throws Exception {
        HeldCertificate unregistered = f.pki.issuePledge("NOT-REGISTERED-1");
        assertProblem(send(standard(unregistered, f.pki.registrar(), nonce())), 404, "unknown-device");
    }

    @Test
    void ownerBoundDeviceAskedByAnotherDomainIs403() throws Exception {
        String boundSerial = f.pki.serials().get(1);
        f.masa.store().setOwnership(boundSerial, org.brski.masa.store.Ownership.boundTo(new byte[] {9, 9, 9}));
        try {
            assertProblem(send(standard(f.pki.pledge(boundSerial), f.pki.registrar(), nonce())), 403, "not-owner");
        } finally {
            f.masa.store().setOwnership(boundSerial, org.brski.masa.store.Ownership.byDefault());
        }
    }

    @Test
    void replayedNonceIs403() throws Exception {
        byte[] request = standard(pledge, f.pki.registrar(), nonce());
        assertEquals(200, send(request).statusCode());
        auditBefore++; // the first, legitimate voucher is logged
        assertProblem(send(request), 403, "nonce-replayed");
    }

    @Test
    void noncelessRequestsAreRefusedByDefaultPolicy() throws Exception {
        assertProblem(send(rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), serial, null, null,
                OffsetDateTime.now(ZoneOffset.UTC))), 403, "nonceless-refused");
    }

    @Test
    void nonceWithoutPledgeRequestIs400() throws Exception {
        assertProblem(send(rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), serial, nonce(), null,
                OffsetDateTime.now(ZoneOffset.UTC))), 400, "malformed-request");
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        assertProblem(send(new byte[128 * 1024 + 1]), 413, "too-large");
    }

    @Test
    void deeplyNestedJsonIs400() throws Exception {
        StringBuilder nested = new StringBuilder("{\"ietf-voucher-request:voucher\":{\"serial-number\":\"" + serial
                + "\",\"x\":");
        nested.append("[".repeat(500)).append("]".repeat(500)).append("}}");
        byte[] request = sign(f.pki.registrar(), f.pki.registrar().issuerChain(),
                nested.toString().getBytes(StandardCharsets.UTF_8));
        assertProblem(send(request), 400, "malformed-request");
    }

    @Test
    void getIs405() throws Exception {
        HttpResponse<byte[]> response = client.send(java.net.http.HttpRequest.newBuilder(f.masa.uri().resolve(VOUCHER))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertProblem(response, 405, "method-not-allowed");
    }

    @Test
    void refusalsAreCountedByReason() throws Exception {
        send("garbage".getBytes(StandardCharsets.US_ASCII));
        String scrape = f.masa.registry().scrape();
        assertEquals(true, scrape.contains("brski_masa_requests_refused_total{endpoint=\"requestvoucher\","
                + "reason=\"malformed-request\"}"), scrape);
    }

}
