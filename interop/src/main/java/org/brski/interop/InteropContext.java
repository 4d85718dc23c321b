package org.brski.interop;

import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.brski.interop.client.Artifacts;
import org.brski.interop.client.PeerSession;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.Crypto;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsContentTypes;

/**
 * What a case needs to run: the peers' URIs, the test PKI (manufacturer CA, registrar, domain CA, pledge IDevIDs),
 * the profile, the time bound, and factories for sessions and identities. One context serves a whole run; it is
 * thread-safe (cases may time out while a later one starts).
 *
 * <p>Identities: {@link #knownPledge()} hands out the PKI's pledges in turn (the MASA must know them and the registrar
 * trust their manufacturer); {@link #freshPledge()} issues a new IDevID from the manufacturer CA that no one has
 * seen (for cases that must be refused before the MASA is asked); {@link #foreignPledge()} comes from a manufacturer
 * generated for this run that no registrar trusts.
 */
public final class InteropContext {
    /** Largest response body read. */
    public static final int MAX_RESPONSE_BYTES = 256 * 1024;

    private final URI registrar;
    private final URI masa;
    private final TestPki pki;
    private final Profile profile;
    private final Duration timeout;
    private final Clock clock;
    private final SecureRandom random;
    private final AtomicInteger nextPledge = new AtomicInteger();
    private final Object foreignLock = new Object();
    private TestPki foreign;

    private InteropContext(URI registrar, URI masa, TestPki pki, Profile profile, Duration timeout, Clock clock) {
        this.registrar = Objects.requireNonNull(registrar, "registrar");
        this.masa = masa;
        this.pki = Objects.requireNonNull(pki, "pki");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Crypto.newSecureRandom();
    }

    /**
     * A context.
     *
     * @param masa the MASA to test directly, or null
     */
    public static InteropContext of(URI registrar, URI masa, TestPki pki, Profile profile, Duration timeout,
            Clock clock) {
        return new InteropContext(registrar, masa, pki, profile, timeout, clock);
    }

    public URI registrar() {
        return registrar;
    }

    public Optional<URI> masa() {
        return Optional.ofNullable(masa);
    }

    public TestPki pki() {
        return pki;
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
        return List.of(pki.manufacturerCa().certificate());
    }

    /**
     * The next pledge of the PKI, in turn.
     *
     * @throws InteropException when the PKI lists no pledge
     */
    public HeldCertificate knownPledge() throws InteropException {
        List<HeldCertificate> pledges = pki.pledges();
        if (pledges.isEmpty()) {
            throw new InteropException("precondition: the PKI lists no pledge the MASA knows");
        }
        return pledges.get(Math.floorMod(nextPledge.getAndIncrement(), pledges.size()));
    }

    /**
     * A known pledge other than {@code other}.
     *
     * @throws InteropException when the PKI lists fewer than two pledges
     */
    public HeldCertificate knownPledgeOtherThan(HeldCertificate other) throws InteropException {
        for (int i = 0; i < pki.pledges().size(); i++) {
            HeldCertificate candidate = knownPledge();
            if (!candidate.certificate().equals(other.certificate())) {
                return candidate;
            }
        }
        throw InteropException.notApplicable("the PKI lists fewer than two pledges");
    }

    /** A new IDevID from the PKI's manufacturer CA that no registrar or MASA has seen, serial {@code interop-<hex>}. */
    public HeldCertificate freshPledge() {
        byte[] id = new byte[6];
        random.nextBytes(id);
        return pki.issuePledge("interop-" + HexFormat.of().formatHex(id));
    }

    /** An IDevID from a manufacturer generated for this run (unknown to every registrar and MASA). */
    public HeldCertificate foreignPledge() {
        synchronized (foreignLock) {
            if (foreign == null) {
                foreign = TestPki.builder().pledges(0).masaUrl(pki.masaUrl()).build();
            }
            byte[] id = new byte[6];
            random.nextBytes(id);
            return foreign.issuePledge("foreign-" + HexFormat.of().formatHex(id));
        }
    }

    /** A provisional TLS session with the registrar as {@code identity} (RFC 8995 5.1). */
    public PeerSession registrarSession(HeldCertificate identity) throws InteropException {
        return PeerSession.provisional(registrar, identity, timeout, MAX_RESPONSE_BYTES, random);
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
        return PeerSession.provisional(masa, pki.registrar(), timeout, MAX_RESPONSE_BYTES, random);
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
