package org.brski.pledge;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.brski.pledge.PledgeException.Reason;
import org.brski.pledge.PledgeListener.Outcome;
import org.brski.pledge.est.CsrAttributes;
import org.brski.pledge.est.EstCodec;
import org.brski.pledge.http.HttpReply;
import org.brski.pledge.http.RegistrarClient;
import org.brski.voucher.VoucherCms;

/**
 * One TLS session with a registrar and the exchange patterns BRSKI and EST share on it: 202 with Retry-After (RFC 8995
 * section 5.6, RFC 7030 section 4.2.3), best-effort status telemetry (5.7, 5.9.4), CSR attributes and enrollment.
 */
final class Session {
    static final String REQUEST_VOUCHER = "/.well-known/brski/requestvoucher";
    static final String VOUCHER_STATUS = "/.well-known/brski/voucher_status";
    static final String ENROLL_STATUS = "/.well-known/brski/enrollstatus";
    static final String CACERTS = "/.well-known/est/cacerts";
    static final String CSRATTRS = "/.well-known/est/csrattrs";
    static final String SIMPLE_ENROLL = "/.well-known/est/simpleenroll";
    static final String SIMPLE_REENROLL = "/.well-known/est/simplereenroll";
    static final String PKCS7 = "application/pkcs7-mime";
    static final String PKCS10 = "application/pkcs10";
    static final String CSRATTRS_TYPE = "application/csrattrs";

    private final RegistrarClient client;
    private final PledgeOptions options;

    Session(RegistrarClient client, PledgeOptions options) {
        this.client = client;
        this.options = options;
    }

    RegistrarClient client() {
        return client;
    }

    void event(Step step, Outcome outcome, String message) {
        options.listener().event(step, outcome, message);
    }

    /**
     * POSTs the same bytes again while the registrar answers 202, waiting its Retry-After capped by the options
     * (RFC 8995 5.6: "MUST resend the same voucher-request", at most 60 s apart).
     */
    HttpReply postWaiting(Step step, String path, byte[] body, String contentType, String accept, boolean base64)
            throws PledgeException {
        for (int retry = 0; ; retry++) {
            HttpReply reply = client.post(step, path, body, contentType, accept, base64);
            if (reply.status() != 202) {
                return reply;
            }
            if (retry >= options.maxPendingRetries()) {
                throw new PledgeException(step, Reason.PENDING_EXHAUSTED, "the registrar still answers 202 (pending)"
                        + " after " + retry + " retries");
            }
            Duration wait = retryAfter(reply.header("retry-after"), options);
            event(step, Outcome.PENDING, "202 accepted, pending: retry " + (retry + 1) + "/"
                    + options.maxPendingRetries() + " in " + wait.toSeconds() + " s");
            sleep(step, wait);
        }
    }

    void sleep(Step step, Duration wait) throws PledgeException {
        try {
            options.sleeper().sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PledgeException(step, Reason.INTERRUPTED, "interrupted while waiting", e);
        }
    }

    /**
     * The wait a Retry-After header asks for (delta-seconds or HTTP-date), at least one second and at most the cap;
     * the cap when the header is absent or unreadable (RFC 8995 5.6 allows a fixed value instead).
     */
    static Duration retryAfter(Optional<String> header, PledgeOptions options) {
        Duration cap = options.retryAfterCap();
        Duration wanted = cap;
        if (header.isPresent()) {
            String value = header.get().trim();
            try {
                if (value.matches("[0-9]{1,9}")) {
                    wanted = Duration.ofSeconds(Long.parseLong(value));
                } else {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    wanted = Duration.between(options.clock().instant(), at);
                }
            } catch (DateTimeParseException e) {
                wanted = cap;
            }
        }
        Duration floor = Duration.ofSeconds(1).compareTo(cap) < 0 ? Duration.ofSeconds(1) : cap;
        if (wanted.compareTo(floor) < 0) {
            return floor;
        }
        return wanted.compareTo(cap) > 0 ? cap : wanted;
    }

    /** Requires 200, else HTTP_STATUS naming the status and the start of the (untrusted) body. */
    static void expectOk(Step step, String path, HttpReply reply) throws PledgeException {
        if (reply.status() != 200) {
            throw new PledgeException(step, Reason.HTTP_STATUS, path + " answered " + reply.status()
                    + (reply.length() > 0 ? ": " + reply.excerpt() : ""));
        }
    }

    /** POSTs status telemetry; the answer is reported but never fails the caller (RFC 8995 5.7: "ignores"). */
    void sendStatus(Step step, String path, byte[] json, boolean success) {
        try {
            HttpReply reply = client.post(step, path, json, StatusReport.MEDIA_TYPE, "*/*", false);
            event(step, reply.status() / 100 == 2 ? Outcome.OK : Outcome.WARNING, (success ? "success" : "failure")
                    + " reported, registrar answered " + reply.status());
        } catch (PledgeException e) {
            event(step, Outcome.WARNING, "status not delivered: " + e.getMessage());
        }
    }

    /** GET {@code /cacerts}: the certificates of the certs-only response. */
    List<X509Certificate> caCertificates() throws PledgeException {
        HttpReply reply = client.get(Step.CA_CERTIFICATES, CACERTS, PKCS7);
        expectOk(Step.CA_CERTIFICATES, CACERTS, reply);
        return EstCodec.certsOnly(Step.CA_CERTIFICATES, reply.body());
    }

    /**
     * GET {@code /cacerts} where the registrar may not serve it (nqminds brski does not): the certificates when it
     * answers 200, empty for any other status; a 200 body that cannot be parsed fails.
     */
    Optional<List<X509Certificate>> caCertificatesIfServed() throws PledgeException {
        HttpReply reply = client.get(Step.CA_CERTIFICATES, CACERTS, PKCS7);
        if (reply.status() != 200) {
            return Optional.empty();
        }
        return Optional.of(EstCodec.certsOnly(Step.CA_CERTIFICATES, reply.body()));
    }

    /**
     * GET {@code /csrattrs} (RFC 8995 5.9.2: the pledge MUST ask): 204 and 404 mean none; another error status is
     * reported and treated as none; a 200 body that cannot be parsed fails.
     */
    CsrAttributes csrAttributes() throws PledgeException {
        HttpReply reply = client.get(Step.CSR_ATTRIBUTES, CSRATTRS, CSRATTRS_TYPE);
        if (reply.status() == 204 || reply.status() == 404) {
            event(Step.CSR_ATTRIBUTES, Outcome.OK, "none (" + reply.status() + ")");
            return CsrAttributes.NONE;
        }
        if (reply.status() != 200) {
            event(Step.CSR_ATTRIBUTES, Outcome.WARNING, "answered " + reply.status() + ", continuing without");
            return CsrAttributes.NONE;
        }
        CsrAttributes attributes = EstCodec.csrAttributes(Step.CSR_ATTRIBUTES, reply.body());
        event(Step.CSR_ATTRIBUTES, Outcome.OK, attributes.isEmpty() ? "none" : attributes.oids().size()
                + " attribute(s) " + attributes.oids());
        return attributes;
    }

    /** A new LDevID key: the curve {@code /csrattrs} names, else the configured type, else like {@code model}. */
    static KeyPair newKey(CsrAttributes attributes, PublicKey model, PledgeOptions options) {
        if (attributes.ecCurve().isPresent()) {
            if (SECObjectIdentifiers.secp256r1.equals(attributes.ecCurve().get())) {
                return EstCodec.generateEc("secp256r1", options.random());
            }
            if (SECObjectIdentifiers.secp384r1.equals(attributes.ecCurve().get())) {
                return EstCodec.generateEc("secp384r1", options.random());
            }
        }
        return switch (options.ldevidKey()) {
            case SAME_AS_IDEVID -> EstCodec.generateLike(model, options.random());
            case EC_P256 -> EstCodec.generateEc("secp256r1", options.random());
            case EC_P384 -> EstCodec.generateEc("secp384r1", options.random());
            case RSA_2048 -> EstCodec.generateRsa(2048, options.random());
            case RSA_3072 -> EstCodec.generateRsa(3072, options.random());
        };
    }

    /**
     * Requests a certificate for {@code keys} ({@code /simpleenroll} or {@code /simplereenroll}) and checks the
     * answer: a certificate for this key that validates to {@code anchors}.
     *
     * @return the new certificate chain, certificate first
     */
    List<X509Certificate> enroll(Step step, String path, X500Name subject, KeyPair keys, CsrAttributes attributes,
            List<X509Certificate> caCertificates, List<X509Certificate> anchors) throws PledgeException {
        PKCS10CertificationRequest csr = EstCodec.certificationRequest(subject, keys, attributes.extensions());
        HttpReply reply = postWaiting(step, path, EstCodec.base64(csr), PKCS10, PKCS7, true);
        expectOk(step, path, reply);
        List<X509Certificate> issued = EstCodec.certsOnly(step, reply.body());
        event(step, Outcome.OK, issued.size() + " certificate(s) received");
        return checkEnrolled(issued, keys, caCertificates, anchors);
    }

    /**
     * Enrollment as nqminds brski does it ({@link Dialect#NQMINDS}): a self-signed certificate for {@code keys} (its
     * signature is the proof of possession), one line of base64 labelled {@code application/voucher-cms+json}, to
     * {@code /simpleenroll}; the answer (the certificate as base64 or DER, or certs-only PKCS#7) is checked as in
     * {@link #enroll}: it must certify this key and validate to {@code anchors}.
     *
     * @return the new certificate chain, certificate first
     */
    List<X509Certificate> enrollSelfSigned(X500Name subject, KeyPair keys, List<X509Certificate> caCertificates,
            List<X509Certificate> anchors) throws PledgeException {
        byte[] request = EstCodec.selfSignedCertificate(subject, keys, options.clock().instant(), options.random());
        HttpReply reply = postWaiting(Step.ENROLL, SIMPLE_ENROLL, Base64.getEncoder().encode(request),
                VoucherCms.MEDIA_TYPE, "*/*", false);
        expectOk(Step.ENROLL, SIMPLE_ENROLL, reply);
        List<X509Certificate> issued = EstCodec.issuedCertificates(Step.ENROLL, reply.body());
        event(Step.ENROLL, Outcome.OK, issued.size() + " certificate(s) received for the self-signed request");
        return checkEnrolled(issued, keys, caCertificates, anchors);
    }

    /** 5.9.3: the certificate for {@code keys} among {@code issued}, validated to {@code anchors}, with its chain. */
    private List<X509Certificate> checkEnrolled(List<X509Certificate> issued, KeyPair keys,
            List<X509Certificate> caCertificates, List<X509Certificate> anchors) throws PledgeException {
        List<X509Certificate> chain = DomainTrust.checkEnrolled(issued, keys.getPublic(), caCertificates, anchors,
                options.trustTime());
        event(Step.VERIFY_CERTIFICATE, Outcome.OK, "'" + org.brski.pkix.DeviceCertificates.displayName(
                chain.get(0).getSubjectX500Principal()) + "' certifies the new key and chains to the domain CA"
                + options.trustTime().note());
        return chain;
    }
}
