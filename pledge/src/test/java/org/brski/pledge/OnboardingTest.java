package org.brski.pledge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.CertPaths;
import org.brski.pkix.DeviceCertificates;
import org.brski.pledge.FakeRegistrar.Answer;
import org.brski.pledge.PledgeException.Reason;
import org.brski.voucher.Assertion;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsVerifier;
import org.brski.voucher.cms.VerifiedContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Onboarding against an in-process registrar + MASA with real TLS, CMS and certificates; good and bad cases. */
class OnboardingTest {
    static final String SERIAL = "BRSKI-0001";
    static final ObjectMapper JSON = new ObjectMapper();
    static TestPki pki;
    static TestPki otherPki;

    FakeRegistrar registrar;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pki() {
        pki = TestPki.builder().serials(SERIAL, "BRSKI-0002").build();
        otherPki = TestPki.builder().build();
    }

    @BeforeEach
    void start() throws Exception {
        registrar = FakeRegistrar.start(pki);
    }

    @AfterEach
    void stop() throws Exception {
        registrar.close();
    }

    PledgeOptions.Builder options() {
        return PledgeOptions.builder()
                .exchangeTimeout(Duration.ofSeconds(10))
                .sleeper(sleeps::add)
                .listener((step, outcome, message) -> events.add(outcome + " " + step.label() + ": " + message));
    }

    Pledge pledge(PledgeOptions options) throws PledgeException {
        HeldCertificate idevid = pki.pledge(SERIAL);
        return Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                .masaAnchors(List.of(pki.manufacturerCa().certificate())).options(options).build();
    }

    Pledge pledge() throws PledgeException {
        return pledge(options().build());
    }

    PledgeException refused(Reason reason) {
        PledgeException e = assertThrows(PledgeException.class, () -> pledge().onboard(registrar.uri()));
        assertEquals(reason, e.reason(), e::toString);
        assertEquals(registrar.uri(), e.registrar().orElseThrow());
        assertTrue(registrar.received("/simpleenroll").isEmpty(), "the pledge must never enroll after " + reason);
        return e;
    }

    JsonNode status(String suffix) throws Exception {
        List<FakeRegistrar.Received> posts = registrar.received(suffix);
        assertEquals(1, posts.size(), suffix + " posts: " + registrar.paths());
        assertEquals("application/json", posts.get(0).headers().get("content-type"));
        return JSON.readTree(posts.get(0).body());
    }

    // ---- the good path ----------------------------------------------------------------------------------------

    @Test
    void onboardsAndEnrollsAnLdevidThatChainsToTheDomainCa() throws Exception {
        OnboardingResult result = pledge().onboard(registrar.uri());

        X509Certificate ldevid = result.ldevid();
        assertEquals(SERIAL, DeviceCertificates.serialNumber(ldevid).orElseThrow(), "the subject keeps serialNumber");
        assertTrue(OnboardingResult.keyMatches(result.ldevidKey(), ldevid));
        assertFalse(DomainTrust.sameKey(ldevid.getPublicKey(), pki.pledge(SERIAL).publicKey()), "a new key");
        CertPaths.validate(ldevid, result.ldevidChain(), List.of(pki.domainCa().certificate()),
                java.time.Instant.now());
        assertEquals(List.of(pki.domainCa().certificate()), result.domainTrustAnchors());
        assertEquals(pki.registrar().certificate(), result.registrarChain().get(0));
        assertEquals(SERIAL, result.voucher().serialNumber());

        assertEquals(List.of(
                "GET /.well-known/est/cacerts",
                "POST /.well-known/brski/requestvoucher",
                "POST /.well-known/brski/voucher_status",
                "GET /.well-known/est/cacerts",
                "GET /.well-known/est/csrattrs",
                "POST /.well-known/est/simpleenroll",
                "POST /.well-known/brski/enrollstatus"), registrar.paths());
        assertEquals(true, status("/voucher_status").get("status").asBoolean());
        assertEquals(1, status("/voucher_status").get("version").asInt());
        assertEquals(true, status("/enrollstatus").get("status").asBoolean());
    }

    @Test
    void voucherRequestIsSignedByTheIdevidAndNamesTheRegistrarCertificate() throws Exception {
        OnboardingResult result = pledge().onboard(registrar.uri());
        FakeRegistrar.Received post = registrar.received("/requestvoucher").get(0);
        assertEquals(VoucherCms.MEDIA_TYPE, post.headers().get("content-type"));
        assertEquals(VoucherCms.MEDIA_TYPE, post.headers().get("accept"));
        assertEquals(String.valueOf(post.body().length), post.headers().get("content-length"));
        assertEquals(pki.pledge(SERIAL).certificate(), post.clientChain().get(0), "IDevID as TLS client cert");

        VerifiedContent cms = CmsVerifier.trusting(List.of(pki.manufacturerCa().certificate())).verify(post.body());
        assertEquals(pki.pledge(SERIAL).certificate(), cms.signer());
        VoucherRequest pvr = VoucherJson.strict().parseVoucherRequest(cms.content());
        assertEquals(Assertion.PROXIMITY, pvr.assertion().orElseThrow());
        assertEquals(SERIAL, pvr.serialNumber());
        assertTrue(pvr.createdOn().isPresent());
        assertArrayEquals(pki.registrar().certificate().getEncoded(), pvr.proximityRegistrarCert().orElseThrow());
        assertEquals(pvr.nonce().orElseThrow(), result.voucher().nonce().orElseThrow());
        assertTrue(pvr.nonce().get().length() >= 22, "at least 128 random bits");
        assertTrue(pvr.nonce().get().matches("[A-Za-z0-9+/]{22}=="), "RFC 7951 base64: " + pvr.nonce().get());
        String json = new String(cms.content(), StandardCharsets.UTF_8);
        assertTrue(json.matches(".*\"created-on\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\".*"),
                "whole seconds: " + json);
    }

    @Test
    void acceptsAVoucherWhoseNonceWasDecodedAndReencoded() throws Exception {
        registrar.voucherEdit = v -> v.nonce(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.util.Base64.getDecoder().decode(v.build().nonce().orElseThrow())));
        String echoed = pledge().onboard(registrar.uri()).voucher().nonce().orElseThrow();
        VerifiedContent cms = CmsVerifier.signatureOnly().verify(registrar.received("/requestvoucher").get(0).body());
        String sent = VoucherJson.strict().parseVoucherRequest(cms.content()).nonce().orElseThrow();
        assertNotEquals(sent, echoed, "the registrar re-encoded it");
        assertTrue(org.brski.voucher.Nonce.matches(sent, echoed));
    }

    @Test
    void everyAttemptHasAFreshNonce() throws Exception {
        Pledge pledge = pledge();
        String first = pledge.onboard(registrar.uri()).voucher().nonce().orElseThrow();
        String second = pledge.onboard(registrar.uri()).voucher().nonce().orElseThrow();
        assertNotEquals(first, second);
    }

    @Test
    void estRequestsCarryContentLengthAndBase64() throws Exception {
        pledge().onboard(registrar.uri());
        FakeRegistrar.Received enroll = registrar.received("/simpleenroll").get(0);
        assertEquals("application/pkcs10", enroll.headers().get("content-type"));
        assertEquals("base64", enroll.headers().get("content-transfer-encoding"));
        assertEquals(String.valueOf(enroll.body().length), enroll.headers().get("content-length"));
        assertFalse(enroll.headers().containsKey("transfer-encoding"), "never chunked (bc-java#1324)");
        FakeRegistrar.csr(enroll); // decodes
    }

    @Test
    void enrollstatusUsesANewConnectionAuthenticatedWithTheLdevid() throws Exception {
        OnboardingResult result = pledge().onboard(registrar.uri());
        assertEquals(result.ldevid(), registrar.received("/enrollstatus").get(0).clientChain().get(0));
        assertEquals(pki.pledge(SERIAL).certificate(),
                registrar.received("/simpleenroll").get(0).clientChain().get(0));
    }

    @Test
    void acceptsBinaryDerEstAnswersWithoutTransferEncoding() throws Exception {
        registrar.base64 = false;
        assertEquals(SERIAL, pledge().onboard(registrar.uri()).voucher().serialNumber());
    }

    @Test
    void acceptsAPinnedRegistrarEndEntityCertificate() throws Exception {
        registrar.pin = pki.registrar().certificate(); // RFC 8995 Appendix C pins the registrar's own certificate
        OnboardingResult result = pledge().onboard(registrar.uri());
        assertEquals(List.of(pki.domainCa().certificate()), result.domainTrustAnchors(),
                "the domain CA that issues the pinned certificate becomes the anchor");
    }

    @Test
    void acceptsARegistrarCertificateWithOnlyCmcRa() throws Exception {
        HeldCertificate cmcRaOnly = HeldCertificate.builder().subject("CN=Field Registrar,O=BRSKI Test Domain")
                .extendedKeyUsage(HeldCertificate.ID_KP_CMC_RA).subjectKeyIdentifier(false)
                .signedBy(pki.domainCa()).build();
        try (FakeRegistrar field = FakeRegistrar.start(pki, cmcRaOnly)) {
            OnboardingResult result = pledge().onboard(field.uri());
            assertEquals(cmcRaOnly.certificate(), result.registrarChain().get(0));
        }
    }

    @Test
    void usesCsrAttributesExtensionRequestAndCurve() throws Exception {
        org.bouncycastle.asn1.x509.GeneralNames san = new org.bouncycastle.asn1.x509.GeneralNames(
                new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.rfc822Name,
                        "pledge@acp.example"));
        org.bouncycastle.asn1.x509.Extensions extensions = new org.bouncycastle.asn1.x509.Extensions(
                new org.bouncycastle.asn1.x509.Extension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName,
                        false, san.getEncoded()));
        org.bouncycastle.asn1.ASN1EncodableVector attrs = new org.bouncycastle.asn1.ASN1EncodableVector();
        attrs.add(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_challengePassword);
        attrs.add(new org.bouncycastle.asn1.pkcs.Attribute(
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                new org.bouncycastle.asn1.DERSet(extensions)));
        attrs.add(new org.bouncycastle.asn1.pkcs.Attribute(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey,
                new org.bouncycastle.asn1.DERSet(org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp384r1)));
        byte[] der = new org.bouncycastle.asn1.DERSequence(attrs).getEncoded();
        registrar.endpoints.put("/.well-known/est/csrattrs", r -> Answer.ok("application/csrattrs",
                java.util.Base64.getMimeEncoder().encode(der)).withHeader("Content-Transfer-Encoding", "base64"));

        OnboardingResult result = pledge().onboard(registrar.uri());

        org.bouncycastle.pkcs.PKCS10CertificationRequest csr =
                FakeRegistrar.csr(registrar.received("/simpleenroll").get(0));
        org.bouncycastle.asn1.pkcs.Attribute[] requested = csr.getAttributes(
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        assertEquals(1, requested.length);
        assertEquals(extensions, org.bouncycastle.asn1.x509.Extensions.getInstance(
                requested[0].getAttrValues().getObjectAt(0)));
        assertEquals("SHA384withECDSA", org.brski.pledge.est.EstCodec.signatureAlgorithm(
                result.ldevid().getPublicKey()), "the P-384 key /csrattrs asked for");
    }

    // ---- 202 pending ------------------------------------------------------------------------------------------

    @Test
    void retriesTheSameVoucherRequestAfter202WithRetryAfterCappedAt60s() throws Exception {
        int[] calls = {0};
        registrar.endpoints.put("/.well-known/brski/requestvoucher", r -> switch (calls[0]++) {
            case 0 -> Answer.status(202).withHeader("Retry-After", "5");
            case 1 -> Answer.status(202).withHeader("Retry-After", "86400");
            default -> registrar.requestVoucher(r);
        });
        pledge().onboard(registrar.uri());
        List<FakeRegistrar.Received> posts = registrar.received("/requestvoucher");
        assertEquals(3, posts.size());
        assertArrayEquals(posts.get(0).body(), posts.get(1).body(), "RFC 8995 5.6: resend the same request");
        assertArrayEquals(posts.get(0).body(), posts.get(2).body());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(60)), sleeps);
        assertTrue(events.stream().anyMatch(e -> e.startsWith("PENDING requestvoucher")), events::toString);
    }

    @Test
    void givesUpWhenTheRegistrarStaysPending() throws Exception {
        registrar.endpoints.put("/.well-known/brski/requestvoucher", r -> Answer.status(202));
        PledgeException e = assertThrows(PledgeException.class,
                () -> pledge(options().maxPendingRetries(3).build()).onboard(registrar.uri()));
        assertEquals(Reason.PENDING_EXHAUSTED, e.reason());
        assertEquals(4, registrar.received("/requestvoucher").size());
        assertEquals(List.of(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)), sleeps,
                "without Retry-After the pledge waits the cap");
    }

    // ---- bad vouchers -----------------------------------------------------------------------------------------

    @Test
    void refusesAVoucherSignedByAnUntrustedMasa() throws Exception {
        registrar.masa = otherPki.masaSigner();
        refused(Reason.VOUCHER_UNTRUSTED);
        JsonNode status = status("/voucher_status");
        assertFalse(status.get("status").asBoolean());
        assertEquals(1, status.get("version").asInt());
        assertEquals("verify voucher failed: voucher-untrusted", status.get("reason").asText());
        assertEquals("voucher-untrusted", status.get("reason-context").get("reason").asText());
    }

    @Test
    void refusesAVoucherForAnotherSerialNumber() throws Exception {
        registrar.voucherEdit = v -> v.serialNumber("BRSKI-0002");
        refused(Reason.VOUCHER_SERIAL_MISMATCH);
        assertFalse(status("/voucher_status").get("status").asBoolean());
    }

    @Test
    void refusesAVoucherWithAnotherNonce() throws Exception {
        registrar.voucherEdit = v -> v.nonce("-_XE9zK9q8Ll1qylMtLKeg");
        refused(Reason.VOUCHER_NONCE_MISMATCH);
        assertFalse(status("/voucher_status").get("status").asBoolean());
    }

    @Test
    void refusesAnExpiredNoncelessVoucher() throws Exception {
        registrar.voucherEdit = v -> v.nonce(null)
                .createdOn(OffsetDateTime.now(ZoneOffset.UTC).minusHours(2))
                .expiresOn(OffsetDateTime.now(ZoneOffset.UTC).minusHours(1));
        refused(Reason.VOUCHER_EXPIRED);
        assertFalse(status("/voucher_status").get("status").asBoolean());
    }

    @Test
    void acceptsAFreshNoncelessVoucherUnlessPolicyRefusesIt() throws Exception {
        registrar.voucherEdit = v -> v.nonce(null).expiresOn(OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(20));
        assertTrue(pledge().onboard(registrar.uri()).voucher().nonce().isEmpty());

        PledgeException e = assertThrows(PledgeException.class,
                () -> pledge(options().acceptNoncelessVouchers(false).build()).onboard(registrar.uri()));
        assertEquals(Reason.VOUCHER_NONCE_MISMATCH, e.reason());
    }

    @Test
    void refusesAVoucherCreatedInTheFuture() throws Exception {
        registrar.voucherEdit = v -> v.createdOn(OffsetDateTime.now(ZoneOffset.UTC).plusDays(1));
        refused(Reason.VOUCHER_INVALID);
    }

    @Test
    void refusesAVoucherWhosePinIsNotACertificate() throws Exception {
        registrar.voucherEdit = v -> v.pinnedDomainCert("not a certificate".getBytes(StandardCharsets.US_ASCII));
        refused(Reason.VOUCHER_INVALID);
    }

    @Test
    void refusesGarbageInsteadOfAVoucher() throws Exception {
        registrar.endpoints.put("/.well-known/brski/requestvoucher",
                r -> Answer.ok(FakeRegistrar.VOUCHER_CMS, "<html>hello</html>".getBytes(StandardCharsets.UTF_8)));
        refused(Reason.MALFORMED_RESPONSE);
        assertFalse(status("/voucher_status").get("status").asBoolean());
    }

    @Test
    void refusesATamperedVoucher() throws Exception {
        registrar.endpoints.put("/.well-known/brski/requestvoucher", r -> {
            Answer good = registrar.requestVoucher(r);
            byte[] body = good.body();
            String text = new String(body, StandardCharsets.ISO_8859_1)
                    .replace("\"serial-number\":\"BRSKI-0001\"", "\"serial-number\":\"BRSKI-0002\"");
            return Answer.ok(FakeRegistrar.VOUCHER_CMS, text.getBytes(StandardCharsets.ISO_8859_1));
        });
        refused(Reason.VOUCHER_UNTRUSTED);
    }

    // ---- registrar authentication and EST checks --------------------------------------------------------------

    @Test
    void refusesARegistrarNotCoveredByThePinnedDomainCert() throws Exception {
        registrar.pin = otherPki.domainCa().certificate();
        PledgeException e = refused(Reason.REGISTRAR_NOT_PINNED);
        assertEquals(Step.AUTHENTICATE_REGISTRAR, e.step());
        assertFalse(status("/voucher_status").get("status").asBoolean());
        assertEquals(List.of("GET /.well-known/est/cacerts", "POST /.well-known/brski/requestvoucher",
                "POST /.well-known/brski/voucher_status"), registrar.paths(), "nothing after the failed pin");
    }

    @Test
    void refusesCacertsThatDoNotMatchThePin() throws Exception {
        registrar.caCertificates = List.of(otherPki.domainCa().certificate());
        PledgeException e = refused(Reason.CACERTS_NOT_PINNED);
        assertEquals(Step.CA_CERTIFICATES, e.step());
        assertTrue(status("/voucher_status").get("status").asBoolean(), "the voucher itself was fine");
        JsonNode enroll = status("/enrollstatus");
        assertFalse(enroll.get("status").asBoolean());
        assertEquals("cacerts-not-pinned", enroll.get("reason-context").get("reason").asText());
    }

    @Test
    void refusesACertificateForAnotherKey() throws Exception {
        registrar.endpoints.put("/.well-known/est/simpleenroll",
                r -> registrar.est(List.of(pki.pledge("BRSKI-0002").certificate(), pki.domainCa().certificate())));
        PledgeException e = assertThrows(PledgeException.class, () -> pledge().onboard(registrar.uri()));
        assertEquals(Reason.CERTIFICATE_WRONG_KEY, e.reason());
        assertFalse(status("/enrollstatus").get("status").asBoolean());
        assertEquals(pki.pledge(SERIAL).certificate(),
                registrar.received("/enrollstatus").get(0).clientChain().get(0),
                "a failure is reported over the enrollment connection (5.9.4)");
    }

    @Test
    void refusesACertificateFromAnotherCa() throws Exception {
        registrar.endpoints.put("/.well-known/est/simpleenroll",
                r -> registrar.est(List.of(otherPki.issueLdevid(FakeRegistrar.csr(r), Duration.ofDays(1)))));
        PledgeException e = assertThrows(PledgeException.class, () -> pledge().onboard(registrar.uri()));
        assertEquals(Reason.CERTIFICATE_UNTRUSTED, e.reason());
        assertFalse(status("/enrollstatus").get("status").asBoolean());
    }

    // ---- transport bounds -------------------------------------------------------------------------------------

    @Test
    void givesUpOnAHangingRegistrarWithinTheExchangeTimeout() throws Exception {
        registrar.endpoints.put("/.well-known/brski/requestvoucher", r -> Answer.hang());
        PledgeException e = assertThrows(PledgeException.class, () -> pledge(options()
                .exchangeTimeout(Duration.ofMillis(500)).build()).onboard(registrar.uri()));
        assertEquals(Reason.TIMEOUT, e.reason());
        assertEquals(Step.REQUEST_VOUCHER, e.step());
    }

    @Test
    void refusesAnOversizedAnswer() throws Exception {
        registrar.endpoints.put("/.well-known/brski/requestvoucher",
                r -> Answer.ok(FakeRegistrar.VOUCHER_CMS, new byte[2 * 1024 * 1024]));
        PledgeException e = assertThrows(PledgeException.class, () -> pledge().onboard(registrar.uri()));
        assertEquals(Reason.RESPONSE_TOO_LARGE, e.reason());
    }

    @Test
    void reportsAnErrorStatusWithoutSendingVoucherStatus() throws Exception {
        registrar.endpoints.put("/.well-known/brski/requestvoucher", r -> Answer.status(403));
        PledgeException e = refused(Reason.HTTP_STATUS);
        assertTrue(e.getMessage().contains("403"), e.getMessage());
        assertTrue(registrar.received("/voucher_status").isEmpty());
    }

    @Test
    void reportsAnUnreachableRegistrar() throws Exception {
        java.net.URI closed = registrar.uri();
        registrar.close();
        PledgeException e = assertThrows(PledgeException.class, () -> pledge().onboard(closed));
        assertEquals(Reason.TRANSPORT, e.reason(), e::toString);
    }

    // ---- registrar lists --------------------------------------------------------------------------------------

    @Test
    void triesTheNextRegistrarWhenOneFails() throws Exception {
        try (FakeRegistrar bad = FakeRegistrar.start(pki)) {
            bad.voucherEdit = v -> v.serialNumber("BRSKI-0002");
            OnboardingResult result = pledge().onboard(List.of(bad.uri(), registrar.uri()));
            assertEquals(registrar.uri(), result.registrar());
            assertEquals(1, bad.received("/requestvoucher").size());
            assertTrue(sleeps.isEmpty(), "the second registrar is tried at once: " + sleeps);
        }
    }

    @Test
    void backsOffPerRegistrarAndReportsEveryAttempt() throws Exception {
        registrar.endpoints.put("/.well-known/brski/requestvoucher", r -> Answer.status(500));
        try (FakeRegistrar second = FakeRegistrar.start(pki)) {
            second.endpoints.put("/.well-known/brski/requestvoucher", r -> Answer.status(503));
            PledgeOptions options = options().attemptsPerRegistrar(3).initialBackoff(Duration.ofSeconds(2))
                    .maxBackoff(Duration.ofSeconds(5))
                    .clock(java.time.Clock.fixed(java.time.Instant.now(), ZoneOffset.UTC)).build();
            PledgeException e = assertThrows(PledgeException.class,
                    () -> pledge(options).onboard(List.of(registrar.uri(), second.uri())));
            assertEquals(Reason.NO_REGISTRAR_SUCCEEDED, e.reason());
            assertEquals(6, e.getSuppressed().length);
            assertEquals(3, registrar.received("/requestvoucher").size());
            assertEquals(3, second.received("/requestvoucher").size());
            // with a fixed clock each wait is the registrar's own back-off: 2 s, then 4 s, for each registrar
            assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(4),
                    Duration.ofSeconds(4)), sleeps);
        }
    }
}
