package org.brski.interop;

import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.brski.interop.client.Artifacts;
import org.brski.interop.client.PeerSession;
import org.brski.interop.client.Transcript;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.Crypto;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsContentTypes;

/**
 * What a case needs to run: the peers' URIs, the {@link Credentials} (pledge IDevIDs, MASA anchors and, when available,
 * the manufacturer CA key and the registrar),
 * the profile, the time bound, and factories for sessions and identities. One context serves a whole run; it is
 * thread-safe (cases may time out while a later one starts).
 *
 * <p>Identities: {@link #knownPledge()} hands out the PKI's pledges in turn (the MASA must know them and the registrar
 * trust their manufacturer); {@link #freshPledge()} issues a new IDevID from the manufacturer CA that no one has
 * seen (for cases that must be refused before the MASA is asked; not applicable without the manufacturer CA key);
 * {@link #foreignPledge()} comes from a manufacturer generated for this run that no registrar trusts (always
 * available).
 */
public final class InteropContext {
    /** Largest response body read. */
    public static final int MAX_RESPONSE_BYTES = 256 * 1024;
    /** Why a case needing a fresh IDevID does not apply. */
    public static final String NEEDS_MANUFACTURER_KEY =
            "needs a fresh IDevID from the manufacturer CA: give --manufacturer-ca and --manufacturer-key";

    private final URI registrar;
    private final URI masa;
    private final Credentials credentials;
    private final Profile profile;
    private final Duration timeout;
    private final Clock clock;
    private final SecureRandom random;
    private final AtomicInteger nextPledge;
    private final ForeignManufacturer foreign;
    private final Transcript transcript;

    /** The manufacturer no one trusts, generated on first use and shared by every case of the run. */
    private static final class ForeignManufacturer {
        private TestPki pki;

        synchronized HeldCertificate issue(String masaUrl, String serial) {
            if (pki == null) {
                pki = TestPki.builder().pledges(0).masaUrl(masaUrl).build();
            }
            return pki.issuePledge(serial);
        }
    }

    private InteropContext(URI registrar, URI masa, Credentials credentials, Profile profile, Duration timeout,
            Clock clock) {
        this(registrar, masa, credentials, profile, timeout, clock, Crypto.newSecureRandom(), new AtomicInteger(),
                new ForeignManufacturer(), new Transcript());
    }

    private InteropContext(URI registrar, URI masa, Credentials credentials, Profile profile, Duration timeout,
            Clock clock, SecureRandom random, AtomicInteger nextPledge, ForeignManufacturer foreign,
            Transcript transcript) {
        this.registrar = Objects.requireNonNull(registrar, "registrar");
        this.masa = masa;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = random;
        this.nextPledge = nextPledge;
        this.foreign = foreign;
        this.transcript = transcript;
    }

    /**
     * The same run's context for one case: identities, pledge rotation and randomness are shared, but the sessions it
     * opens record their exchanges in a transcript of their own (see {@link #transcript()}).
     */
    public InteropContext forCase() {
        return new InteropContext(registrar, masa, credentials, profile, timeout, clock, random, nextPledge, foreign,
                new Transcript());
    }

    /** The exchanges of the sessions this context opened. */
    public Transcript transcript() {
        return transcript;
    }

    /**
     * A context.
     *
     * @param masa the MASA to test directly, or null
     */
    public static InteropContext of(URI registrar, URI masa, TestPki pki, Profile profile, Duration timeout,
            Clock clock) {
        return new InteropContext(registrar, masa, Credentials.of(pki), profile, timeout, clock);
    }

    /**
     * A context working with {@code credentials}, e.g. a tester's own IDevIDs.
     *
     * @param masa the MASA to test directly, or null
     */
    public static InteropContext of(URI registrar, URI masa, Credentials credentials, Profile profile,
            Duration timeout, Clock clock) {
        return new InteropContext(registrar, masa, credentials, profile, timeout, clock);
    }

    public URI registrar() {
        return registrar;
    }

    public Optional<URI> masa() {
        return Optional.ofNullable(masa);
    }

    public Credentials credentials() {
        return credentials;
    }

    public Profile profile() {
        return profile;
    }

    /** The bound per exchange and per case. */
    public Duration timeout() {
        return timeout;
    }

    public Clock clock() {
        return clock;
    }

    public SecureRandom random() {
        return random;
    }

    /** The manufacturer trust anchors a pledge verifies vouchers with (RFC 8995 5.6.1). */
    public List<X509Certificate> masaAnchors() {
        return credentials.masaAnchors();
    }

    /** A CA certificate that is not the registrar's nor in its chain (a MASA anchor), for wrong-certificate cases. */
    public X509Certificate unrelatedCertificate() {
        return credentials.masaAnchors().get(0);
    }

    /**
     * The registrar's identity, to sign registrar voucher-requests and authenticate to the MASA.
     *
     * @throws InteropException not applicable when the credentials hold no registrar (only --pki provides one)
     */
    public HeldCertificate registrarIdentity() throws InteropException {
        return credentials.registrar().orElseThrow(() -> InteropException.notApplicable(
                "needs the registrar's certificate and key, which only a --pki directory provides"));
    }

    /**
     * The registrar's domain CA with its key.
     *
     * @throws InteropException not applicable when the credentials hold none (only --pki provides it)
     */
    public HeldCertificate domainCa() throws InteropException {
        return credentials.domainCa().orElseThrow(() -> InteropException.notApplicable(
                "needs the domain CA's certificate and key, which only a --pki directory provides"));
    }

    /**
     * The next pledge of the PKI, in turn.
     *
     * @throws InteropException when the PKI lists no pledge
     */
    public HeldCertificate knownPledge() throws InteropException {
        List<HeldCertificate> pledges = credentials.pledges();
        if (pledges.isEmpty()) {
            throw new InteropException("precondition: no pledge the MASA knows was given");
        }
        return pledges.get(Math.floorMod(nextPledge.getAndIncrement(), pledges.size()));
    }

    /**
     * A known pledge other than {@code other}.
     *
     * @throws InteropException not applicable when fewer than two pledges were given
     */
    public HeldCertificate knownPledgeOtherThan(HeldCertificate other) throws InteropException {
        for (int i = 0; i < credentials.pledges().size(); i++) {
            HeldCertificate candidate = knownPledge();
            if (!candidate.certificate().equals(other.certificate())) {
                return candidate;
            }
        }
        throw InteropException.notApplicable("fewer than two known pledges given");
    }

    /**
     * A new IDevID from the manufacturer CA that no registrar or MASA has seen, serial {@code interop-<hex>}.
     *
     * @throws InteropException not applicable without the manufacturer CA key
     */
    public HeldCertificate freshPledge() throws InteropException {
        HeldCertificate ca = credentials.manufacturerCa().orElseThrow(() -> InteropException.notApplicable(
                NEEDS_MANUFACTURER_KEY));
        byte[] id = new byte[6];
        random.nextBytes(id);
        String serial = "interop-" + HexFormat.of().formatHex(id);
        Instant now = clock.instant();
        return HeldCertificate.builder().commonName("Interop Pledge " + serial).serialNumberAttribute(serial)
                .masaUrl(credentials.masaUrl()).extendedKeyUsage(HeldCertificate.ID_KP_CLIENT_AUTH)
                .keyType(credentials.pledges().isEmpty() ? ca.keyType() : credentials.pledges().get(0).keyType())
                .validity(now.minus(Duration.ofHours(1)), TestPki.IDEVID_NO_EXPIRY).signedBy(ca).random(random)
                .build();
    }

    /** An IDevID from a manufacturer generated for this run (unknown to every registrar and MASA). */
    public HeldCertificate foreignPledge() {
        byte[] id = new byte[6];
        random.nextBytes(id);
        return foreign.issue(credentials.masaUrl(), "foreign-" + HexFormat.of().formatHex(id));
    }

    /** A provisional TLS session with the registrar as {@code identity} (RFC 8995 5.1). */
    public PeerSession registrarSession(HeldCertificate identity) throws InteropException {
        return PeerSession.provisional(registrar, identity, timeout, MAX_RESPONSE_BYTES, random, transcript);
    }

    /**
     * A TLS session with the MASA presenting the registrar's certificate (RFC 8995 5.4).
     *
     * @throws InteropException not applicable when no MASA was given
     */
    public PeerSession masaSession() throws InteropException {
        if (masa == null) {
            throw InteropException.notApplicable("no --masa given");
        }
        return PeerSession.provisional(masa, registrarIdentity(), timeout, MAX_RESPONSE_BYTES, random,
                transcript);
    }

    /** A fresh nonce. */
    public String nonce() {
        return Artifacts.nonce(random);
    }

    /** The signed voucher-request as DER, under the profile's JSON root, with eContentType id-ct-animaJSONVoucher. */
    public byte[] signedRequest(HeldCertificate signer, VoucherRequest request) {
        return Artifacts.sign(signer, Artifacts.json(request, profile.requestRoot()),
                CmsContentTypes.ANIMA_JSON_VOUCHER);
    }

    /** A voucher-request body as the profile sends it: binary DER, or base64 text in the nqminds dialect. */
    public byte[] body(byte[] der) {
        return profile.base64Bodies() ? Artifacts.base64(der, false) : der;
    }

    @Override
    public String toString() {
        return "InteropContext[" + registrar + (masa != null ? ", MASA " + masa : "") + ", " + profile + "]";
    }
}
