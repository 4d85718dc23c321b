package org.brski.registrar;

import static org.brski.registrar.Calls.assertProblem;
import static org.brski.registrar.Calls.certsOnly;
import static org.brski.registrar.Calls.csr;
import static org.brski.registrar.Calls.post;
import static org.brski.registrar.VoucherFlowTest.ecKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.brski.pki.HeldCertificate;
import org.brski.registrar.policy.Manufacturer;
import org.brski.registrar.store.AuditResult;
import org.brski.voucher.VoucherCms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** EST and telemetry refusals (RFC 7030, RFC 8995 5.7, 5.9), and the encodings EST tolerates (RFC 8951). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EstRefusalTest {
    private static final String ENROLL = "/.well-known/est/simpleenroll";
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

    /** An acme pledge that already obtained its voucher. */
    private HeldCertificate vouched(String serial) throws Exception {
        HeldCertificate idevid = net.acmePledge(serial);
        HttpResponse<byte[]> r = post(net.client(Optional.of(idevid)), base, "/.well-known/brski/requestvoucher",
                net.pvr(idevid, "n-" + serial), VoucherCms.MEDIA_TYPE);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return idevid;
    }

    private int certificates(String serial) throws Exception {
        return net.registrar.registrar().store().device(serial).map(d -> d.certificates()).orElse(0);
    }

    private HttpResponse<byte[]> enroll(HeldCertificate client, byte[] body, String type, String... headers)
            throws Exception {
        return post(net.client(Optional.ofNullable(client)), base, ENROLL, body, type, headers);
    }

    /**
     * Issue 13: bodies were read, blocking, before the client certificate was judged. Every endpoint that needs a device
     * certificate now answers an anonymous request from its headers alone: the declared 100 kB body is never sent.
     */
    @Test
    void anonymousRequestsAreRefusedBeforeTheirBody() throws Exception {
        javax.net.ssl.SSLContext context = org.brski.server.tls.TlsContexts.client(Optional.empty(),
                List.of(net.pki.domainCa().certificate()));
        for (String path : List.of(ENROLL, "/.well-known/est/simplereenroll", "/.well-known/est/serverkeygen",
                "/.well-known/brski/requestvoucher", "/.well-known/brski/voucher_status")) {
            String type = path.contains("/est/") ? "application/pkcs10"
                    : path.endsWith("requestvoucher") ? VoucherCms.MEDIA_TYPE : "application/json";
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket(
                    base.getHost(), base.getPort())) {
                socket.setSoTimeout(3000); // far below the body deadline: the answer must not wait for the body
                socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + type
                        + "\r\nContent-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                byte[] head = new byte[256];
                int n = socket.getInputStream().read(head);
                String answer = new String(head, 0, Math.max(0, n), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 401"), path + ": " + answer);
                assertTrue(answer.contains("WWW-Authenticate: TLS-Client-Certificate"), path + ": " + answer);
            }
        }
    }

    @Test
    void enrollWithoutVoucher() throws Exception {
        HeldCertificate idevid = net.acmePledge("EST-NOVOUCHER");
        assertProblem(enroll(idevid, csr(ecKey(), "CN=x"), "application/pkcs10"), 403, "no-voucher");
        assertEquals(0, certificates("EST-NOVOUCHER"));
    }

    @Test
    void enrollWithAnotherCertificateOfTheSameSerial() throws Exception {
        vouched("EST-TWIN");
        HeldCertificate twin = Network.pledge("EST-TWIN", net.pki.manufacturerCa(), null);
        assertProblem(enroll(twin, csr(ecKey(), "CN=x"), "application/pkcs10"), 403, "client-certificate-mismatch");
        assertEquals(0, certificates("EST-TWIN"));
    }

    @Test
    void enrollWithoutClientCertificate() throws Exception {
        assertProblem(enroll(null, csr(ecKey(), "CN=x"), "application/pkcs10"), 401, "client-certificate-required");
    }

    @Test
    void csrWithBadSignature() throws Exception {
        HeldCertificate idevid = vouched("EST-BADSIG");
        byte[] der = Base64.getMimeDecoder().decode(csr(ecKey(), "CN=x"));
        der[der.length - 3] ^= 0x01;
        assertProblem(enroll(idevid, Base64.getEncoder().encode(der), "application/pkcs10"), 400, "csr-bad-signature");
        assertEquals(0, certificates("EST-BADSIG"));
    }

    @Test
    void csrForAnotherSerial() throws Exception {
        HeldCertificate idevid = vouched("EST-OTHERSERIAL");
        assertProblem(enroll(idevid, csr(ecKey(), "CN=x,SERIALNUMBER=SOMEONE-ELSE"), "application/pkcs10"), 403,
                "csr-serial-mismatch");
        assertEquals(0, certificates("EST-OTHERSERIAL"));
    }

    @Test
    void malformedBodies() throws Exception {
        HeldCertificate idevid = vouched("EST-MALFORMED");
        assertProblem(enroll(idevid, "%%% not base64 %%%".getBytes(StandardCharsets.US_ASCII), "application/pkcs10"),
                400, "malformed-body");
        assertProblem(enroll(idevid, Base64.getEncoder().encode(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}),
                "application/pkcs10"), 400, "malformed-csr");
        assertProblem(enroll(idevid, new byte[0], "application/pkcs10"), 400, "empty-body");
        assertProblem(enroll(idevid, new byte[20 * 1024], "application/pkcs10"), 413, "too-large");
        assertProblem(enroll(idevid, csr(ecKey(), "CN=x"), "application/json"), 415, "unsupported-media-type");
        assertEquals(0, certificates("EST-MALFORMED"));
    }

    @Test
    void bodiesInEveryToleratedEncoding() throws Exception {
        HeldCertificate idevid = vouched("EST-ENCODINGS");
        KeyPair key = ecKey();
        byte[] base64 = csr(key, "CN=x");
        byte[] der = Base64.getMimeDecoder().decode(base64);
        String singleLine = Base64.getEncoder().encodeToString(der);
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + new String(base64, StandardCharsets.US_ASCII)
                + "-----END CERTIFICATE REQUEST-----\n";
        assertEquals(200, enroll(idevid, base64, "application/pkcs10", "Content-Transfer-Encoding", "base64")
                .statusCode());
        assertEquals(200, enroll(idevid, singleLine.getBytes(StandardCharsets.US_ASCII), "application/pkcs10")
                .statusCode());
        assertEquals(200, enroll(idevid, der, "application/pkcs10").statusCode());
        HttpResponse<byte[]> fromPem = enroll(idevid, pem.getBytes(StandardCharsets.US_ASCII),
                "application/pkcs10; charset=us-ascii");
        assertEquals(200, fromPem.statusCode());
        assertEquals("base64", fromPem.headers().firstValue("Content-Transfer-Encoding").orElseThrow());
        assertEquals(4, certificates("EST-ENCODINGS"));
        assertEquals(key.getPublic(), certsOnly(fromPem.body()).get(0).getPublicKey());
    }

    @Test
    void deniedOrAuditViolatingDevicesCannotEnroll() throws Exception {
        HeldCertificate denied = vouched("EST-DENIED");
        net.registrar.registrar().admin().deny("EST-DENIED");
        assertProblem(enroll(denied, csr(ecKey(), "CN=x"), "application/pkcs10"), 403, "device-denied");

        HeldCertificate suspicious = vouched("EST-AUDIT");
        net.registrar.registrar().store().recordAudit("EST-AUDIT", new AuditResult(AuditResult.Outcome.VIOLATION,
                "policy violated: 1 voucher(s) issued to other domains", "{}", Instant.now()));
        assertProblem(enroll(suspicious, csr(ecKey(), "CN=x"), "application/pkcs10"), 403, "audit-log-violation");
        assertEquals(0, certificates("EST-DENIED") + certificates("EST-AUDIT"));
    }

    @Test
    void distrustingTheManufacturerAfterTheVoucherStopsEnrollmentAndReenrollment() throws Exception {
        HeldCertificate ca = Network.ca("Estco CA");
        net.registrar.registrar().admin().putManufacturer(Manufacturer.trusted("estco", ca.certificate())
                .withMasaUrl(Optional.of(URI.create(net.fakeMasa.uri() + "/.well-known/brski")))
                .withMasaAnchors(List.of(net.fakeCa.certificate())));
        HeldCertificate enrolled = Network.pledge("OK-ESTD1", ca, null);
        HeldCertificate waiting = Network.pledge("OK-ESTD2", ca, null);
        for (HeldCertificate idevid : List.of(enrolled, waiting)) {
            assertEquals(200, post(net.client(Optional.of(idevid)), base, "/.well-known/brski/requestvoucher",
                    net.pvr(idevid, "n-estd-" + idevid.certificate().getSerialNumber()), VoucherCms.MEDIA_TYPE)
                    .statusCode());
        }
        KeyPair key = ecKey();
        var ldevid = certsOnly(enroll(enrolled, csr(key, "CN=estd"), "application/pkcs10").body()).get(0);
        HttpClient current = net.client(Optional.of(HeldCertificate.of(key.getPrivate(), ldevid,
                List.of(net.pki.domainCa().certificate()))));

        net.registrar.registrar().admin().setTrusted("estco", false);
        String detail = assertProblem(enroll(waiting, csr(ecKey(), "CN=x"), "application/pkcs10"), 403,
                "manufacturer-distrusted").get("detail").asText();
        assertTrue(detail.contains("'estco'"), detail);
        assertProblem(post(net.client(Optional.of(waiting)), base, "/.well-known/est/serverkeygen",
                csr(ecKey(), "CN=x"), "application/pkcs10"), 403, "manufacturer-distrusted");
        assertProblem(post(current, base, "/.well-known/est/simplereenroll", csr(ecKey(), "CN=estd"),
                "application/pkcs10"), 403, "manufacturer-distrusted");
        assertEquals(1, certificates("OK-ESTD1"));
        assertEquals(0, certificates("OK-ESTD2"));

        net.registrar.registrar().admin().setTrusted("estco", true);
        assertEquals(200, enroll(waiting, csr(ecKey(), "CN=x"), "application/pkcs10").statusCode());
        net.registrar.registrar().admin().deny("OK-ESTD1");
        assertProblem(post(current, base, "/.well-known/est/simplereenroll", csr(ecKey(), "CN=estd"),
                "application/pkcs10"), 403, "device-denied");
        assertEquals(1, certificates("OK-ESTD1"));
    }

    @Test
    void reenrollMustKeepTheSubject() throws Exception {
        HeldCertificate idevid = vouched("EST-REENROLL");
        KeyPair key = ecKey();
        HttpResponse<byte[]> enrolled = enroll(idevid, csr(key, "CN=first"), "application/pkcs10");
        var ldevid = certsOnly(enrolled.body()).get(0);
        HttpClient client = net.client(Optional.of(HeldCertificate.of(key.getPrivate(), ldevid,
                List.of(net.pki.domainCa().certificate()))));
        assertProblem(post(client, base, "/.well-known/est/simplereenroll", csr(ecKey(), "CN=renamed"),
                "application/pkcs10"), 400, "subject-changed");
        assertEquals(1, certificates("EST-REENROLL"));
    }

    @Test
    void telemetryRefusals() throws Exception {
        HeldCertificate idevid = vouched("EST-TELEMETRY");
        HttpClient pledge = net.client(Optional.of(idevid));
        String path = "/.well-known/brski/voucher_status";
        assertProblem(post(pledge, base, path, "{".getBytes(StandardCharsets.UTF_8), "application/json"), 400,
                "malformed-json");
        assertProblem(post(pledge, base, path, "{\"version\":1}".getBytes(StandardCharsets.UTF_8),
                "application/json"), 400, "invalid-status");
        assertProblem(post(pledge, base, path, "{\"version\":\"1\",\"status\":true}".getBytes(StandardCharsets.UTF_8),
                "application/json"), 400, "invalid-status");
        assertProblem(post(pledge, base, path, "{\"version\":1,\"status\":true}".getBytes(StandardCharsets.UTF_8),
                "text/plain"), 415, "unsupported-media-type");
        assertProblem(post(pledge, base, path, new byte[9000], "application/json"), 413, "too-large");
        for (String duplicated : new String[] {"{\"version\":1,\"status\":true,\"status\":false}",
            "{\"version\":1,\"status\":false,\"reason\":\"a\",\"reason\":\"b\"}"}) {
            String detail = assertProblem(post(pledge, base, path, duplicated.getBytes(StandardCharsets.UTF_8),
                    "application/json"), 400, "malformed-json").get("detail").asText();
            assertTrue(detail.contains("duplicate member name"), detail);
            assertProblem(post(pledge, base, "/.well-known/brski/enrollstatus",
                    duplicated.getBytes(StandardCharsets.UTF_8), "application/json"), 400, "malformed-json");
        }
        assertEquals(true, net.registrar.registrar().store().device("EST-TELEMETRY").orElseThrow().voucherStatus()
                .isEmpty());

        HeldCertificate stranger = net.acmePledge("EST-UNKNOWN");
        assertProblem(post(net.client(Optional.of(stranger)), base, path,
                "{\"version\":1,\"status\":true}".getBytes(StandardCharsets.UTF_8), "application/json"), 404,
                "unknown-device");
        HeldCertificate twin = Network.pledge("EST-TELEMETRY", net.pki.manufacturerCa(), null);
        assertProblem(post(net.client(Optional.of(twin)), base, "/.well-known/brski/enrollstatus",
                "{\"version\":1,\"status\":false,\"reason\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                "application/json"), 403, "client-certificate-mismatch");
        assertEquals(true, net.registrar.registrar().store().device("EST-TELEMETRY").orElseThrow().enrollStatus()
                .isEmpty());

        assertEquals(200, post(pledge, base, "/.well-known/brski/enrollstatus",
                "{\"version\":1,\"status\":false,\"reason\":\"disk full\",\"new-field\":1}"
                        .getBytes(StandardCharsets.UTF_8), "application/json").statusCode());
        var report = net.registrar.registrar().store().device("EST-TELEMETRY").orElseThrow().enrollStatus()
                .orElseThrow();
        assertEquals(false, report.status());
        assertEquals("disk full", report.reason().orElseThrow());
    }

    @Test
    void malformedCsrIsDescribedInPkcs10WordingNotCms() throws Exception {
        HeldCertificate idevid = vouched("EST-WORDING");
        for (byte[] body : List.of("%%% not base64 %%%".getBytes(StandardCharsets.US_ASCII),
                Base64.getEncoder().encode(new byte[] {0x04, 0x01, 0x00}),
                "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n".getBytes(StandardCharsets.US_ASCII))) {
            String detail = assertProblem(enroll(idevid, body, "application/pkcs10"), 400, "malformed-body")
                    .get("detail").asText();
            assertTrue(detail.contains("PKCS#10") && !detail.contains("CMS") && !detail.contains("ContentInfo"),
                    detail);
        }
        String detail = assertProblem(enroll(idevid, Base64.getEncoder().encode(new byte[] {0x30, 0x03, 0x02, 0x01,
                0x01}), "application/pkcs10"), 400, "malformed-csr").get("detail").asText();
        assertTrue(detail.contains("PKCS#10") && !detail.contains("CMS"), detail);
    }

    /** A CSR whose RSA key has a modulus of {@code bits} bits; its signature is junk (the key is judged first). */
    private static byte[] rsaCsr(int bits) throws Exception {
        java.math.BigInteger modulus = new java.math.BigInteger(bits, new java.security.SecureRandom()).setBit(bits - 1)
                .setBit(0);
        var spki = new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                        org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption,
                        org.bouncycastle.asn1.DERNull.INSTANCE),
                new org.bouncycastle.asn1.pkcs.RSAPublicKey(modulus, java.math.BigInteger.valueOf(65537)));
        var info = new org.bouncycastle.asn1.pkcs.CertificationRequestInfo(
                new org.bouncycastle.asn1.x500.X500Name("CN=rsa"), spki, new org.bouncycastle.asn1.DERSet());
        var request = new org.bouncycastle.asn1.pkcs.CertificationRequest(info,
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                        org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.sha256WithRSAEncryption,
                        org.bouncycastle.asn1.DERNull.INSTANCE),
                new org.bouncycastle.asn1.DERBitString(new byte[bits / 8]));
        return Base64.getEncoder().encode(request.getEncoded());
    }

    @Test
    void rsaKeysInCsrsAreCappedAtBothEnds() throws Exception {
        HeldCertificate idevid = vouched("EST-RSA-CAP");
        for (int bits : new int[] {1024, 2047, 8193, 16384}) {
            String detail = assertProblem(enroll(idevid, rsaCsr(bits), "application/pkcs10"), 400, "unsupported-key")
                    .get("detail").asText();
            assertTrue(detail.contains(bits + " bits") && detail.contains("8192"), detail);
        }
        // within the bounds the key passes and the (junk) signature is what is refused
        assertProblem(enroll(idevid, rsaCsr(8192), "application/pkcs10"), 400, "csr-bad-signature");
        assertEquals(0, certificates("EST-RSA-CAP"));
    }

    @Test
    void serverKeyGenFollowsTheCsrKeyTypeAndSize() throws Exception {
        HeldCertificate idevid = vouched("EST-KEYGEN-TYPE");
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA",
                org.brski.pkix.Crypto.provider());
        rsa.initialize(2048);
        KeyPair rsaKey = rsa.generateKeyPair();
        byte[] rsaCsr = Base64.getEncoder().encode(new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=rsa"), rsaKey.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                        .setProvider(org.brski.pkix.Crypto.provider()).build(rsaKey.getPrivate())).getEncoded());
        var rsaIssued = (java.security.interfaces.RSAPublicKey) keygen(idevid, rsaCsr).getPublicKey();
        assertEquals(2048, rsaIssued.getModulus().bitLength());
        assertTrue(!rsaIssued.equals(rsaKey.getPublic()), "a new key, not the CSR's");

        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC",
                org.brski.pkix.Crypto.provider());
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        var ecIssued = (java.security.interfaces.ECPublicKey) keygen(idevid, csr(ec.generateKeyPair(), "CN=p384"))
                .getPublicKey();
        assertEquals(384, ecIssued.getParams().getCurve().getField().getFieldSize());
        var p256 = (java.security.interfaces.ECPublicKey) keygen(idevid, csr(ecKey(), "CN=p256")).getPublicKey();
        assertEquals(256, p256.getParams().getCurve().getField().getFieldSize());
    }

    /** The certificate {@code /serverkeygen} answers for {@code csr}. */
    private java.security.cert.X509Certificate keygen(HeldCertificate client, byte[] csr) throws Exception {
        HttpResponse<byte[]> response = post(net.client(Optional.of(client)), base, "/.well-known/est/serverkeygen",
                csr, "application/pkcs10");
        String text = new String(response.body(), StandardCharsets.US_ASCII);
        assertEquals(200, response.statusCode(), text);
        String certificatePart = text.substring(text.indexOf("smime-type=certs-only"));
        String base64 = certificatePart.substring(certificatePart.indexOf("\r\n\r\n") + 4,
                certificatePart.indexOf("\r\n--"));
        return certsOnly(base64.getBytes(StandardCharsets.US_ASCII)).get(0);
    }
}
