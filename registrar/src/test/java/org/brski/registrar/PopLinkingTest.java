package org.brski.registrar;

import static org.brski.registrar.Calls.post;
import static org.brski.registrar.VoucherFlowTest.ecKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jsse.BCSSLSocket;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.brski.pki.HeldCertificate;
import org.brski.pkix.Crypto;
import org.brski.pkix.TlsProvider;
import org.brski.registrar.est.EstSettings;
import org.brski.server.tls.TlsContexts;
import org.brski.voucher.VoucherCms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * EST proof-of-possession linking (RFC 7030 section 3.5): a real TLS client (Bouncy Castle's JSSE) reads its
 * connection's channel binding - tls-unique on TLS 1.2, tls-exporter (RFC 9266) on TLS 1.3 - puts it, base64, in the
 * CSR's challengePassword and enrolls on that same connection. A binding of another connection, or garbage, is refused;
 * with {@code requirePopLinking} a CSR without one is refused too and {@code /csrattrs} asks for challengePassword.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PopLinkingTest {
    private static final String ENROLL = "/.well-known/est/simpleenroll";
    private Network net;
    private Network strict;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(TlsProvider.configured() == TlsProvider.BCJSSE, "channel bindings need BCJSSE on both ends");
        net = new Network();
        strict = Network.withEst(EstSettings.defaults().withRequirePopLinking(true));
    }

    @AfterAll
    void stop() {
        if (net != null) {
            net.close();
            strict.close();
        }
    }

    private static HeldCertificate vouched(Network network, String serial) throws Exception {
        HeldCertificate idevid = network.acmePledge(serial);
        HttpResponse<byte[]> r = post(network.client(Optional.of(idevid)), network.registrar.uri(),
                "/.well-known/brski/requestvoucher", network.pvr(idevid, "n-" + serial), VoucherCms.MEDIA_TYPE);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return idevid;
    }

    /** One TLS connection of a pledge to the registrar, with its tls-unique as the client's TLS stack computed it. */
    private static final class Connection implements AutoCloseable {
        final SSLSocket socket;
        final URI base;

        Connection(Network network, HeldCertificate client, String protocol) throws Exception {
            SSLContext context = TlsContexts.client(Optional.of(Network.identity(client)),
                    List.of(network.pki.domainCa().certificate()));
            base = network.registrar.uri();
            socket = (SSLSocket) context.getSocketFactory().createSocket(base.getHost(), base.getPort());
            socket.setSoTimeout(30_000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.startHandshake();
            assertEquals(protocol, socket.getSession().getProtocol());
        }

        /** tls-unique on TLS 1.2, tls-exporter on TLS 1.3, as the client's TLS stack computes it. */
        byte[] binding() {
            byte[] value = ((BCSSLSocket) socket).getConnection().getChannelBinding("tls-unique");
            assertTrue(value != null && value.length == 12, "tls-unique is the 12-byte verify_data of TLS 1.2");
            return value;
        }

        /** POSTs {@code body} on this connection (HTTP/1.1, Connection: close); returns status and body. */
        Answer post(String path, byte[] body) throws Exception {
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nContent-Type: application/pkcs10\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            String headers = text.substring(0, split);
            String content = text.substring(split + 4);
            if (headers.toLowerCase().contains("transfer-encoding: chunked")) {
                StringBuilder joined = new StringBuilder();
                int at = 0;
                while (true) {
                    int eol = content.indexOf("\r\n", at);
                    int size = Integer.parseInt(content.substring(at, eol).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    joined.append(content, eol + 2, eol + 2 + size);
                    at = eol + 2 + size + 2;
                }
                content = joined.toString();
            }
            return new Answer(Integer.parseInt(headers.substring(9, 12)), content);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private record Answer(int status, String body) {
        JsonNode problem(int expectedStatus, String slug) throws Exception {
            assertEquals(expectedStatus, status, body);
            JsonNode problem = Calls.JSON.readTree(body);
            assertEquals("urn:brski:problem:" + slug, problem.get("type").asText(), body);
            assertFalse(body.contains("Exception"), body);
            return problem;
        }
    }

    /** A CSR signed by {@code key} whose challengePassword is {@code password} (none when null), base64 text. */
    static byte[] csr(KeyPair key, String password) throws Exception {
        JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=pop"),
                key.getPublic());
        if (password != null) {
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString(password));
        }
        byte[] der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Crypto.provider())
                .build(key.getPrivate())).getEncoded();
        return Base64.getMimeEncoder().encode(der);
    }

    private static String b64(byte[] value) {
        return Base64.getEncoder().encodeToString(value);
    }

    private int certificates(Network network, String serial) throws Exception {
        return network.registrar.registrar().store().device(serial).map(d -> d.certificates()).orElse(0);
    }

    @Test
    void theTlsUniqueOfThisConnectionIsAcceptedOnTls12() throws Exception {
        HeldCertificate idevid = vouched(net, "POP-OK");
        try (Connection c = new Connection(net, idevid, "TLSv1.2")) {
            Answer a = c.post(ENROLL, csr(ecKey(), b64(c.binding())));
            assertEquals(200, a.status(), a.body());
        }
        assertEquals(1, certificates(net, "POP-OK"));
    }

    @Test
    void theBindingOfAnotherConnectionIsRefused() throws Exception {
        HeldCertificate idevid = vouched(net, "POP-RELAY");
        byte[] elsewhere;
        try (Connection other = new Connection(net, idevid, "TLSv1.2")) {
            elsewhere = other.binding();
        }
        try (Connection c = new Connection(net, idevid, "TLSv1.2")) {
            String detail = c.post(ENROLL, csr(ecKey(), b64(elsewhere))).problem(400, "pop-linking-failed")
                    .get("detail").asText();
            assertTrue(detail.contains("tls-unique"), detail);
        }
        try (Connection c = new Connection(net, idevid, "TLSv1.2")) {
            c.post(ENROLL, csr(ecKey(), "not a channel binding")).problem(400, "pop-linking-failed");
        }
        assertEquals(0, certificates(net, "POP-RELAY"));
    }

    /**
     * On TLS 1.3 the binding is tls-exporter (RFC 9266), which Bouncy Castle's JSSE 1.84 cannot export once the
     * handshake is over (it clears the exporter secret: bc-java#1535), on either end. A CSR claiming a binding there is
     * refused as unverifiable, never accepted unchecked.
     */
    @Test
    void aBindingThatCannotBeCheckedOnTls13IsRefused() throws Exception {
        HeldCertificate idevid = vouched(net, "POP-TLS13");
        try (Connection c = new Connection(net, idevid, "TLSv1.3")) {
            c.post(ENROLL, csr(ecKey(), b64(new byte[32]))).problem(400, "pop-linking-unverifiable");
        }
        assertEquals(0, certificates(net, "POP-TLS13"));
    }

    @Test
    void withoutTheRequirementACsrWithoutBindingIsStillAccepted() throws Exception {
        HeldCertificate idevid = vouched(net, "POP-OPTIONAL");
        try (Connection c = new Connection(net, idevid, "TLSv1.3")) {
            assertEquals(200, c.post(ENROLL, csr(ecKey(), null)).status());
        }
        byte[] attrs = Base64.getMimeDecoder().decode(Calls.get(net.client(Optional.empty()), net.registrar.uri(),
                "/.well-known/est/csrattrs").body());
        assertFalse(advertises(attrs, PKCSObjectIdentifiers.pkcs_9_at_challengePassword));
    }

    @Test
    void requiredBindingIsAdvertisedAndItsAbsenceRefused() throws Exception {
        byte[] attrs = Base64.getMimeDecoder().decode(Calls.get(strict.client(Optional.empty()),
                strict.registrar.uri(), "/.well-known/est/csrattrs").body());
        assertTrue(advertises(attrs, PKCSObjectIdentifiers.pkcs_9_at_challengePassword));

        HeldCertificate idevid = vouched(strict, "POP-STRICT");
        try (Connection c = new Connection(strict, idevid, "TLSv1.3")) {
            c.post(ENROLL, csr(ecKey(), null)).problem(400, "pop-linking-required");
        }
        assertEquals(0, certificates(strict, "POP-STRICT"));
        try (Connection c = new Connection(strict, idevid, "TLSv1.2")) {
            assertEquals(200, c.post(ENROLL, csr(ecKey(), b64(c.binding()))).status());
        }
        assertEquals(1, certificates(strict, "POP-STRICT"));
    }

    private static boolean advertises(byte[] csrAttrs, ASN1Encodable oid) {
        for (ASN1Encodable e : ASN1Sequence.getInstance(csrAttrs)) {
            if (e.equals(oid)) {
                return true;
            }
        }
        return false;
    }
}
