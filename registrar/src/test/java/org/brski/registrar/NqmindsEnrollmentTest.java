package org.brski.registrar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.brski.pki.HeldCertificate;
import org.brski.pkix.Certificates;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.Pem;
import org.brski.registrar.config.RegistrarConfig;
import org.brski.registrar.est.KeyDomainCa;
import org.brski.registrar.policy.Approval;
import org.brski.registrar.policy.Manufacturer;
import org.brski.registrar.store.VoucherRecord;
import org.brski.server.config.Compat;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.tls.TlsContexts;
import org.brski.server.tls.TlsIdentity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The nqminds pledge's enrollment, fed as the captured bytes (nqminds brski 0.2.6, {@code 03-sign-enroll} under
 * {@code src/test/resources/nqminds-brski}): the exact HTTP request, written on a TLS connection that presents the
 * captured IDevID, to registrars set up like the captured one (domain CA {@code registrar-tls-ca}) at a fixed time after the certificates start. With compat nqminds the self-signed
 * certificate is certified (proof of possession by its self-signature, subject from the IDevID) and answered as the
 * captured nqminds registrar answered; without it, or without a voucher, or with a broken self-signature, it is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NqmindsEnrollmentTest {
    private static final Path VECTORS = Path.of("src", "test", "resources", "nqminds-brski");
    private static final Path FLOW = VECTORS.resolve("03-sign-enroll");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T22:00:00Z"), ZoneOffset.UTC);
    private static final String SERIAL = "idev-serial12345";

    private X509Certificate idevid;
    private PrivateKey idevidKey;
    private X509Certificate domainCa;
    private RegistrarServer compat;
    private RegistrarServer standard;

    @BeforeAll
    void start() throws Exception {
        idevid = Pem.readCertificate(VECTORS.resolve("certs/idevid.crt"));
        idevidKey = Pem.readPrivateKey(VECTORS.resolve("certs/idevid.key"));
        domainCa = Pem.readCertificate(VECTORS.resolve("certs/registrar-tls-ca.crt"));
        compat = registrar(Compat.NQMINDS);
        standard = registrar(Compat.NONE);
    }

    @AfterAll
    void stop() {
        for (RegistrarServer r : Arrays.asList(compat, standard)) {
            if (r != null) {
                r.close();
            }
        }
    }

    /** A registrar like the captured one, with the captured voucher on record for the IDevID. */
    private RegistrarServer registrar(Compat dialect) throws Exception {
        // Our registrar signs its voucher-requests with its TLS key, which must carry id-kp-cmcRA (RFC 8995 5.5): the
        // captured registrar-tls has no EKU, so a sibling issued by the same CA stands in for it.
        HeldCertificate ca = HeldCertificate.of(Pem.readPrivateKey(VECTORS.resolve("certs/registrar-tls-ca.key")),
                domainCa, List.of());
        HeldCertificate registrarTls = HeldCertificate.builder().commonName("registrar-tls-meta").signedBy(ca)
                .ipAddresses("127.0.0.1").extendedKeyUsage(HeldCertificate.ID_KP_CMC_RA,
                        HeldCertificate.ID_KP_SERVER_AUTH).build();
        TlsIdentity tls = TlsIdentity.of(registrarTls.privateKey(), registrarTls.certificate(), List.of());
        RegistrarConfig config = RegistrarConfig.builder(tls, KeyDomainCa.of(ca.privateKey(), domainCa, List.of()))
                .database(DatabaseConfig.h2Memory("nqminds-enroll-" + UUID.randomUUID()))
                .manufacturer(Manufacturer.trusted("nqminds",
                        Pem.readCertificate(VECTORS.resolve("certs/idevid-ca.crt"))))
                .clock(CLOCK)
                .compat(dialect)
                .build();
        RegistrarServer server = RegistrarServer.start(config);
        server.registrar().store().recordVoucher(VoucherRecord.of(SERIAL, CLOCK.instant(),
                Optional.of("+Lp6ABHwhyF032vMCDFbiA=="), URI.create("https://127.0.0.1:12386/.well-known/brski"),
                Files.readAllBytes(FLOW.resolve("1-pvr.der")), Files.readAllBytes(FLOW.resolve("2-rvr.der")),
                Files.readAllBytes(FLOW.resolve("3-voucher.der"))), "nqminds", idevid, Approval.AUTO);
        return server;
    }

    /** An HTTP/1.1 answer read off the wire. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        String text() {
            return new String(body, StandardCharsets.US_ASCII);
        }
    }

    /** Writes {@code request} byte for byte on a new TLS connection presenting the captured IDevID. */
    private Answer exchange(RegistrarServer registrar, byte[] request) throws Exception {
        return exchange(registrar, TlsIdentity.of(idevidKey, idevid, List.of()), request);
    }

    private Answer exchange(RegistrarServer registrar, TlsIdentity client, byte[] request) throws Exception {
        SSLContext context = TlsContexts.client(Optional.of(client), List.of(domainCa));
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(registrar.uri().getHost(),
                registrar.uri().getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    /** Parses a raw HTTP/1.1 response (status line, header fields folded to lower case, the body after CRLF CRLF). */
    static Answer parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertTrue(end > 0, "no end of header in: " + text);
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1)
                    .trim(), (a, b) -> a + ", " + b);
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, Arrays.copyOfRange(raw, end + 4,
                raw.length));
    }

    /** The captured request with its body replaced (Content-Length adjusted) and, when given, another Content-Type. */
    private static byte[] request(byte[] body, String contentType) throws IOException {
        String head = captured("5-enroll.request.http");
        head = head.substring(0, head.indexOf("\r\n\r\n") + 4)
                .replaceFirst("Content-Length: \\d+", "Content-Length: " + body.length);
        if (contentType != null) {
            head = head.replace("Content-Type: application/voucher-cms+json", "Content-Type: " + contentType);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        return out.toByteArray();
    }

    private static String captured(String name) throws IOException {
        return Files.readString(FLOW.resolve(name), StandardCharsets.ISO_8859_1);
    }

    private static byte[] capturedBody() throws IOException {
        return Files.readAllBytes(FLOW.resolve("5-enroll-request-cert.b64"));
    }

    private static JsonNode problem(Answer answer, int status, String slug) throws Exception {
        assertEquals(status, answer.status(), answer.text());
        assertEquals("application/problem+json", answer.header("content-type"));
        JsonNode problem = Calls.JSON.readTree(answer.body());
        assertEquals("urn:brski:problem:" + slug, problem.get("type").asText(), answer.text());
        return problem;
    }

    /**
     * The subjectPublicKeyInfo of a certificate, read at the ASN.1 level: the captured request has an empty issuer,
     * which Bouncy Castle's certificate classes refuse.
     */
    private static byte[] publicKey(byte[] certificate) throws IOException {
        ASN1Sequence tbs = ASN1Sequence.getInstance(ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(certificate))
                .getObjectAt(0));
        return tbs.getObjectAt(6).toASN1Primitive().getEncoded(ASN1Encoding.DER);
    }

    private int issued(RegistrarServer registrar) throws Exception {
        return registrar.registrar().store().device(SERIAL).map(d -> d.certificates()).orElse(0);
    }

    @Test
    void theCapturedRequestIsCertifiedAndAnsweredAsTheNqmindsRegistrarAnswered() throws Exception {
        byte[] wire = Files.readAllBytes(FLOW.resolve("5-enroll.request.http"));
        byte[] requestedKey = publicKey(Base64.getDecoder().decode(capturedBody()));

        Answer answer = exchange(compat, wire);

        Answer nqminds = parse(Files.readAllBytes(FLOW.resolve("5-enroll.response.http")));
        assertEquals(nqminds.status(), answer.status(), answer.text());
        assertEquals(nqminds.header("content-type"), answer.header("content-type"));
        assertEquals("", answer.header("content-transfer-encoding"));
        assertTrue(answer.text().matches("[A-Za-z0-9+/]+={0,2}"), "one line of padded standard base64, as nqminds: "
                + answer.text());
        X509Certificate ldevid = Certificates.fromDer(Base64.getDecoder().decode(answer.body()));
        X509Certificate theirs = Certificates.fromDer(Base64.getDecoder().decode(nqminds.body()));

        assertArrayEquals(requestedKey, ldevid.getPublicKey().getEncoded(), "the new key");
        assertArrayEquals(theirs.getPublicKey().getEncoded(), ldevid.getPublicKey().getEncoded());
        assertEquals(theirs.getIssuerX500Principal(), ldevid.getIssuerX500Principal(), "issued by the domain CA");
        ldevid.verify(domainCa.getPublicKey());
        assertEquals(X500Name.getInstance(idevid.getSubjectX500Principal().getEncoded()),
                X500Name.getInstance(ldevid.getSubjectX500Principal().getEncoded()),
                "the subject is the IDevID's, not the request's (CN=ldevid-cert, serialNumber=94F46D5869C3D86)");
        assertEquals(Optional.of(SERIAL), DeviceCertificates.serialNumber(ldevid));
        assertTrue(ldevid.getExtendedKeyUsage().contains(DeviceCertificates.ID_KP_CLIENT_AUTH), "usual LDevID profile");
        assertTrue(ldevid.getKeyUsage()[0], "digitalSignature");
        assertEquals(-1, ldevid.getBasicConstraints());
        assertTrue(ldevid.getNotAfter().before(theirs.getNotAfter()), "validity is the registrar's, not 9999");
        assertEquals(1, issued(compat));
    }

    @Test
    void aBrokenSelfSignatureIsNoProofOfPossession() throws Exception {
        byte[] der = Base64.getDecoder().decode(capturedBody());
        der[der.length - 2] ^= 0x01;
        int before = issued(compat);
        problem(exchange(compat, request(Base64.getEncoder().encode(der), null)), 400, "certificate-bad-signature");
        assertEquals(before, issued(compat));
    }

    @Test
    void withoutAVoucherTheCapturedRequestIsRefused() throws Exception {
        HeldCertificate stranger = HeldCertificate.builder().commonName("idev-meta")
                .serialNumberAttribute("idev-serial-unvouched").build();
        problem(exchange(compat, TlsIdentity.of(stranger.privateKey(), stranger.certificate(), List.of()),
                Files.readAllBytes(FLOW.resolve("5-enroll.request.http"))), 403, "no-voucher");
        assertTrue(compat.registrar().store().device("idev-serial-unvouched").isEmpty());
    }

    @Test
    void withoutCompatTheCapturedRequestIsRefused() throws Exception {
        problem(exchange(standard, Files.readAllBytes(FLOW.resolve("5-enroll.request.http"))), 415,
                "unsupported-media-type");
        JsonNode refused = problem(exchange(standard, request(capturedBody(), "application/pkcs10")), 400,
                "certificate-body");
        assertTrue(refused.get("detail").asText().contains("compat nqminds"), refused.toString());
        assertEquals(0, issued(standard));
    }
}
