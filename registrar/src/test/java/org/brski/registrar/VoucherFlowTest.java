package org.brski.registrar;

import static org.brski.registrar.Calls.assertProblem;
import static org.brski.registrar.Calls.certsOnly;
import static org.brski.registrar.Calls.csr;
import static org.brski.registrar.Calls.get;
import static org.brski.registrar.Calls.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Sequence;
import org.brski.pki.HeldCertificate;
import org.brski.pkix.CertPaths;
import org.brski.pkix.Crypto;
import org.brski.pkix.DeviceCertificates;
import org.brski.registrar.policy.Approval;
import org.brski.registrar.store.AuditResult;
import org.brski.registrar.store.Device;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.cms.CmsVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The full pledge journey against the real MASA, with a scripted pledge: voucher, voucher_status, cacerts, csrattrs,
 * simpleenroll, enrollstatus (over a new TLS session with the LDevID), simplereenroll, serverkeygen, plus
 * hold-for-approval and the audit-log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VoucherFlowTest {
    private Network net;
    private URI base;

    @BeforeAll
    void start() throws Exception {
        net = new Network();
        base = net.registrar.uri();
    }

    @AfterAll
    void stop() {
        net.close();
    }

    private Device device(String serial) throws Exception {
        return net.registrar.registrar().store().device(serial).orElseThrow();
    }

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Crypto.provider());
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    @Test
    void fullFlowFromVoucherToReenrollment() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-0001");
        HttpClient pledge = net.client(Optional.of(idevid));

        byte[] pvr = net.pvr(idevid, "nonce-Xy_12");
        HttpResponse<byte[]> voucherResponse = post(pledge, base, "/.well-known/brski/requestvoucher", pvr,
                VoucherCms.MEDIA_TYPE, "Accept", VoucherCms.MEDIA_TYPE);
        assertEquals(200, voucherResponse.statusCode(), new String(voucherResponse.body(), StandardCharsets.UTF_8));
        assertEquals(VoucherCms.MEDIA_TYPE, voucherResponse.headers().firstValue("Content-Type").orElseThrow());
        Voucher voucher = VoucherCms.verifyVoucher(CmsVerifier.trusting(List.of(net.pki.manufacturerCa().certificate())),
                VoucherJson.lenient(), voucherResponse.body()).artifact();
        assertEquals("ACME-0001", voucher.serialNumber());
        assertEquals("nonce-Xy_12", voucher.nonce().orElseThrow());
        var stored = net.registrar.registrar().store().latestVoucher("ACME-0001").orElseThrow();
        assertArrayEquals(voucherResponse.body(), stored.voucher(), "voucher returned byte for byte as stored");
        assertArrayEquals(pvr, stored.pvr());
        var rvr = VoucherCms.verifyVoucherRequest(CmsVerifier.trusting(List.of(net.pki.domainCa().certificate())),
                VoucherJson.strict(), stored.rvr());
        assertEquals(net.pki.registrar().certificate(), rvr.cms().signer(), "RVR signed by the registrar (cmcRA)");
        assertTrue(rvr.cms().certificates().contains(net.pki.domainCa().certificate()), "domain CA in the CMS");
        assertArrayEquals(pvr, rvr.artifact().priorSignedVoucherRequest().orElseThrow());
        assertEquals("nonce-Xy_12", rvr.artifact().nonce().orElseThrow());
        assertEquals("ACME-0001", rvr.artifact().serialNumber());
        assertArrayEquals(DeviceCertificates.keyIdentifier(net.pki.manufacturerCa().certificate()),
                rvr.artifact().idevidIssuer().orElseThrow(), "idevid-issuer = the IDevID's authority key id");
        assertTrue(rvr.artifact().proximityRegistrarCert().isEmpty());
        Device afterVoucher = device("ACME-0001");
        assertEquals(Approval.AUTO, afterVoucher.approval());
        assertEquals(AuditResult.Outcome.PASSED, afterVoucher.audit().orElseThrow().outcome(),
                afterVoucher.audit().toString());

        HttpResponse<byte[]> status = post(pledge, base, "/.well-known/brski/voucher_status",
                "{\"version\":1,\"status\":true,\"reason\":\"ok\",\"reason-context\":{\"x\":1}}"
                        .getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(200, status.statusCode());
        assertTrue(device("ACME-0001").voucherStatus().orElseThrow().status());

        HttpResponse<byte[]> cacerts = get(pledge, base, "/.well-known/est/cacerts");
        assertEquals(200, cacerts.statusCode());
        assertTrue(cacerts.headers().firstValue("Content-Type").orElseThrow().startsWith("application/pkcs7-mime"));
        assertEquals(List.of(net.pki.domainCa().certificate()), certsOnly(cacerts.body()));

        HttpResponse<byte[]> csrattrs = get(pledge, base, "/.well-known/est/csrattrs");
        assertEquals(200, csrattrs.statusCode());
        assertEquals("application/csrattrs", csrattrs.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(ASN1Sequence.getInstance(Base64.getMimeDecoder().decode(csrattrs.body())).size() >= 2);

        KeyPair key = ecKey();
        HttpResponse<byte[]> enrolled = post(pledge, base, "/.well-known/est/simpleenroll",
                csr(key, "CN=acme pledge"), "application/pkcs10");
        assertEquals(200, enrolled.statusCode(), new String(enrolled.body(), StandardCharsets.UTF_8));
        X509Certificate ldevid = certsOnly(enrolled.body()).get(0);
        assertEquals("ACME-0001", DeviceCertificates.serialNumber(ldevid).orElseThrow(), "serialNumber kept");
        assertEquals(key.getPublic(), ldevid.getPublicKey());
        CertPaths.validate(ldevid, List.of(), List.of(net.pki.domainCa().certificate()), java.time.Instant.now());

        HeldCertificate ldevidHeld = HeldCertificate.of(key.getPrivate(), ldevid, List.of(net.pki.domainCa().certificate()));
        HttpClient enrolledPledge = net.client(Optional.of(ldevidHeld));
        HttpResponse<byte[]> enrollStatus = post(enrolledPledge, base, "/.well-known/brski/enrollstatus",
                "{\"version\":1,\"status\":true}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(200, enrollStatus.statusCode());
        assertTrue(device("ACME-0001").enrollStatus().orElseThrow().clientCertMatched());

        KeyPair newKey = ecKey();
        HttpResponse<byte[]> reenrolled = post(enrolledPledge, base, "/.well-known/est/simplereenroll",
                csr(newKey, ldevid.getSubjectX500Principal().getName()), "application/pkcs10");
        assertEquals(200, reenrolled.statusCode(), new String(reenrolled.body(), StandardCharsets.UTF_8));
        X509Certificate renewed = certsOnly(reenrolled.body()).get(0);
        assertEquals(ldevid.getSubjectX500Principal(), renewed.getSubjectX500Principal());
        assertNotEquals(ldevid.getSerialNumber(), renewed.getSerialNumber());
        assertEquals(2, device("ACME-0001").certificates());

        HttpResponse<byte[]> idevidReenroll = post(pledge, base, "/.well-known/est/simplereenroll",
                csr(ecKey(), "CN=acme pledge"), "application/pkcs10");
        assertProblem(idevidReenroll, 403, "not-an-ldevid");
    }

    @Test
    void serverKeyGenAnswersMultipartWithMatchingKeyAndCertificate() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-KEYGEN");
        HttpClient pledge = net.client(Optional.of(idevid));
        assertEquals(200, post(pledge, base, "/.well-known/brski/requestvoucher", net.pvr(idevid, "n-keygen"),
                VoucherCms.MEDIA_TYPE).statusCode());
        HttpResponse<byte[]> response = post(pledge, base, "/.well-known/est/serverkeygen", csr(ecKey(), "CN=kg"),
                "application/pkcs10");
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        String type = response.headers().firstValue("Content-Type").orElseThrow();
        assertTrue(type.startsWith("multipart/mixed; boundary="), type);
        String boundary = type.substring(type.indexOf('=') + 1);
        String[] parts = new String(response.body(), StandardCharsets.US_ASCII).split("--" + boundary);
        assertEquals(4, parts.length, "preamble, key, certificate, epilogue");
        assertTrue(parts[1].contains("Content-Type: application/pkcs8"));
        assertTrue(parts[2].contains("Content-Type: application/pkcs7-mime; smime-type=certs-only"));
        byte[] pkcs8 = Base64.getMimeDecoder().decode(parts[1].substring(parts[1].indexOf("\r\n\r\n") + 4).trim());
        PrivateKey key = KeyFactory.getInstance("EC", Crypto.provider()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        X509Certificate certificate = certsOnly(parts[2].substring(parts[2].indexOf("\r\n\r\n") + 4).trim()
                .getBytes(StandardCharsets.US_ASCII)).get(0);
        HeldCertificate.of(key, certificate, List.of()); // throws if the key does not match
        assertEquals("ACME-KEYGEN", DeviceCertificates.serialNumber(certificate).orElseThrow());
    }

    @Test
    void heldDeviceWaitsWith202UntilApprovedThenGetsItsVoucher() throws Exception {
        HeldCertificate idevid = Network.pledge("OK-HOLD1", net.holdCa, null);
        HttpClient pledge = net.client(Optional.of(idevid));
        byte[] pvr = net.pvr(idevid, "hold-nonce");
        HttpResponse<byte[]> first = post(pledge, base, "/.well-known/brski/requestvoucher", pvr, VoucherCms.MEDIA_TYPE);
        assertEquals(202, first.statusCode());
        assertEquals("30", first.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(Approval.PENDING, device("OK-HOLD1").approval());
        assertEquals(0, device("OK-HOLD1").vouchers());

        net.registrar.registrar().admin().approve("OK-HOLD1");
        HttpResponse<byte[]> again = post(pledge, base, "/.well-known/brski/requestvoucher", pvr, VoucherCms.MEDIA_TYPE);
        assertEquals(200, again.statusCode(), new String(again.body(), StandardCharsets.UTF_8));
        assertEquals(Approval.APPROVED, device("OK-HOLD1").approval());
        assertEquals(1, device("OK-HOLD1").vouchers());
    }

    @Test
    void auditOnDemandIsStored() throws Exception {
        HeldCertificate idevid = net.acmePledge("ACME-AUDIT");
        HttpClient pledge = net.client(Optional.of(idevid));
        assertEquals(200, post(pledge, base, "/.well-known/brski/requestvoucher", net.pvr(idevid, "n-audit"),
                VoucherCms.MEDIA_TYPE).statusCode());
        AuditResult result = net.registrar.registrar().admin().audit("ACME-AUDIT");
        assertEquals(AuditResult.Outcome.PASSED, result.outcome(), result.summary());
        assertFalse(result.summary().contains("not in the log"), result.summary());
        assertTrue(result.log().contains("n-audit"));
    }

    @Test
    void healthAndMetrics() throws Exception {
        HttpClient anonymous = net.client(Optional.empty());
        HttpResponse<byte[]> health = get(anonymous, base, "/healthz");
        assertEquals(200, health.statusCode());
        assertEquals(200, get(anonymous, base, "/.well-known/est/cacerts").statusCode());
        assertEquals(404, get(anonymous, base, "/metrics").statusCode(), "not on the port pledges reach");
        HttpResponse<byte[]> metrics = get(net.client(Optional.of(net.admin)), net.registrar.adminUri().orElseThrow(),
                "/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(new String(metrics.body(), StandardCharsets.UTF_8).contains("registrar_requests_total{"));
    }

    @Test
    void metricsNeedTheAdminCertificate() throws Exception {
        java.net.URI admin = net.registrar.adminUri().orElseThrow();
        HttpClient pledge = net.client(Optional.of(net.acmePledge("METRICS-1")));
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> get(pledge, admin, "/metrics"),
                "the admin listener refuses a certificate of another CA in the TLS handshake");
    }
}
