package org.brski.pledge;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The one checked exception of the pledge module: onboarding or re-enrollment stopped at {@link #step()} for
 * {@link #reason()}. The message says what was wrong in terms an operator can act on; it never carries key material.
 * When several registrars were tried, each attempt's failure is attached as a suppressed exception.
 */
public class PledgeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the pledge gave up. */
    public enum Reason {
        /** The pledge's own configuration is unusable (key does not match its certificate, no anchors, ...). */
        CONFIGURATION("configuration"),
        /** TCP or HTTP failed (connection refused, reset, malformed HTTP). */
        TRANSPORT("transport"),
        /** The TLS handshake failed or the registrar changed its certificate between connections (RFC 8995 5). */
        TLS("tls"),
        /** The registrar did not answer within the configured time. */
        TIMEOUT("timeout"),
        /** The registrar answered with an unexpected HTTP status (4xx, 5xx, 3xx). */
        HTTP_STATUS("http-status"),
        /** The registrar kept answering 202 beyond the configured number of retries (RFC 8995 5.6). */
        PENDING_EXHAUSTED("pending-exhausted"),
        /** A response body exceeded the configured bound. */
        RESPONSE_TOO_LARGE("response-too-large"),
        /** A response could not be decoded (not CMS, not PKCS#7, not base64, bad certificate). */
        MALFORMED_RESPONSE("malformed-response"),
        /**
         * The registrar answered without a voucher in a way that means refusal: nqminds brski relays a MASA refusal as
         * 200 with an empty body ({@link Dialect#NQMINDS}).
         */
        VOUCHER_REFUSED("voucher-refused"),
        /** The voucher's signature does not verify or its signer does not chain to a MASA trust anchor (5.6.1). */
        VOUCHER_UNTRUSTED("voucher-untrusted"),
        /** The voucher names another pledge's serial-number (5.6.1). */
        VOUCHER_SERIAL_MISMATCH("serial-mismatch"),
        /** The voucher's nonce is not the one sent, or a nonceless voucher is not acceptable (5.6.1, 7.2). */
        VOUCHER_NONCE_MISMATCH("nonce-mismatch"),
        /** The voucher's expires-on has passed (RFC 8366 5.3, RFC 8995 2.6.1). */
        VOUCHER_EXPIRED("voucher-expired"),
        /** The voucher is otherwise unusable: missing or unparseable leaves, dates out of order, bad pin. */
        VOUCHER_INVALID("voucher-invalid"),
        /** The registrar's TLS certificate is neither the pinned-domain-cert nor chains to it (5.6.2). */
        REGISTRAR_NOT_PINNED("registrar-not-pinned"),
        /** No certificate of {@code /cacerts} equals, chains to, or issues the pinned-domain-cert (5.9.1). */
        CACERTS_NOT_PINNED("cacerts-not-pinned"),
        /** The enrolled certificate certifies another key than the one in the request. */
        CERTIFICATE_WRONG_KEY("certificate-wrong-key"),
        /** The enrolled certificate does not chain to the domain trust anchors. */
        CERTIFICATE_UNTRUSTED("certificate-untrusted"),
        /** The persisted state cannot be read or written. */
        STATE("state"),
        /** The pledge was interrupted while waiting. */
        INTERRUPTED("interrupted"),
        /** Every registrar of the list failed on every attempt; see the suppressed exceptions. */
        NO_REGISTRAR_SUCCEEDED("no-registrar-succeeded");

        private final String slug;

        Reason(String slug) {
            this.slug = slug;
        }

        /**
         * A short lowercase token, e.g. {@code nonce-mismatch}; this (not the message) is what goes into the status
         * telemetry sent to a registrar that may be an attacker (RFC 8995 5.7).
         */
        public String slug() {
            return slug;
        }
    }

    private final Step step;
    private final Reason reason;
    private final URI registrar;

    public PledgeException(Step step, Reason reason, String message) {
        this(step, reason, message, null, null);
    }

    public PledgeException(Step step, Reason reason, String message, Throwable cause) {
        this(step, reason, message, null, cause);
    }

    PledgeException(Step step, Reason reason, String message, URI registrar, Throwable cause) {
        super(message, cause);
        this.step = Objects.requireNonNull(step, "step");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.registrar = registrar;
    }

    /** The same failure, noting which registrar it happened with. */
    PledgeException at(URI registrar) {
        if (this.registrar != null) {
            return this;
        }
        PledgeException e = new PledgeException(step, reason, getMessage(), registrar, getCause());
        e.setStackTrace(getStackTrace());
        for (Throwable s : getSuppressed()) {
            e.addSuppressed(s);
        }
        return e;
    }

    /** The step that failed. */
    public Step step() {
        return step;
    }

    /** Why it failed. */
    public Reason reason() {
        return reason;
    }

    /** The registrar the failure happened with, when known. */
    public Optional<URI> registrar() {
        return Optional.ofNullable(registrar);
    }

    @Override
    public String toString() {
        return "PledgeException[" + step.label() + ", " + reason.slug()
                + (registrar != null ? ", " + registrar : "") + "]: " + getMessage();
    }
}
