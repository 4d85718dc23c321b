package org.brski.pledge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.CertPaths;
import org.brski.pkix.DeviceCertificates;
import org.brski.pledge.FakeRegistrar.Answer;
import org.brski.pledge.FakeRegistrar.Received;
import org.brski.pledge.PledgeException.Reason;
import org.brski.voucher.cms.CmsContentTypes;
import org.brski.voucher.cms.CmsSigner;
import org.brski.voucher.cms.CmsVerifier;
import org.brski.voucher.cms.VerifiedContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code --compat nqminds} against a registrar that behaves as the captured nqminds brski registrar did: it takes
 * only base64 under the {@code ietf-voucher:voucher} root, answers a base64 voucher without created-on (nonce and
 * expires-on, id-data, {@code text/plain}), has no {@code /cacerts}, and enrolls a self-signed certificate. What the
 * pledge sends is compared with the captured nqminds pledge's request ({@code 02-preq-idevid}); a strict pledge
 * refuses that registrar's voucher and never enrolls.
 */
class NqmindsOnboardingTest {
    static final String SERIAL = "NQ-0001";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ONE_LINE_BASE64 = "[A-Za-z0-9+/]+={0,2}";
    static TestPki pki;

    FakeRegistrar registrar;
    /** Whether the nqminds-like registrar certifies with another CA than the pinned one. */
    volatile HeldCertificate enrollCa;

    @BeforeAll
    static void pki() {
        pki = TestPki.builder().serials(SERIAL).build();
    }

    @BeforeEach
    void start() throws Exception {
        registrar = FakeRegistrar.start(pki);
        enrollCa = pki.domainCa();
        Answer routerError = new Answer(400, "text/plain", "Router error".getBytes(StandardCharsets.US_ASCII),
                Map.of(), false);
        registrar.endpoints.put("/.well-known/brski/requestvoucher", this::nqmindsVoucher);
        registrar.endpoints.put("/.well-known/est/simpleenroll", this::nqmindsEnroll);
        for (String path : List.of("/.well-known/est/cacerts", "/.well-known/est/csrattrs",
                "/.well-known/brski/voucher_status", "/.well-known/brski/enrollstatus")) {
            registrar.endpoints.put(path, r -> routerError);
        }
    }

    @AfterEach
    void stop() {
        registrar.close();
    }

    /** The voucher as nqminds brski's MASA writes it and its registrar relays it (see the captured 3-voucher.json). */
    Answer nqmindsVoucher(Received r) throws Exception {
        VerifiedContent pvr = CmsVerifier.signatureOnly().verify(Base64.getDecoder().decode(r.body()));
        // whatever the root, also a strict pledge's: the refusal tested is then the pledge's
        JsonNode request = JSON.readTree(pvr.content()).elements().next();
        ObjectNode leaves = JSON.createObjectNode();
        leaves.put("expires-on", "2099-12-30T00:00:00Z");
        leaves.put("assertion", "proximity");
        leaves.put("serial-number", request.get("serial-number").asText());
        leaves.put("pinned-domain-cert", Base64.getEncoder().encodeToString(pki.domainCa().certificate().getEncoded()));
        leaves.put("domain-cert-revocation-checks", false);
        leaves.put("nonce", request.get("nonce").asText());
        ObjectNode voucher = JSON.createObjectNode();
        voucher.set("ietf-voucher:voucher", leaves);
        HeldCertificate masa = pki.masaSigner();
        byte[] cms = CmsSigner.of(masa.privateKey(), masa.certificate(), masa.issuerChain())
                .withContentType(CmsContentTypes.DATA).sign(voucher.toString().getBytes(StandardCharsets.UTF_8));
        return Answer.ok("text/plain", Base64.getEncoder().encode(cms));
    }

    /** The enrollment as the nqminds registrar answers it: the posted certificate's fields re-signed by its CA. */
    Answer nqmindsEnroll(Received r) throws Exception {
        X509CertificateHolder posted = new X509CertificateHolder(Base64.getDecoder().decode(r.body()));
        X509Certificate issuer = enrollCa.certificate();
        X509Certificate issued = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                issuer, BigInteger.valueOf(7), Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plus(Duration.ofDays(30))),
                new org.bouncycastle.asn1.x500.X500Name(posted.getSubject().toString()),
                new JcaX509CertificateConverter().getCertificate(posted).getPublicKey())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(enrollCa.privateKey())));
        return Answer.ok("text/plain", Base64.getEncoder().encode(issued.getEncoded()));
    }

    Pledge pledge(Dialect dialect) throws PledgeException {
        HeldCertificate idevid = pki.pledge(SERIAL);
        return Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                .masaAnchors(List.of(pki.manufacturerCa().certificate()))
                .options(PledgeOptions.builder().exchangeTimeout(Duration.ofSeconds(10)).dialect(dialect).build())
                .build();
    }

    @Test
    void onboardsAndEnrollsWithAnNqmindsRegistrar() throws Exception {
        OnboardingResult result = pledge(Dialect.NQMINDS).onboard(registrar.uri());

        assertEquals(SERIAL, result.voucher().serialNumber());
        assertTrue(result.voucher().createdOn().isEmpty() && result.voucher().expiresOn().isPresent());
        assertEquals(List.of(pki.domainCa().certificate()), result.domainTrustAnchors(), "the pin, without /cacerts");
        assertTrue(OnboardingResult.keyMatches(result.ldevidKey(), result.ldevid()));
        assertFalse(DomainTrust.sameKey(result.ldevid().getPublicKey(), pki.pledge(SERIAL).publicKey()), "a new key");
        CertPaths.validate(result.ldevid(), result.ldevidChain(), List.of(pki.domainCa().certificate()), Instant.now());

        Received enroll = registrar.received("/simpleenroll").get(0);
        assertEquals("application/voucher-cms+json", enroll.headers().get("content-type"), "as nqminds labels it");
        assertNull(enroll.headers().get("content-transfer-encoding"));
        assertTrue(enroll.text().matches(ONE_LINE_BASE64), enroll.text());
        X509Certificate request = new JcaX509CertificateConverter().getCertificate(
                new X509CertificateHolder(Base64.getDecoder().decode(enroll.body())));
        request.verify(request.getPublicKey());
        assertArrayEquals(result.ldevid().getPublicKey().getEncoded(), request.getPublicKey().getEncoded());
        assertEquals(pki.pledge(SERIAL).certificate().getSubjectX500Principal(), request.getSubjectX500Principal());
        assertEquals(-1, request.getBasicConstraints());
    }

    @Test
    void theVoucherRequestHasTheFormOfTheCapturedNqmindsRequest() throws Exception {
        pledge(Dialect.NQMINDS).onboard(registrar.uri());
        Received post = registrar.received("/requestvoucher").get(0);
        String capturedHead = Files.readString(NqmindsCapturedTest.VECTORS.resolve(
                "02-preq-idevid/1-pvr.request.http"), StandardCharsets.ISO_8859_1);
        assertTrue(capturedHead.contains("Content-Type: " + post.headers().get("content-type") + "\r\n"));
        assertNull(post.headers().get("content-transfer-encoding"), "nqminds sends none");
        assertTrue(post.text().matches(ONE_LINE_BASE64), "one line of padded standard base64: " + post.text());

        VerifiedContent cms = CmsVerifier.signatureOnly().verify(Base64.getDecoder().decode(post.body()));
        assertEquals(CmsContentTypes.DATA, cms.contentType(), "id-data, as nqminds signs");
        assertEquals(pki.pledge(SERIAL).certificate(), cms.signer(), "signed with the IDevID");
        JsonNode ours = JSON.readTree(cms.content());
        JsonNode theirs = JSON.readTree(Files.readAllBytes(NqmindsCapturedTest.VECTORS.resolve(
                "02-preq-idevid/1-pvr.json")));
        String root = "ietf-voucher:voucher";
        assertEquals(NqmindsCapturedTest.leaves(theirs, root), NqmindsCapturedTest.leaves(ours, root),
                "root, leaf set and order of the captured request");
        for (String leaf : NqmindsCapturedTest.leaves(theirs, root)) {
            assertEquals(theirs.get(root).get(leaf).getNodeType(), ours.get(root).get(leaf).getNodeType(), leaf);
        }
        String time = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
        assertTrue(theirs.get(root).get("created-on").asText().matches(time));
        assertTrue(ours.get(root).get("created-on").asText().matches(time), "whole seconds, literal Z: "
                + ours.get(root).get("created-on"));
        assertEquals(theirs.get(root).get("assertion"), ours.get(root).get("assertion"));
        assertFalse(ours.get(root).get("domain-cert-revocation-checks").asBoolean());
        assertArrayEquals(pki.registrar().certificate().getEncoded(),
                Base64.getDecoder().decode(ours.get(root).get("proximity-registrar-cert").asText()));
    }

    @Test
    void anEmptyOkIsARefusalAndNothingIsEnrolled() throws Exception {
        registrar.endpoints.put("/.well-known/brski/requestvoucher", r -> Answer.ok("text/plain", new byte[0]));
        PledgeException e = assertThrows(PledgeException.class, () -> pledge(Dialect.NQMINDS).onboard(registrar.uri()));
        assertEquals(Reason.VOUCHER_REFUSED, e.reason(), e::toString);
        assertTrue(registrar.received("/simpleenroll").isEmpty());
    }

    @Test
    void anLdevidThatDoesNotChainToThePinIsRefused() throws Exception {
        enrollCa = HeldCertificate.builder().commonName("Another CA").certificateAuthority(0).build();
        PledgeException e = assertThrows(PledgeException.class, () -> pledge(Dialect.NQMINDS).onboard(registrar.uri()));
        assertEquals(Reason.CERTIFICATE_UNTRUSTED, e.reason(), e::toString);
    }

    @Test
    void aStrictPledgeRefusesTheNqmindsVoucherAndNeverEnrolls() throws Exception {
        registrar.endpoints.put("/.well-known/brski/requestvoucher", r -> nqmindsVoucher(new Received(r.method(),
                r.path(), r.headers(), Base64.getEncoder().encode(r.body()), r.clientChain())));
        PledgeException e = assertThrows(PledgeException.class, () -> pledge(Dialect.RFC8995).onboard(registrar.uri()));
        assertEquals(Reason.MALFORMED_RESPONSE, e.reason(), e::toString);
        assertTrue(e.getMessage().contains("compat nqminds"), e.getMessage());
        assertTrue(registrar.received("/simpleenroll").isEmpty());
    }

    @Test
    void theDialectIsNamedOnTheCommandLineAndNeverGuessed() {
        assertEquals(Dialect.RFC8995, PledgeOptions.defaults().dialect());
        assertEquals(Dialect.NQMINDS, Dialect.parse("nqminds"));
        assertEquals(Dialect.NQMINDS, Dialect.parse("NQMINDS-compat"));
        assertEquals(Dialect.RFC8995, Dialect.parse("none"));
        assertEquals(Dialect.RFC8995, Dialect.parse(null));
        assertThrows(IllegalArgumentException.class, () -> Dialect.parse("openssl"));
    }
}
