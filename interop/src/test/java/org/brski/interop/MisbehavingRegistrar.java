package org.brski.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.DeviceCertificates;
import org.brski.registrar.est.EstEncoding;
import org.brski.server.tls.ClientAuth;
import org.brski.server.tls.TlsContexts;
import org.brski.server.tls.TlsIdentity;
import org.brski.voucher.Assertion;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.cms.CmsSigner;
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
 * Deliberately broken "registrars" for the self-test of the suite: real TLS on 127.0.0.1 port 0 with the test PKI's
 * registrar certificate (clients' certificates accepted provisionally), each misbehaving in one way. None is a
 * registrar, so the catalogue must not pass a case any of them did not earn.
 */
final class MisbehavingRegistrar implements AutoCloseable {
    /** How the target misbehaves. */
    enum Behaviour {
        /** 404 to every request. */
        NOT_FOUND,
        /** 200 to every request, with the media type the client asks for and a body that is nothing of the sort. */
        ACCEPTS_EVERYTHING,
        /** 400 to every request, with a problem saying the request cannot be parsed. */
        BAD_REQUEST,
        /** A real MASA-signed voucher for the TLS client's serial-number but another nonce, to any voucher-request. */
        WRONG_NONCE,
        /** BRSKI draft 07: 404 on /.well-known/brski/, voucher-requests at /.well-known/est/requestvoucher. */
        DRAFT_07,
        /** Completes the TLS handshake, reads the request, then resets the connection (TCP RST). */
        RESETS
    }

    private final Server server;
    private final ServerSocket resetting;
    private final ExecutorService threads;

    private MisbehavingRegistrar(Server server, ServerSocket resetting, ExecutorService threads) {
        this.server = server;
        this.resetting = resetting;
        this.threads = threads;
    }

    /** A registrar answering 200 text/plain "garbage" to everything. */
    static MisbehavingRegistrar garbage(TestPki pki) throws Exception {
        return jetty(pki, request -> new Reply(200, "text/plain", "garbage".getBytes(StandardCharsets.US_ASCII)));
    }

    static MisbehavingRegistrar start(TestPki pki, Behaviour behaviour) throws Exception {
        return switch (behaviour) {
            case NOT_FOUND -> jetty(pki, request -> new Reply(404, "text/plain",
                    "Not Found".getBytes(StandardCharsets.US_ASCII)));
            case ACCEPTS_EVERYTHING -> jetty(pki, request -> new Reply(200,
                    askedFor(request.getHeaders().get(HttpHeader.ACCEPT)), "accepted".getBytes(
                            StandardCharsets.US_ASCII)));
            case BAD_REQUEST -> jetty(pki, request -> new Reply(400, "application/problem+json",
                    ("{\"type\":\"urn:example:malformed-request\",\"title\":\"Bad Request\",\"status\":400,"
                            + "\"detail\":\"cannot parse the request\"}").getBytes(StandardCharsets.US_ASCII)));
            case WRONG_NONCE -> jetty(pki, request -> {
                String path = request.getHttpURI().getPath();
                if (path.endsWith("/requestvoucher") && "POST".equals(request.getMethod())) {
                    return new Reply(200, VoucherCms.MEDIA_TYPE, voucherWithWrongNonce(pki, request));
                }
                return path.endsWith("/cacerts") ? new Reply(200, "application/pkcs7-mime", cacerts(pki))
                        : new Reply(404, "text/plain", new byte[0]);
            });
            case DRAFT_07 -> jetty(pki, request -> {
                String path = request.getHttpURI().getPath();
                if (path.equals("/.well-known/est/requestvoucher")) {
                    return new Reply(400, "text/plain", "no voucher request".getBytes(StandardCharsets.US_ASCII));
                }
                return path.equals("/.well-known/est/cacerts") ? new Reply(200, "application/pkcs7-mime",
                        cacerts(pki)) : new Reply(404, "text/plain", new byte[0]);
            });
            case RESETS -> resetting(pki);
        };
    }

    /** The content type of the first concrete media range the client accepts, else octet-stream. */
    private static String askedFor(String accept) {
        if (accept != null) {
            for (String range : accept.split(",")) {
                String type = range.split(";")[0].trim();
                if (!type.contains("*") && !type.isEmpty()) {
                    return type;
                }
            }
        }
        return "application/octet-stream";
    }

    private static byte[] cacerts(TestPki pki) {
        return Base64.getMimeEncoder().encode(EstEncoding.certsOnly(List.of(pki.domainCa().certificate())));
    }

    private static byte[] voucherWithWrongNonce(TestPki pki, Request request) {
        EndPoint.SslSessionData tls = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        X509Certificate[] peer = tls == null ? null : tls.peerCertificates();
        String serial = peer == null || peer.length == 0 ? "unknown"
                : DeviceCertificates.serialNumber(peer[0]).orElse("unknown");
        Voucher voucher = Voucher.builder().createdOn(OffsetDateTime.now(Clock.systemUTC()).truncatedTo(
                        ChronoUnit.SECONDS).withOffsetSameInstant(ZoneOffset.UTC)).assertion(Assertion.PROXIMITY)
                .serialNumber(serial).pinnedDomainCert(der(pki.domainCa().certificate()))
                .nonce("bm90LXRoZS1ub25jZS1zZW50").build();
        HeldCertificate signer = pki.masaSigner();
        return VoucherCms.sign(CmsSigner.of(signer.privateKey(), signer.certificate(), List.of()), voucher);
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Reply(int status, String type, byte[] body) {
    }

    @FunctionalInterface
    private interface Answer {
        Reply to(Request request);
    }

    private static SSLContext tls(TestPki pki) throws Exception {
        HeldCertificate registrar = pki.registrar();
        return TlsContexts.server(TlsIdentity.of(registrar.privateKey(), registrar.certificate(),
                registrar.issuerChain()), ClientAuth.wantAnyProvisionally(), Clock.systemUTC());
    }

    private static MisbehavingRegistrar jetty(TestPki pki, Answer answer) throws Exception {
        Server server = new Server();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls(pki));
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
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                try (InputStream body = Content.Source.asInputStream(request)) {
                    body.transferTo(OutputStream.nullOutputStream());
                }
                Reply reply = answer.to(request);
                response.setStatus(reply.status());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.type());
                response.write(true, ByteBuffer.wrap(reply.body()), callback);
                return true;
            }
        });
        server.start();
        return new MisbehavingRegistrar(server, null, null);
    }

    private static MisbehavingRegistrar resetting(TestPki pki) throws Exception {
        SSLContext context = tls(pki);
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "resetting-registrar");
            t.setDaemon(true);
            return t;
        });
        threads.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket raw = socket.accept();
                    threads.execute(() -> reset(context, raw));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return new MisbehavingRegistrar(null, socket, threads);
    }

    /** Handshakes, reads the request head, then closes with SO_LINGER 0: a TCP RST, no TLS close_notify. */
    private static void reset(SSLContext context, Socket raw) {
        try (raw) {
            raw.setSoTimeout(5000);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, null, raw.getPort(), false);
            tls.setUseClientMode(false);
            tls.setWantClientAuth(true);
            tls.startHandshake();
            InputStream in = tls.getInputStream();
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
            raw.setSoLinger(true, 0);
        } catch (IOException e) {
            // the client went away first: nothing to reset
        }
    }

    URI uri() {
        int port = server != null ? ((ServerConnector) server.getConnectors()[0]).getLocalPort()
                : resetting.getLocalPort();
        return URI.create("https://127.0.0.1:" + port);
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (resetting != null) {
            resetting.close();
            threads.shutdownNow();
        }
    }
}
