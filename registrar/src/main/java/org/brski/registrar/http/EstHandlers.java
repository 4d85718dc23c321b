package org.brski.registrar.http;

import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.brski.registrar.RegistrarException;
import org.brski.registrar.est.EstEncoding;
import org.brski.registrar.est.EstService;
import org.brski.server.http.ChannelBindings;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The EST endpoints under {@code /.well-known/est} (RFC 7030 section 4, RFC 8951): base64 bodies, answered with
 * {@code Content-Transfer-Encoding: base64} for older clients. Each endpoint is its own small handler.
 */
public final class EstHandlers {
    private static final Map<String, String> BASE64 = Map.of("Content-Transfer-Encoding", "base64");

    private EstHandlers() {
    }

    private static Reply base64(String mediaType, byte[] der) {
        return new Reply(200, mediaType, EstEncoding.base64(der), BASE64);
    }

    /** {@code GET /cacerts} (RFC 7030 4.1). */
    public static final class CaCerts extends Endpoint {
        private final EstService est;

        public CaCerts(EstService est, MeterRegistry metrics) {
            super("cacerts", "GET", List.of(), 0, metrics);
            this.est = est;
        }

        @Override
        protected Reply respond(Exchange exchange) {
            return base64(EstEncoding.CERTS_ONLY, est.caCerts());
        }
    }

    /** {@code GET /csrattrs} (RFC 7030 4.5). */
    public static final class CsrAttrs extends Endpoint {
        private final EstService est;

        public CsrAttrs(EstService est, MeterRegistry metrics) {
            super("csrattrs", "GET", List.of(), 0, metrics);
            this.est = est;
        }

        @Override
        protected Reply respond(Exchange exchange) {
            return base64(EstEncoding.CSRATTRS, est.csrAttributes());
        }
    }

    /**
     * {@code POST /simpleenroll} (RFC 7030 4.2.1, RFC 8995 5.9.3). With compat nqminds the nqminds pledge's request (a
     * self-signed certificate, labelled {@code application/voucher-cms+json}) is answered as nqminds brski answers it:
     * the certificate alone, one line of base64, {@code text/plain}.
     */
    public static final class SimpleEnroll extends Endpoint {
        private final EstService est;

        public SimpleEnroll(EstService est, int maxBody, MeterRegistry metrics) {
            super("simpleenroll", "POST", est.compat().enrollRequestTypes(EstEncoding.PKCS10), maxBody, metrics);
            this.est = est;
        }

        @Override
        protected void judgePeer(List<X509Certificate> peer) throws RegistrarException {
            requireDeviceCertificate(peer);
        }

        @Override
        protected Reply respond(Exchange exchange) throws RegistrarException {
            EstService.Enrolled enrolled = est.enroll(exchange.body(), exchange.peer(),
                    ChannelBindings.of(exchange.request()));
            if (enrolled.certificateRequest()) {
                try {
                    return Reply.ok("text/plain", Base64.getEncoder().encode(enrolled.certificate().getEncoded()));
                } catch (CertificateEncodingException e) {
                    throw new IllegalStateException("cannot encode the issued certificate", e);
                }
            }
            return base64(EstEncoding.CERTS_ONLY, enrolled.certsOnly());
        }
    }

    /** {@code POST /simplereenroll} (RFC 7030 4.2.2). */
    public static final class SimpleReenroll extends Endpoint {
        private final EstService est;

        public SimpleReenroll(EstService est, int maxBody, MeterRegistry metrics) {
            super("simplereenroll", "POST", List.of(EstEncoding.PKCS10), maxBody, metrics);
            this.est = est;
        }

        @Override
        protected void judgePeer(List<X509Certificate> peer) throws RegistrarException {
            est.ldevidClient(peer, "re-enrollment");
        }

        @Override
        protected Reply respond(Exchange exchange) throws RegistrarException {
            return base64(EstEncoding.CERTS_ONLY, est.simpleReenroll(exchange.body(), exchange.peer(),
                    ChannelBindings.of(exchange.request())));
        }
    }

    /** {@code POST /serverkeygen} (RFC 7030 4.4): multipart/mixed with the key (PKCS#8) and the certificate. */
    public static final class ServerKeyGen extends Endpoint {
        private final EstService est;
        private final java.security.SecureRandom random = new java.security.SecureRandom();

        public ServerKeyGen(EstService est, int maxBody, MeterRegistry metrics) {
            super("serverkeygen", "POST", List.of(EstEncoding.PKCS10), maxBody, metrics);
            this.est = est;
        }

        @Override
        protected void judgePeer(List<X509Certificate> peer) throws RegistrarException {
            requireDeviceCertificate(peer);
        }

        @Override
        protected Reply respond(Exchange exchange) throws RegistrarException {
            EstService.GeneratedKey generated = est.serverKeyGen(exchange.body(), exchange.peer(),
                    ChannelBindings.of(exchange.request()));
            String boundary = "est-" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
            String crlf = "\r\n";
            String body = "--" + boundary + crlf
                    + "Content-Type: " + EstEncoding.PKCS8 + crlf
                    + "Content-Transfer-Encoding: base64" + crlf + crlf
                    + mime(generated.pkcs8()) + crlf
                    + "--" + boundary + crlf
                    + "Content-Type: " + EstEncoding.CERTS_ONLY + crlf
                    + "Content-Transfer-Encoding: base64" + crlf + crlf
                    + mime(generated.certsOnly()) + crlf
                    + "--" + boundary + "--" + crlf;
            return Reply.ok("multipart/mixed; boundary=" + boundary, body.getBytes(StandardCharsets.US_ASCII));
        }

        private static String mime(byte[] der) {
            return Base64.getMimeEncoder(64, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        }
    }
}
