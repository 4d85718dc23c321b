package org.brski.masa.http;

import static org.brski.masa.RegistrarSimulator.nonce;
import static org.brski.masa.RegistrarSimulator.pvr;
import static org.brski.masa.RegistrarSimulator.rvr;
import static org.brski.masa.RegistrarSimulator.standard;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.brski.masa.RegistrarSimulator;
import org.brski.masa.store.AuditEvent;
import org.brski.masa.store.Ownership;
import org.brski.masa.voucher.MasaPolicy;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.DeviceCertificates;
import org.brski.voucher.Assertion;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.cms.CmsVerifier;
import org.brski.voucher.cms.VerifiedContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MASA over real HTTPS: issuance, ownership, nonceless vouchers, audit log, metrics, concurrency. */
class RequestVoucherTest {
    static final String CMS = "application/voucher-cms+json";
    static final String VOUCHER = "/.well-known/brski/requestvoucher";
    static final String AUDIT = "/.well-known/brski/requestauditlog";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MasaFixture f;
    private static HttpClient registrarClient;
    private static HttpClient anonymousClient;

    @BeforeAll
    static void start() throws Exception {
        f = new MasaFixture(17, MasaPolicy.builder().allowNonceless(true));
        registrarClient = f.client(Optional.of(f.pki.registrar()));
        anonymousClient = f.client(Optional.empty());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static HeldCertificate pledge(int i) {
        return f.pki.pledges().get(i);
    }

    private static String serial(HeldCertificate pledge) {
        return DeviceCertificates.serialNumber(pledge.certificate()).orElseThrow();
    }

    /** Verifies the voucher against the manufacturer CA (the pledge's view) and parses it. */
    static Voucher verifyVoucher(byte[] body, TestPki pki) throws Exception {
        VerifiedContent content = CmsVerifier.trusting(List.of(pki.manufacturerCa().certificate())).verify(body);
        assertArrayEquals(pki.masaSigner().certificate().getEncoded(), content.signer().getEncoded());
        return VoucherJson.strict().parseVoucher(content.content());
    }

    @Test
    void happyPathIssuesAVoucherPinningTheDomainCaAndLogsIt() throws Exception {
        HeldCertificate pledge = pledge(0);
        String nonce = nonce();
        HttpResponse<byte[]> response = f.post(registrarClient, VOUCHER, standard(pledge, f.pki.registrar(), nonce),
                CMS, CMS);
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(CMS, response.headers().firstValue("Content-Type").orElseThrow());
        Voucher voucher = verifyVoucher(response.body(), f.pki);
        assertEquals(serial(pledge), voucher.serialNumber());
        assertEquals(Optional.of(nonce), voucher.nonce());
        assertEquals(Assertion.LOGGED, voucher.assertion());
        assertArrayEquals(f.pki.domainCa().certificate().getEncoded(), voucher.pinnedDomainCert());
        assertTrue(voucher.createdOn().isPresent());
        assertEquals(0, voucher.createdOn().get().getNano(), "created-on in whole seconds");
        String json = new String(CmsVerifier.signatureOnly().verify(response.body()).content(), StandardCharsets.UTF_8);
        assertTrue(json.matches(".*\"created-on\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\".*"), json);
        assertTrue(voucher.expiresOn().isEmpty());

        List<AuditEvent> events = f.masa.store().auditEvents(serial(pledge), 10);
        assertEquals(1, events.size());
        assertEquals(nonce, events.get(0).nonce());
        assertEquals(Assertion.LOGGED, events.get(0).assertion());
        assertEquals(Base64.getEncoder().encodeToString(
                DeviceCertificates.keyIdentifier(f.pki.domainCa().certificate())), events.get(0).domainId());
    }

    @Test
    void idevidIssuerNamingThePledgesCaIsAccepted() throws Exception {
        HeldCertificate pledge = pledge(1);
        byte[] aki = DeviceCertificates.authorityKeyIdentifier(pledge.certificate()).orElseThrow();
        assertArrayEquals(DeviceCertificates.keyIdentifier(f.pki.manufacturerCa().certificate()), aki);
        String nonce = nonce();
        HttpResponse<byte[]> response = f.post(registrarClient, VOUCHER,
                RegistrarSimulator.withIdevidIssuer(pledge, f.pki.registrar(), nonce, aki), CMS, CMS);
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(Optional.of(nonce), verifyVoucher(response.body(), f.pki).nonce());
    }

    @Test
    void ownerBoundDevicesGetVerifiedVouchersForTheirOwnerOnly() throws Exception {
        HeldCertificate pledge = pledge(1);
        f.masa.store().setOwnership(serial(pledge),
                Ownership.boundTo(DeviceCertificates.keyIdentifier(f.pki.domainCa().certificate())));
        HttpResponse<byte[]> ok = f.post(registrarClient, VOUCHER, standard(pledge, f.pki.registrar(), nonce()),
                CMS, CMS);
        assertEquals(200, ok.statusCode());
        assertEquals(Assertion.VERIFIED, verifyVoucher(ok.body(), f.pki).assertion());

        HeldCertificate otherPledge = pledge(2);
        f.masa.store().setOwnership(serial(otherPledge), Ownership.boundTo(new byte[] {1, 2, 3, 4}));
        HttpResponse<byte[]> refused = f.post(registrarClient, VOUCHER,
                standard(otherPledge, f.pki.registrar(), nonce()), CMS, CMS);
        RefusalTest.assertProblem(refused, 403, "not-owner");
        assertEquals(0, f.masa.store().auditEventCount(serial(otherPledge)));
    }

    /**
     * A subjectKeyIdentifier is whatever the certificate's issuer wrote: a registrar of another domain whose self-made
     * CA copies the owner CA's SKI (readable from the AKI of any certificate that CA issued) must not pass as the owner.
     */
    @Test
    void ownerBoundDevicesRefuseADomainCaThatOnlyCopiesTheOwnersSubjectKeyIdentifier() throws Exception {
        HeldCertificate pledge = pledge(12);
        byte[] ownerKeyId = DeviceCertificates.keyIdentifier(f.pki.domainCa().certificate());
        f.masa.store().setOwnership(serial(pledge), Ownership.boundTo(ownerKeyId));
        HeldCertificate foreignCa = spoofedCa(ownerKeyId);
        HeldCertificate foreignRegistrar = HeldCertificate.builder().commonName("foreign registrar")
                .signedBy(foreignCa).extendedKeyUsage(HeldCertificate.ID_KP_CMC_RA).build();
        HttpResponse<byte[]> refused = f.post(registrarClient, VOUCHER,
                standard(pledge, foreignRegistrar, nonce()), CMS, CMS);
        RefusalTest.assertProblem(refused, 403, "not-owner");
        assertEquals(0, f.masa.store().auditEventCount(serial(pledge)));
    }

    /** A self-signed CA of a fresh key whose subjectKeyIdentifier extension is {@code keyId}. */
    static HeldCertificate spoofedCa(byte[] keyId) throws Exception {
        java.security.KeyPair keys = HeldCertificate.builder().commonName("key holder").build().keyPair();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=foreign domain CA");
        java.time.Instant now = java.time.Instant.now();
        org.bouncycastle.cert.X509v3CertificateBuilder builder = new org.bouncycastle.cert.jcajce
                .JcaX509v3CertificateBuilder(name, java.math.BigInteger.valueOf(now.toEpochMilli()),
                        java.util.Date.from(now.minusSeconds(3600)), java.util.Date.from(now.plusSeconds(86400)), name,
                        keys.getPublic())
                .addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                        new org.bouncycastle.asn1.x509.BasicConstraints(1))
                .addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
                        new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.keyCertSign))
                .addExtension(org.bouncycastle.asn1.x509.Extension.subjectKeyIdentifier, false,
                        new org.bouncycastle.asn1.x509.SubjectKeyIdentifier(keyId));
        java.security.cert.X509Certificate certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                        "SHA256withECDSA").build(keys.getPrivate())));
        return HeldCertificate.of(keys.getPrivate(), certificate, List.of());
    }

    @Test
    void noncelessVouchersCarryExpiresOnForAuthenticatedRegistrars() throws Exception {
        HeldCertificate pledge = pledge(3);
        byte[] request = rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), serial(pledge), null, null,
                OffsetDateTime.now(ZoneOffset.UTC));
        HttpResponse<byte[]> response = f.post(registrarClient, VOUCHER, request, CMS, CMS);
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        Voucher voucher = verifyVoucher(response.body(), f.pki);
        assertTrue(voucher.nonce().isEmpty());
        OffsetDateTime expires = voucher.expiresOn().orElseThrow();
        Duration lifetime = Duration.between(voucher.createdOn().orElseThrow(), expires);
        assertEquals(Duration.ofMinutes(20), lifetime);
        AuditEvent event = f.masa.store().auditEvents(serial(pledge), 1).get(0);
        assertEquals(null, event.nonce());

        HttpResponse<byte[]> anonymous = f.post(anonymousClient, VOUCHER, request, CMS, CMS);
        RefusalTest.assertProblem(anonymous, 403, "nonceless-refused");
        assertEquals(1, f.masa.store().auditEventCount(serial(pledge)));

        // an authenticated TLS session does not vouch for a request signed under an unrelated, self-made chain
        HeldCertificate strangerCa = HeldCertificate.builder().commonName("stranger CA").certificateAuthority(0)
                .build();
        HeldCertificate stranger = HeldCertificate.builder().commonName("stranger registrar").signedBy(strangerCa)
                .extendedKeyUsage(HeldCertificate.ID_KP_CMC_RA).build();
        byte[] foreign = rvr(stranger, stranger.issuerChain(), serial(pledge), null, null,
                OffsetDateTime.now(ZoneOffset.UTC));
        RefusalTest.assertProblem(f.post(registrarClient, VOUCHER, foreign, CMS, CMS), 403, "nonceless-refused");
        assertEquals(1, f.masa.store().auditEventCount(serial(pledge)));
    }

    @Test
    void aRegistrarThatDecodesAndReencodesTheNonceStillGetsTheVoucher() throws Exception {
        // The pledge sent base64url without padding; the registrar forwards the same bytes as RFC 7951 base64.
        HeldCertificate pledge = pledge(14);
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        String sent = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String reencoded = Base64.getEncoder().encodeToString(bytes);
        byte[] pvr = pvr(pledge, serial(pledge), sent, f.pki.registrar().certificate());
        byte[] request = rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), serial(pledge), reencoded, pvr,
                OffsetDateTime.now(ZoneOffset.UTC));
        HttpResponse<byte[]> response = f.post(registrarClient, VOUCHER, request, CMS, CMS);
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(Optional.of(reencoded), verifyVoucher(response.body(), f.pki).nonce());

        // The same nonce in yet another spelling is a replay, not a new nonce.
        byte[] again = rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), serial(pledge), sent, pvr,
                OffsetDateTime.now(ZoneOffset.UTC));
        RefusalTest.assertProblem(f.post(registrarClient, VOUCHER, again, CMS, CMS), 403, "nonce-replayed");
    }

    @Test
    void aNonceOfOtherBytesIsStillAMismatch() throws Exception {
        HeldCertificate pledge = pledge(15);
        byte[] pvr = pvr(pledge, serial(pledge), "bO_6MT6wplgEvTBJsXegkw", f.pki.registrar().certificate());
        byte[] request = rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), serial(pledge),
                "bO/6MT6wplgEvTBJsXegkA==", pvr, OffsetDateTime.now(ZoneOffset.UTC));
        RefusalTest.assertProblem(f.post(registrarClient, VOUCHER, request, CMS, CMS), 400, "nonce-mismatch");
    }

    @Test
    void registrarMayAskToPinItsOwnCertificateChainOfOne() throws Exception {
        // A registrar sending only its EE certificate gets it pinned: the farthest certificate of its chain.
        HeldCertificate pledge = pledge(4);
        String nonce = nonce();
        byte[] pvr = pvr(pledge, serial(pledge), nonce, f.pki.registrar().certificate());
        byte[] request = rvr(f.pki.registrar(), List.of(), serial(pledge), nonce, pvr,
                OffsetDateTime.now(ZoneOffset.UTC));
        HttpResponse<byte[]> response = f.post(registrarClient, VOUCHER, request, CMS, "*/*");
        assertEquals(200, response.statusCode());
        assertArrayEquals(f.pki.registrar().certificate().getEncoded(),
                verifyVoucher(response.body(), f.pki).pinnedDomainCert());
    }

    @Test
    void auditLogListsTheDevicesVouchersForItsDomain() throws Exception {
        HeldCertificate pledge = pledge(5);
        String n1 = nonce();
        String n2 = nonce();
        assertEquals(200, f.post(registrarClient, VOUCHER, standard(pledge, f.pki.registrar(), n1), CMS, CMS)
                .statusCode());
        byte[] second = standard(pledge, f.pki.registrar(), n2);
        assertEquals(200, f.post(registrarClient, VOUCHER, second, CMS, CMS).statusCode());

        HttpResponse<byte[]> log = f.post(registrarClient, AUDIT, second, CMS, "application/json");
        assertEquals(200, log.statusCode(), () -> new String(log.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", log.headers().firstValue("Content-Type").orElseThrow());
        JsonNode root = JSON.readTree(log.body());
        assertEquals(1, root.get("version").asInt());
        JsonNode events = root.get("events");
        assertEquals(2, events.size());
        String domainId = Base64.getEncoder().encodeToString(
                DeviceCertificates.keyIdentifier(f.pki.domainCa().certificate()));
        assertEquals(n1, events.get(0).get("nonce").asText());
        assertEquals(n2, events.get(1).get("nonce").asText());
        assertEquals(domainId, events.get(0).get("domainID").asText());
        assertEquals("logged", events.get(0).get("assertion").asText());
        OffsetDateTime.parse(events.get(0).get("date").asText());
        assertEquals(0, root.get("truncation").get("arbitrary").asInt());

        // Another domain that never owned the device learns nothing.
        HeldCertificate otherCa = HeldCertificate.builder().commonName("Other Domain CA").certificateAuthority(0)
                .build();
        HeldCertificate otherRegistrar = HeldCertificate.builder().commonName("other registrar").signedBy(otherCa)
                .extendedKeyUsage(HeldCertificate.ID_KP_CMC_RA).build();
        HttpResponse<byte[]> foreign = f.post(registrarClient, AUDIT,
                standard(pledge, otherRegistrar, nonce()), CMS, "application/json");
        RefusalTest.assertProblem(foreign, 404, "no-audit-log");
        HttpResponse<byte[]> wrongAccept = f.post(registrarClient, AUDIT, second, CMS, CMS);
        RefusalTest.assertProblem(wrongAccept, 406, "not-acceptable");
    }

    /** A captured audit-log request must not replay the log: its created-on is judged as a voucher request's. */
    @Test
    void auditLogRequestsMustBeFresh() throws Exception {
        HeldCertificate pledge = pledge(16);
        String nonce = nonce();
        String serial = DeviceCertificates.serialNumber(pledge.certificate()).orElseThrow();
        byte[] pvr = pvr(pledge, serial, nonce, f.pki.registrar().certificate());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        assertEquals(200, f.post(registrarClient, VOUCHER, rvr(f.pki.registrar(), f.pki.registrar().issuerChain(),
                serial, nonce, pvr, now), CMS, CMS).statusCode());
        for (OffsetDateTime stale : new OffsetDateTime[] {now.minusHours(2), now.plusHours(2), null}) {
            byte[] captured = rvr(f.pki.registrar(), f.pki.registrar().issuerChain(), serial, nonce, pvr, stale);
            RefusalTest.assertProblem(f.post(registrarClient, AUDIT, captured, CMS, "application/json"), 403,
                    "stale-request");
        }
        assertEquals(200, f.post(registrarClient, AUDIT, rvr(f.pki.registrar(), f.pki.registrar().issuerChain(),
                serial, nonce, pvr, OffsetDateTime.now(ZoneOffset.UTC)), CMS, "application/json").statusCode());
    }

    @Test
    void auditLogIsNotAnsweredToADomainCaThatOnlyCopiesTheLoggedDomainsSubjectKeyIdentifier() throws Exception {
        HeldCertificate pledge = pledge(13);
        assertEquals(200, f.post(registrarClient, VOUCHER, standard(pledge, f.pki.registrar(), nonce()), CMS, CMS)
                .statusCode());
        HeldCertificate foreignCa = spoofedCa(DeviceCertificates.keyIdentifier(f.pki.domainCa().certificate()));
        HeldCertificate foreignRegistrar = HeldCertificate.builder().commonName("foreign registrar")
                .signedBy(foreignCa).extendedKeyUsage(HeldCertificate.ID_KP_CMC_RA).build();
        HttpResponse<byte[]> foreign = f.post(registrarClient, AUDIT, standard(pledge, foreignRegistrar, nonce()),
                CMS, "application/json");
        RefusalTest.assertProblem(foreign, 404, "no-audit-log");
    }

    @Test
    void oneHundredConcurrentRequestsAllSucceedAndAreAllLogged() throws Exception {
        List<HeldCertificate> pledges = f.pki.pledges().subList(6, 11);
        long before = 0;
        for (HeldCertificate p : pledges) {
            before += f.masa.store().auditEventCount(serial(p));
        }
        List<CompletableFuture<HttpResponse<byte[]>>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] request = standard(pledges.get(i % pledges.size()), f.pki.registrar(), nonce());
            futures.add(registrarClient.sendAsync(java.net.http.HttpRequest.newBuilder(f.masa.uri().resolve(VOUCHER))
                    .header("Content-Type", CMS).header("Accept", CMS)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> future : futures) {
            HttpResponse<byte[]> response = future.get();
            assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
            verifyVoucher(response.body(), f.pki);
        }
        long after = 0;
        for (HeldCertificate p : pledges) {
            after += f.masa.store().auditEventCount(serial(p));
        }
        assertEquals(100, after - before);
    }

    /** Issue 13: /metrics was readable anonymously on the public port. */
    @Test
    void metricsAreServedOnlyToOperatorCertificates() throws Exception {
        java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(f.masa.uri().resolve("/metrics")).build();
        HttpResponse<String> anonymous = anonymousClient.send(get, HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals("TLS-Client-Certificate realm=\"brski\"",
                anonymous.headers().firstValue("WWW-Authenticate").orElse("(none)"));
        assertFalse(anonymous.body().contains("brski_masa"), anonymous.body());
        HttpResponse<String> registrar = registrarClient.send(get, HttpResponse.BodyHandlers.ofString());
        assertEquals(403, registrar.statusCode(), "a registrar certificate is not an operator's");
        assertFalse(registrar.body().contains("brski_masa"), registrar.body());
        assertEquals(200, f.client(Optional.of(f.operator)).send(get, HttpResponse.BodyHandlers.ofString())
                .statusCode());
    }

    @Test
    void healthAndMetricsReportTheService() throws Exception {
        assertEquals(200, f.post(registrarClient, VOUCHER, standard(pledge(11), f.pki.registrar(), nonce()), CMS,
                CMS).statusCode());
        HttpResponse<String> health = anonymousClient.send(java.net.http.HttpRequest.newBuilder(
                f.masa.uri().resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        HttpResponse<String> metrics = f.client(Optional.of(f.operator)).send(java.net.http.HttpRequest.newBuilder(
                f.masa.uri().resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("brski_masa_vouchers_issued_total"), metrics.body());
        assertTrue(metrics.body().contains("brski_masa_request_duration_seconds_bucket"), metrics.body());
        assertFalse(metrics.body().contains("PRIVATE KEY"));
    }
}
