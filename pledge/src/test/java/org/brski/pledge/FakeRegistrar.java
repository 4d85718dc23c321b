package org.brski.pledge;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pledge.http.IdentityKeyManager;
import org.brski.voucher.Assertion;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsSigner;
import org.brski.voucher.cms.CmsVerifier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A registrar and MASA in one small Jetty server for the pledge's tests: real TLS (any client certificate accepted,
 * as RFC 8995 5.1 asks of a registrar), real CMS vouchers signed by the test PKI's MASA, real certificates from its
 * domain CA. Each endpoint can be replaced to produce the bad cases; every request is recorded.
 */
final class FakeRegistrar implements AutoCloseable {
    /** What the server received. */
    record Received(String method, String path, Map<String, String> headers, byte[] body,
            List<X509Certificate> clientChain) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What an endpoint answers; {@code hang} never answers. */
    record Answer(int status, String contentType, byte[] body, Map<String, String> headers, boolean hangs) {
        static Answer ok(String contentType, byte[] body) {
            return new Answer(200, contentType, body, Map.of(), false);
        }

        static Answer status(int status) {
            return new Answer(status, "text/plain", ("status " + status).getBytes(StandardCharsets.UTF_8), Map.of(),
                    false);
        }

        static Answer hang() {
            return new Answer(0, null, new byte[0], Map.of(), true);
        }

        Answer withHeader(String name, String value) {
            Map<String, String> all = new TreeMap<>(headers);
            all.put(name, value);
            return new Answer(status, contentType, body, all, hangs);
        }
    }

    @FunctionalInterface
    interface Endpoint {
        Answer handle(Received request) throws Exception;
    }

    static final String VOUCHER_CMS = "application/voucher-cms+json";
    static final String PKCS7_CERTS = "application/pkcs7-mime; smime-type=certs-only";

    final TestPki pki;
    final HeldCertificate tls;
    final List<Received> log = new CopyOnWriteArrayList<>();
    final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    /** The MASA key that signs vouchers. */
    volatile HeldCertificate masa;
    /** The pinned-domain-cert put into vouchers. */
    volatile X509Certificate pin;
    /** Edits each voucher before it is signed. */
    volatile UnaryOperator<Voucher.Builder> voucherEdit = UnaryOperator.identity();
    /** What {@code /cacerts} lists. */
    volatile List<X509Certificate> caCertificates;
    /** Whether EST answers are base64 (with line breaks and Content-Transfer-Encoding) or binary DER. */
    volatile boolean base64 = true;

    private final Server server;

    private FakeRegistrar(TestPki pki, HeldCertificate tls) throws Exception {
        this.pki = pki;
        this.tls = tls;
        this.masa = pki.masaSigner();
        this.pin = pki.domainCa().certificate();
        this.caCertificates = List.of(pki.domainCa().certificate());
        endpoints.put("/.well-known/brski/requestvoucher", this::requestVoucher);
        endpoints.put("/.well-known/brski/voucher_status", r -> Answer.ok("text/plain", new byte[0]));
        endpoints.put("/.well-known/brski/enrollstatus", r -> Answer.ok("text/plain", new byte[0]));
        endpoints.put("/.well-known/est/cacerts", r -> est(caCertificates));
        endpoints.put("/.well-known/est/csrattrs", r -> Answer.status(404));
        endpoints.put("/.well-known/est/simpleenroll", r -> est(List.of(issue(csr(r)), pki.domainCa().certificate())));
        endpoints.put("/.well-known/est/simplereenroll", r -> {
            // like a real registrar: the client must authenticate with an LDevID of this domain (RFC 7030 4.2.2)
            if (r.clientChain().isEmpty() || !r.clientChain().get(0).getIssuerX500Principal()
                    .equals(pki.domainCa().certificate().getSubjectX500Principal())) {
                return Answer.status(401);
            }
            return est(List.of(issue(csr(r)), pki.domainCa().certificate()));
        });

        server = new Server();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new IdentityKeyManager(tls.privateKey(), tls.chainWithSelf())},
                new TrustManager[] {new AcceptAnyClient()}, null);
        ssl.setSslContext(context);
        ssl.setWantClientAuth(true);
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        secure.setSniRequired(false);
        http.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Dispatch());
        server.start();
    }

    static FakeRegistrar start(TestPki pki) throws Exception {
        return new FakeRegistrar(pki, pki.registrar());
    }

    /** A registrar presenting another TLS identity than the test PKI's registrar. */
    static FakeRegistrar start(TestPki pki, HeldCertificate tls) throws Exception {
        return new FakeRegistrar(pki, tls);
    }

    URI uri() {
        return URI.create("https://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    List<String> paths() {
        return log.stream().map(r -> r.method() + " " + r.path()).toList();
    }

    List<Received> received(String suffix) {
        return log.stream().filter(r -> r.path().endsWith(suffix)).toList();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the test registrar", e);
        }
    }

    // ---- default endpoints -------------------------------------------------------------------------------------

    /** Verifies the PVR's signature and answers a voucher for its serial and nonce, pinning {@link #pin}. */
    Answer requestVoucher(Received r) throws Exception {
        VoucherRequest pvr = VoucherCms.verifyVoucherRequest(CmsVerifier.signatureOnly(), VoucherJson.strict(), r.body())
                .artifact();
        if (!java.util.Arrays.equals(pvr.proximityRegistrarCert().orElseThrow(), tls.certificate().getEncoded())) {
            return Answer.status(401);
        }
        Voucher.Builder voucher = Voucher.builder()
                .createdOn(OffsetDateTime.now(ZoneOffset.UTC))
                .assertion(Assertion.LOGGED)
                .serialNumber(pvr.serialNumber())
                .nonce(pvr.nonce().orElse(null))
                .pinnedDomainCert(pin.getEncoded());
        return Answer.ok(VOUCHER_CMS, signVoucher(voucherEdit.apply(voucher).build()));
    }

    byte[] signVoucher(Voucher voucher) {
        return VoucherCms.sign(CmsSigner.of(masa.privateKey(), masa.certificate(), masa.issuerChain()), voucher);
    }

    X509Certificate issue(PKCS10CertificationRequest csr) {
        return pki.issueLdevid(csr, Duration.ofDays(30));
    }

    static PKCS10CertificationRequest csr(Received r) throws IOException {
        String text = new String(r.body(), StandardCharsets.US_ASCII).replaceAll("\\s", "");
        return new PKCS10CertificationRequest(Base64.getDecoder().decode(text));
    }

    /** A certs-only PKCS#7 answer, base64 with line breaks (RFC 8951) or binary. */
    Answer est(List<X509Certificate> certificates) throws Exception {
        byte[] der = certsOnly(certificates);
        if (!base64) {
            return Answer.ok(PKCS7_CERTS, der);
        }
        byte[] text = Base64.getMimeEncoder().encode(der);
        return Answer.ok(PKCS7_CERTS, text).withHeader("Content-Transfer-Encoding", "base64");
    }

    static byte[] certsOnly(List<X509Certificate> certificates) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addCertificates(new JcaCertStore(certificates));
        return generator.generate(new CMSAbsentContent()).getEncoded("DER");
    }

    // ---- Jetty -----------------------------------------------------------------------------------------------

    private final class Dispatch extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            request.getHeaders().forEach(f -> headers.put(f.getName().toLowerCase(Locale.ROOT), f.getValue()));
            EndPoint.SslSessionData ssl = (EndPoint.SslSessionData) request.getAttribute(
                    EndPoint.SslSessionData.ATTRIBUTE);
            List<X509Certificate> chain = ssl == null || ssl.peerCertificates() == null ? List.of()
                    : List.of(ssl.peerCertificates());
            String path = Request.getPathInContext(request);
            Received received = new Received(request.getMethod(), path, headers, body, chain);
            log.add(received);
            Endpoint endpoint = endpoints.get(path);
            Answer answer;
            try {
                answer = endpoint == null ? Answer.status(404) : endpoint.handle(received);
            } catch (Exception e) {
                answer = Answer.status(500);
            }
            if (answer.hangs()) {
                return true; // never completes: the pledge must give up on its own
            }
            response.setStatus(answer.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
            answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
            return true;
        }
    }

    /** RFC 8995 5.1: the registrar accepts any client certificate at the TLS layer and judges it later. */
    static final class AcceptAnyClient extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }


}
