package org.brski.pledge;

import java.net.URI;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.brski.pkix.DeviceCertificates;
import org.brski.pledge.PledgeException.Reason;
import org.brski.pledge.PledgeListener.Outcome;
import org.brski.pledge.est.CsrAttributes;
import org.brski.pledge.http.HttpReply;
import org.brski.pledge.http.RegistrarClient;
import org.brski.pledge.http.RegistrarTrust;
import org.brski.voucher.Assertion;
import org.brski.voucher.Nonce;
import org.brski.voucher.Rfc3339;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsSigner;

/**
 * A BRSKI pledge (RFC 8995): a device with an IDevID that joins a domain by obtaining a voucher from the registrar
 * and then an LDevID by EST (RFC 7030).
 *
 * <pre>{@code
 * Pledge pledge = Pledge.builder()
 *         .idevid(idevidKey, idevidChain)            // key + certificate, then issuers
 *         .masaAnchors(List.of(manufacturerCa))      // trust anchors for vouchers (5.6.1)
 *         .options(PledgeOptions.builder().listener((step, outcome, msg) -> log(step, outcome, msg)).build())
 *         .build();
 * OnboardingResult state = pledge.onboard(URI.create("https://registrar.example:8443"));
 * state.save(Path.of("/var/lib/device/brski"));
 * // later, before the LDevID expires:
 * state = Pledge.reenroll(OnboardingResult.load(dir), state.registrar(), PledgeOptions.defaults());
 * }</pre>
 *
 * <p>One onboarding attempt (RFC 8995 sections 5.1 to 5.9.4): provisional TLS with the IDevID as client certificate,
 * the registrar's chain kept from the first exchange; a signed pledge voucher-request with a fresh nonce; the voucher
 * verified ({@link Step#VERIFY_VOUCHER}); the registrar's TLS certificate validated against the pinned-domain-cert,
 * ending the provisional state; {@code voucher_status}; {@code /cacerts} checked against the pin; {@code /csrattrs};
 * a new key and {@code /simpleenroll}; the certificate checked; {@code enrollstatus} over a new TLS connection with
 * the LDevID. Any failure stops the attempt before enrollment, reports the failure to the registrar where the RFC
 * asks for it, and throws {@link PledgeException} naming the step and reason.
 *
 * <p>{@link PledgeOptions#dialect()} {@link Dialect#NQMINDS} speaks to an nqminds brski registrar instead: its
 * encodings, its voucher, and enrollment by a self-signed certificate, still checked against the pinned-domain-cert.
 *
 * <p>Immutable and thread-safe; each call to {@code onboard} is independent (its own connection and nonce).
 */
public final class Pledge {
    private final PrivateKey idevidKey;
    private final List<X509Certificate> idevidChain;
    private final List<X509Certificate> masaAnchors;
    private final String serialNumber;
    private final CmsSigner signer;
    private final PledgeOptions options;

    private Pledge(Builder b, String serialNumber, CmsSigner signer) {
        this.idevidKey = b.idevidKey;
        this.idevidChain = b.idevidChain;
        this.masaAnchors = b.masaAnchors;
        this.serialNumber = serialNumber;
        this.signer = signer;
        this.options = b.options;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The serial-number from the IDevID's X520 serialNumber attribute (RFC 8995 section 2.3.1). */
    public String serialNumber() {
        return serialNumber;
    }

    /** The IDevID certificate. */
    public X509Certificate idevid() {
        return idevidChain.get(0);
    }

    public PledgeOptions options() {
        return options;
    }

    /**
     * One onboarding attempt with one registrar.
     *
     * @param registrar {@code https://host[:port]} of the registrar (or of a join proxy in front of it)
     * @throws PledgeException naming the step and reason of the failure; the pledge is not enrolled
     */
    public OnboardingResult onboard(URI registrar) throws PledgeException {
        try {
            return attempt(registrar);
        } catch (PledgeException e) {
            options.listener().event(e.step(), Outcome.FAILED, e.reason().slug() + ": " + e.getMessage());
            throw e.at(registrar);
        }
    }

    /**
     * Onboards with the first registrar of the list that succeeds (RFC 8995 section 4.1): after a failure the next
     * registrar is tried; each registrar has its own back-off, starting at {@link PledgeOptions#initialBackoff()} and
     * doubling up to {@link PledgeOptions#maxBackoff()}; each registrar is tried at most
     * {@link PledgeOptions#attemptsPerRegistrar()} times. Every attempt has its own nonce. Attempts run one after the
     * other.
     *
     * @throws PledgeException NO_REGISTRAR_SUCCEEDED with each attempt's failure as a suppressed exception
     */
    public OnboardingResult onboard(List<URI> registrars) throws PledgeException {
        if (registrars.isEmpty()) {
            throw new PledgeException(Step.CONFIGURE, Reason.CONFIGURATION, "no registrar to onboard with");
        }
        Map<URI, Instant> notBefore = new LinkedHashMap<>();
        Map<URI, Duration> backoff = new LinkedHashMap<>();
        Map<URI, Integer> attempts = new LinkedHashMap<>();
        for (URI registrar : new LinkedHashSet<>(registrars)) {
            notBefore.put(registrar, Instant.MIN);
            backoff.put(registrar, options.initialBackoff());
            attempts.put(registrar, 0);
        }
        List<PledgeException> failures = new ArrayList<>();
        while (true) {
            URI next = null;
            for (URI candidate : notBefore.keySet()) {
                if (attempts.get(candidate) < options.attemptsPerRegistrar()
                        && (next == null || notBefore.get(candidate).isBefore(notBefore.get(next)))) {
                    next = candidate;
                }
            }
            if (next == null) {
                PledgeException last = failures.get(failures.size() - 1);
                PledgeException all = new PledgeException(last.step(), Reason.NO_REGISTRAR_SUCCEEDED,
                        failures.size() + " attempt(s) with " + notBefore.size() + " registrar(s) failed; last: "
                                + last.getMessage());
                failures.forEach(all::addSuppressed);
                throw all;
            }
            Duration wait = Duration.between(options.clock().instant(), notBefore.get(next));
            if (!notBefore.get(next).equals(Instant.MIN) && !wait.isNegative() && !wait.isZero()) {
                options.listener().event(Step.CONNECT, Outcome.PENDING, "backing off " + wait.toSeconds()
                        + " s before retrying " + next);
                try {
                    options.sleeper().sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PledgeException(Step.CONNECT, Reason.INTERRUPTED, "interrupted while backing off", e);
                }
            }
            try {
                return onboard(next);
            } catch (PledgeException e) {
                failures.add(e);
                attempts.merge(next, 1, Integer::sum);
                notBefore.put(next, options.clock().instant().plus(backoff.get(next)));
                Duration doubled = backoff.get(next).multipliedBy(2);
                backoff.put(next, doubled.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : doubled);
            }
        }
    }

    /** Re-enrolls with the registrar of {@code current}, with this pledge's options. */
    public OnboardingResult reenroll(OnboardingResult current) throws PledgeException {
        return reenroll(current, current.registrar(), options);
    }

    /**
     * Renews the LDevID (RFC 7030 section 4.2.2): TLS with the current LDevID as client certificate and the registrar
     * validated to the domain trust anchors; {@code /cacerts} refreshed (kept only if consistent with the current
     * anchors); {@code /csrattrs}; {@code /simplereenroll} with the same subject and, by default, a new key; the new
     * certificate checked like at enrollment. The IDevID is not needed.
     *
     * @return the new state (same voucher, new LDevID and anchors); the caller saves it
     * @throws PledgeException naming the step and reason; {@code current} stays valid
     */
    public static OnboardingResult reenroll(OnboardingResult current, URI registrar, PledgeOptions options)
            throws PledgeException {
        try {
            return reenrollAttempt(current, registrar, options);
        } catch (PledgeException e) {
            options.listener().event(e.step(), Outcome.FAILED, e.reason().slug() + ": " + e.getMessage());
            throw e.at(registrar);
        }
    }

    private static OnboardingResult reenrollAttempt(OnboardingResult current, URI registrar, PledgeOptions options)
            throws PledgeException {
        RegistrarTrust trust = RegistrarTrust.anchoredTo(current.domainTrustAnchors(), options.trustTime());
        try (RegistrarClient client = RegistrarClient.open(registrar, current.ldevidKey(), current.ldevidChain(),
                trust, options.connectTimeout(), options.exchangeTimeout(), options.maxResponseBytes(),
                options.random())) {
            Session session = new Session(client, options);
            List<X509Certificate> caCertificates = session.caCertificates();
            List<X509Certificate> anchors = DomainTrust.anchorsFor(caCertificates, current.domainTrustAnchors(),
                    options.trustTime());
            session.event(Step.CONNECT, Outcome.OK, "TLS with '" + subject(trust) + "', validated to the domain CA"
                    + options.trustTime().note());
            session.event(Step.CA_CERTIFICATES, Outcome.OK, anchors.size() + " domain trust anchor(s)");
            CsrAttributes attributes = session.csrAttributes();
            KeyPair keys = options.rekeyOnReenroll()
                    ? Session.newKey(attributes, current.ldevid().getPublicKey(), options)
                    : new KeyPair(current.ldevid().getPublicKey(), current.ldevidKey());
            X500Name subject = X500Name.getInstance(current.ldevid().getSubjectX500Principal().getEncoded());
            List<X509Certificate> chain = session.enroll(Step.REENROLL, Session.SIMPLE_REENROLL, subject, keys,
                    attributes, caCertificates, anchors);
            return current.withLdevid(keys.getPrivate(), chain, anchors);
        }
    }

    private OnboardingResult attempt(URI registrar) throws PledgeException {
        RegistrarTrust provisional = RegistrarTrust.provisional();
        OnboardingResult result;
        try (RegistrarClient client = RegistrarClient.open(registrar, idevidKey, idevidChain, provisional,
                options.connectTimeout(), options.exchangeTimeout(), options.maxResponseBytes(), options.random())) {
            Session session = new Session(client, options);

            // 5.1: the first exchange completes the provisional handshake; GET /cacerts is an ordinary EST request
            // (RFC 7030 4.1.1 allows it before the server is authenticated); its answer is not used.
            HttpReply probe = client.get(Step.CONNECT, Session.CACERTS, Session.PKCS7);
            List<X509Certificate> serverChain = provisional.serverChain().orElseThrow(() -> new PledgeException(
                    Step.CONNECT, Reason.TLS, "no registrar certificate was seen during the TLS handshake"));
            session.event(Step.CONNECT, Outcome.OK, "TLS with '" + subject(provisional)
                    + "', accepted provisionally (first exchange answered " + probe.status() + ")");

            // 5.2: the pledge voucher-request.
            String nonce = nonce();
            byte[] request = voucherRequest(serverChain.get(0), nonce);
            session.event(Step.CREATE_VOUCHER_REQUEST, Outcome.OK, "serial-number " + serialNumber + ", nonce "
                    + nonce + ", signed with the IDevID (" + request.length + " bytes)");
            HttpReply reply = session.postWaiting(Step.REQUEST_VOUCHER, Session.REQUEST_VOUCHER, request,
                    VoucherCms.MEDIA_TYPE, VoucherCms.MEDIA_TYPE, false);
            Session.expectOk(Step.REQUEST_VOUCHER, Session.REQUEST_VOUCHER, reply);
            session.event(Step.REQUEST_VOUCHER, Outcome.OK, "voucher received (" + reply.length() + " bytes)");

            // 5.6.1 and 5.6.2: verify the voucher, then the registrar against its pin; report either way (5.7).
            VoucherValidation.Checked voucher;
            try {
                voucher = new VoucherValidation(masaAnchors, idevid(), serialNumber, options)
                        .check(reply, nonce);
                session.event(Step.VERIFY_VOUCHER, Outcome.OK, "signed by '" + DeviceCertificates.displayName(
                        voucher.verified().cms().signer().getSubjectX500Principal()) + "', assertion "
                        + voucher.voucher().assertion() + ", pins '" + DeviceCertificates.displayName(
                                voucher.pinnedDomainCert().getSubjectX500Principal()) + "'"
                        + options.trustTime().note());
                DomainTrust.checkRegistrar(serverChain, voucher.pinnedDomainCert(), options.trustTime());
                session.event(Step.AUTHENTICATE_REGISTRAR, Outcome.OK, "the registrar's certificate is covered by "
                        + "the pinned-domain-cert; the connection is no longer provisional"
                        + options.trustTime().note());
            } catch (PledgeException e) {
                session.sendStatus(Step.VOUCHER_STATUS, Session.VOUCHER_STATUS, StatusReport.failure(e), false);
                throw e;
            }
            session.sendStatus(Step.VOUCHER_STATUS, Session.VOUCHER_STATUS, StatusReport.success(), true);

            // 5.9: EST over the now-authenticated connection; a failure is reported with enrollstatus (5.9.4).
            try {
                result = options.dialect() == Dialect.NQMINDS
                        ? enrollNqminds(session, registrar, voucher, serverChain)
                        : enroll(session, registrar, voucher, serverChain);
            } catch (PledgeException e) {
                session.sendStatus(Step.ENROLL_STATUS, Session.ENROLL_STATUS, StatusReport.failure(e), false);
                throw e;
            }
        }
        sendEnrollSuccess(result);
        return result;
    }

    /** 5.9.1 to 5.9.3: {@code /cacerts} checked against the pin, {@code /csrattrs}, a new key, {@code /simpleenroll}. */
    private OnboardingResult enroll(Session session, URI registrar, VoucherValidation.Checked voucher,
            List<X509Certificate> serverChain) throws PledgeException {
        List<X509Certificate> caCertificates = session.caCertificates();
        List<X509Certificate> anchors = DomainTrust.anchorsFor(caCertificates,
                List.of(voucher.pinnedDomainCert()), options.trustTime());
        session.event(Step.CA_CERTIFICATES, Outcome.OK, anchors.size() + " of " + caCertificates.size()
                + " CA certificate(s) consistent with the pin, kept as domain trust anchors");
        CsrAttributes attributes = session.csrAttributes();
        KeyPair keys = Session.newKey(attributes, idevid().getPublicKey(), options);
        X500Name subject = X500Name.getInstance(idevid().getSubjectX500Principal().getEncoded());
        List<X509Certificate> chain = session.enroll(Step.ENROLL, Session.SIMPLE_ENROLL, subject, keys,
                attributes, caCertificates, anchors);
        return OnboardingResult.of(registrar, voucher.der(), voucher.voucher(), serverChain, anchors,
                keys.getPrivate(), chain);
    }

    /**
     * Enrollment the way the nqminds brski pledge does it ({@link Dialect#NQMINDS}): its registrar has neither PKCS#10
     * enrollment nor {@code /cacerts} nor {@code /csrattrs}. The domain trust anchors are those of {@code /cacerts}
     * when the registrar serves it (checked against the pin as in 5.9.1), else the pinned-domain-cert alone; a new key
     * is certified by sending a self-signed certificate for it; the answer must certify that key and validate to the
     * anchors (5.9.3) before it is kept.
     */
    private OnboardingResult enrollNqminds(Session session, URI registrar, VoucherValidation.Checked voucher,
            List<X509Certificate> serverChain) throws PledgeException {
        List<X509Certificate> pin = List.of(voucher.pinnedDomainCert());
        Optional<List<X509Certificate>> served = session.caCertificatesIfServed();
        List<X509Certificate> caCertificates = served.orElse(List.of());
        List<X509Certificate> anchors = served.isPresent()
                ? DomainTrust.anchorsFor(caCertificates, pin, options.trustTime()) : pin;
        session.event(Step.CA_CERTIFICATES, Outcome.OK, served.isPresent()
                ? anchors.size() + " of " + caCertificates.size() + " CA certificate(s) consistent with the pin, kept"
                        + " as domain trust anchors"
                : "no /cacerts (as nqminds brski): the pinned-domain-cert is the domain trust anchor");
        KeyPair keys = Session.newKey(CsrAttributes.NONE, idevid().getPublicKey(), options);
        X500Name subject = X500Name.getInstance(idevid().getSubjectX500Principal().getEncoded());
        List<X509Certificate> chain = session.enrollSelfSigned(subject, keys, caCertificates, anchors);
        return OnboardingResult.of(registrar, voucher.der(), voucher.voucher(), serverChain, anchors,
                keys.getPrivate(), chain);
    }

    /** 5.9.4: success is reported over a new TLS connection authenticated with the new LDevID. */
    private void sendEnrollSuccess(OnboardingResult result) {
        RegistrarTrust trust = RegistrarTrust.anchoredTo(result.domainTrustAnchors(), options.trustTime());
        try (RegistrarClient client = RegistrarClient.open(result.registrar(), result.ldevidKey(),
                result.ldevidChain(), trust, options.connectTimeout(), options.exchangeTimeout(),
                options.maxResponseBytes(), options.random())) {
            new Session(client, options).sendStatus(Step.ENROLL_STATUS, Session.ENROLL_STATUS, StatusReport.success(),
                    true);
        } catch (PledgeException e) {
            options.listener().event(Step.ENROLL_STATUS, Outcome.WARNING, "status not delivered: " + e.getMessage());
        }
    }

    private byte[] voucherRequest(X509Certificate registrarCertificate, String nonce) throws PledgeException {
        try {
            // 5.2: created-on is RECOMMENDED with a real-time clock; a pledge without one MAY omit it.
            VoucherRequest request = VoucherRequest.builder()
                    .createdOn(options.trustTime().now().map(Rfc3339::utcSeconds).orElse(null))
                    .assertion(Assertion.PROXIMITY)
                    .serialNumber(serialNumber)
                    .nonce(nonce)
                    .proximityRegistrarCert(registrarCertificate.getEncoded())
                    .build();
            return options.dialect().voucherRequestBody(signer.withClock(options.clock()), request);
        } catch (java.security.cert.CertificateEncodingException | RuntimeException e) {
            throw new PledgeException(Step.CREATE_VOUCHER_REQUEST, Reason.CONFIGURATION,
                    "cannot create the voucher-request: " + e.getMessage(), e);
        }
    }

    /**
     * RFC 8995 5.2: a cryptographically strong random nonce, new for every attempt, in RFC 7951 form (YANG binary:
     * standard base64 with padding).
     */
    private String nonce() {
        return Nonce.random(options.random());
    }

    private static String subject(RegistrarTrust trust) {
        return trust.serverChain().map(c -> DeviceCertificates.displayName(c.get(0).getSubjectX500Principal()))
                .orElse("?");
    }

    @Override
    public String toString() {
        return "Pledge[" + serialNumber + ", " + masaAnchors.size() + " MASA anchor(s)]";
    }

    /** Collects the IDevID, the MASA trust anchors and the options; {@link #build()} checks them. */
    public static final class Builder {
        private PrivateKey idevidKey;
        private List<X509Certificate> idevidChain = List.of();
        private List<X509Certificate> masaAnchors = List.of();
        private PledgeOptions options = PledgeOptions.defaults();

        private Builder() {
        }

        /**
         * The IDevID (RFC 8995 section 2.3): its private key, and its certificate followed by the issuers to send in
         * TLS and to embed in the voucher-request.
         */
        public Builder idevid(PrivateKey key, List<X509Certificate> chain) {
            this.idevidKey = Objects.requireNonNull(key, "key");
            this.idevidChain = List.copyOf(chain);
            return this;
        }

        /** The manufacturer-installed trust anchors that vouchers must chain to (RFC 8995 section 5.6.1). */
        public Builder masaAnchors(Collection<X509Certificate> anchors) {
            this.masaAnchors = List.copyOf(anchors);
            return this;
        }

        public Builder options(PledgeOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The pledge.
         *
         * @throws PledgeException CONFIGURATION when the IDevID is missing, its key does not match, it has no
         *     serialNumber attribute, its key type is unsupported, or no MASA anchor is given
         */
        public Pledge build() throws PledgeException {
            if (idevidKey == null || idevidChain.isEmpty()) {
                throw config("an IDevID key and certificate are required");
            }
            if (masaAnchors.isEmpty()) {
                throw config("at least one MASA trust anchor is required (RFC 8995 5.6.1)");
            }
            X509Certificate idevid = idevidChain.get(0);
            String serial = DeviceCertificates.serialNumber(idevid).orElseThrow(() -> config(
                    "the IDevID subject has no X520 serialNumber attribute (RFC 8995 2.3.1)"));
            if (!OnboardingResult.keyMatches(idevidKey, idevid)) {
                throw config("the IDevID key does not belong to the IDevID certificate");
            }
            CmsSigner signer;
            try {
                signer = CmsSigner.of(idevidKey, idevid, idevidChain.subList(1, idevidChain.size()));
            } catch (IllegalArgumentException e) {
                throw config("the IDevID cannot sign voucher-requests: " + e.getMessage());
            }
            return new Pledge(this, serial, signer);
        }

        private static PledgeException config(String message) {
            return new PledgeException(Step.CONFIGURE, Reason.CONFIGURATION, message);
        }
    }
}
