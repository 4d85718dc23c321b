package org.brski.interop.client;

import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.brski.interop.InteropException;
import org.brski.pki.HeldCertificate;
import org.brski.pkix.DeviceCertificates;
import org.brski.pledge.PledgeException;
import org.brski.pledge.PledgeException.Reason;
import org.brski.pledge.Step;
import org.brski.pledge.http.HttpReply;
import org.brski.pledge.http.RegistrarClient;
import org.brski.pledge.http.RegistrarTrust;

/**
 * One TLS session with a registrar or MASA, presenting a client identity (an IDevID, an LDevID or the registrar's
 * certificate) and accepting the server provisionally as a pledge does (RFC 8995 5.1): the server chain is kept from
 * the first exchange and every later connection must show the same end-entity certificate. Every exchange is bounded
 * in time and size by the pledge's {@link RegistrarClient}.
 */
public final class PeerSession implements AutoCloseable {
    /** Path of EST {@code /cacerts}: the first exchange, which completes the provisional handshake. */
    public static final String CACERTS = "/.well-known/est/cacerts";

    private final RegistrarClient client;
    private final RegistrarTrust trust;
    private final String identity;
    private final Transcript transcript;

    private PeerSession(RegistrarClient client, RegistrarTrust trust, String identity, Transcript transcript) {
        this.client = client;
        this.trust = trust;
        this.identity = identity;
        this.transcript = transcript;
    }

    /**
     * A session with {@code peer} as {@code identity}, judging the server with {@code trust}; every exchange is
     * recorded in {@code transcript}.
     *
     * @throws InteropException when the URI is unusable or TLS cannot be set up
     */
    public static PeerSession open(URI peer, HeldCertificate identity, RegistrarTrust trust, Duration timeout,
            int maxBytes, SecureRandom random, Transcript transcript) throws InteropException {
        try {
            return new PeerSession(RegistrarClient.open(peer, identity.privateKey(), identity.chainWithSelf(), trust,
                    timeout, timeout, maxBytes, random), trust,
                    DeviceCertificates.displayName(identity.certificate().getSubjectX500Principal()),
                    Objects.requireNonNull(transcript, "transcript"));
        } catch (PledgeException e) {
            throw new InteropException("cannot open a session with " + peer + ": " + e.getMessage(), e);
        }
    }

    /** A provisional session (RFC 8995 5.1). */
    public static PeerSession provisional(URI peer, HeldCertificate identity, Duration timeout, int maxBytes,
            SecureRandom random, Transcript transcript) throws InteropException {
        return open(peer, identity, RegistrarTrust.provisional(), timeout, maxBytes, random, transcript);
    }

    /** Sends a request with exactly these headers; a transport failure is an {@link InteropException}. */
    public HttpReply send(String method, String path, Map<String, String> headers, byte[] body)
            throws InteropException {
        Attempt attempt = attempt(method, path, headers, body);
        if (attempt.reply().isEmpty()) {
            throw new InteropException(method + " " + path + ": " + attempt.failure().orElseThrow());
        }
        return attempt.reply().get();
    }

    /** Sends a request with exactly these headers; a transport failure is part of the result. Recorded. */
    public Attempt attempt(String method, String path, Map<String, String> headers, byte[] body) {
        Attempt attempt;
        try {
            attempt = Attempt.replied(client.send(step(path), method, path, headers, body));
        } catch (PledgeException e) {
            attempt = Attempt.failed(e.reason().slug() + ": " + e.getMessage(), e.reason() == Reason.TLS);
        }
        transcript.add(Exchange.of(identity, method, path, headers, body, attempt));
        return attempt;
    }

    /** GET with an Accept header. */
    public HttpReply get(String path, String accept) throws InteropException {
        return send("GET", path, headers(null, accept), null);
    }

    /** POST with Content-Type and Accept (either omitted when null). */
    public HttpReply post(String path, String contentType, String accept, byte[] body) throws InteropException {
        return send("POST", path, headers(contentType, accept), body);
    }

    /** Header fields Content-Type and Accept, each only when not null. */
    public static Map<String, String> headers(String contentType, String accept) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (accept != null) {
            headers.put("Accept", accept);
        }
        return headers;
    }

    /**
     * The server's certificate chain, end-entity first; performs a {@code GET /cacerts} first when no exchange has
     * happened yet (the client handshakes lazily).
     *
     * @throws InteropException when no handshake completes
     */
    public List<X509Certificate> serverChain() throws InteropException {
        if (trust.serverChain().isEmpty()) {
            attempt("GET", CACERTS, headers(null, "application/pkcs7-mime"), null);
        }
        return trust.serverChain().orElseThrow(() -> new InteropException(
                "no TLS handshake with " + client.registrar() + " completed"));
    }

    /** The server's end-entity certificate (what a pledge puts in {@code proximity-registrar-cert}). */
    public X509Certificate serverCertificate() throws InteropException {
        return serverChain().get(0);
    }

    private static Step step(String path) {
        if (path.endsWith("/requestvoucher")) {
            return Step.REQUEST_VOUCHER;
        }
        if (path.endsWith("/voucher_status")) {
            return Step.VOUCHER_STATUS;
        }
        if (path.endsWith("/enrollstatus")) {
            return Step.ENROLL_STATUS;
        }
        if (path.endsWith("/simpleenroll")) {
            return Step.ENROLL;
        }
        if (path.endsWith("/csrattrs")) {
            return Step.CSR_ATTRIBUTES;
        }
        return path.endsWith("/cacerts") ? Step.CA_CERTIFICATES : Step.CONNECT;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "PeerSession[" + client.registrar() + "]";
    }
}
