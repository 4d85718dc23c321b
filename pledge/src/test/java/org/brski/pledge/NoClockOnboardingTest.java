package org.brski.pledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pledge.PledgeException.Reason;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PledgeOptions.Builder#trustedClock(boolean) trustedClock(false)} (RFC 8995 2.6.1) with a clock stuck at
 * 1970-01-01, against the in-process fake registrar: dates are not judged, everything else still is.
 */
class NoClockOnboardingTest {
    static final String SERIAL = "BRSKI-0001";
    static final Clock EPOCH = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
    static TestPki pki;
    static TestPki otherPki;

    FakeRegistrar registrar;
    final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pki() {
        pki = TestPki.builder().serials(SERIAL, "BRSKI-0002").build();
        otherPki = TestPki.builder().build();
    }

    @BeforeEach
    void start() throws Exception {
        registrar = FakeRegistrar.start(pki);
    }

    @AfterEach
    void stop() throws Exception {
        registrar.close();
    }

    PledgeOptions.Builder options(boolean trustedClock) {
        return PledgeOptions.builder()
                .exchangeTimeout(Duration.ofSeconds(10))
                .sleeper(d -> { })
                .clock(EPOCH)
                .trustedClock(trustedClock)
                .listener((step, outcome, message) -> events.add(outcome + " " + step.label() + ": " + message));
    }

    Pledge pledge(PledgeOptions options) throws PledgeException {
        HeldCertificate idevid = pki.pledge(SERIAL);
        return Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                .masaAnchors(List.of(pki.manufacturerCa().certificate())).options(options).build();
    }

    PledgeException refused(PledgeOptions options, Reason reason) {
        PledgeException e = assertThrows(PledgeException.class, () -> pledge(options).onboard(registrar.uri()));
        assertEquals(reason, e.reason(), e::toString);
        assertTrue(registrar.received("/simpleenroll").isEmpty(), "the pledge must never enroll after " + reason);
        return e;
    }

    @Test
    void aTrustedClockIn1970RefusesTheVoucherAsToday() {
        PledgeException e = refused(options(true).build(), Reason.VOUCHER_UNTRUSTED);
        assertEquals(Step.VERIFY_VOUCHER, e.step());
        assertTrue(e.getMessage().contains("not trusted at 1970-01-01T00:00:00Z")
                && e.getMessage().contains("not yet valid"), e.getMessage());
    }

    @Test
    void onboardsWithoutCreatedOnAndWithoutJudgingDates() throws Exception {
        // a created-on years after the pledge's 1970 clock: the nonce still makes this voucher fresh
        registrar.voucherEdit = v -> v.createdOn(OffsetDateTime.now(ZoneOffset.UTC).plusYears(5));
        OnboardingResult result = pledge(options(false).build()).onboard(registrar.uri());
        assertEquals(SERIAL, result.voucher().serialNumber());

        VoucherRequest pvr = VoucherJson.strict().parseVoucherRequest(CmsVerifier.signatureOnly()
                .verify(registrar.received("/requestvoucher").get(0).body()).content());
        assertTrue(pvr.createdOn().isEmpty(), "RFC 8995 5.2: a pledge without a real-time clock omits created-on");
        assertEquals(pvr.nonce(), result.voucher().nonce());
        for (String step : List.of("OK verify voucher", "OK authenticate registrar", "OK verify certificate")) {
            assertTrue(events.stream().anyMatch(e -> e.startsWith(step) && e.contains("no trusted clock")),
                    step + ": " + events);
        }

        // the same created-on is refused with a trusted clock (in the future of the real time, too)
        PledgeException e = assertThrows(PledgeException.class, () -> pledge(options(true).clock(Clock.systemUTC())
                .build()).onboard(registrar.uri()));
        assertEquals(Reason.VOUCHER_INVALID, e.reason());
    }

    @Test
    void stillRefusesAVoucherWithAnotherNonce() {
        registrar.voucherEdit = v -> v.nonce("-_XE9zK9q8Ll1qylMtLKeg");
        refused(options(false).build(), Reason.VOUCHER_NONCE_MISMATCH);
    }

    @Test
    void stillRefusesAVoucherForAnotherSerialNumber() {
        registrar.voucherEdit = v -> v.serialNumber("BRSKI-0002");
        refused(options(false).build(), Reason.VOUCHER_SERIAL_MISMATCH);
    }

    @Test
    void stillRefusesAVoucherSignedByAnUntrustedMasa() {
        registrar.masa = otherPki.masaSigner();
        PledgeException e = refused(options(false).build(), Reason.VOUCHER_UNTRUSTED);
        assertTrue(e.getMessage().contains("(no trusted clock)"), e.getMessage());
    }

    @Test
    void stillRefusesARegistrarNotCoveredByThePin() {
        registrar.pin = otherPki.domainCa().certificate();
        assertEquals(Step.AUTHENTICATE_REGISTRAR,
                refused(options(false).build(), Reason.REGISTRAR_NOT_PINNED).step());
    }

    @Test
    void stillRefusesCacertsThatDoNotMatchThePin() {
        registrar.caCertificates = List.of(otherPki.domainCa().certificate());
        refused(options(false).build(), Reason.CACERTS_NOT_PINNED);
    }

    @Test
    void stillRefusesACertificateFromAnotherCa() {
        registrar.endpoints.put("/.well-known/est/simpleenroll",
                r -> registrar.est(List.of(otherPki.issueLdevid(FakeRegistrar.csr(r), Duration.ofDays(1)))));
        PledgeException e = assertThrows(PledgeException.class,
                () -> pledge(options(false).build()).onboard(registrar.uri()));
        assertEquals(Reason.CERTIFICATE_UNTRUSTED, e.reason());
    }

    @Test
    void refusesANoncelessVoucherUnlessPolicyAcceptsItAndThenWarnsItsExpiryWasNotChecked() throws Exception {
        // expired long ago: without a clock the pledge cannot know
        registrar.voucherEdit = v -> v.nonce(null)
                .createdOn(OffsetDateTime.now(ZoneOffset.UTC).minusYears(2))
                .expiresOn(OffsetDateTime.now(ZoneOffset.UTC).minusYears(1));
        PledgeException byDefault = refused(options(false).build(), Reason.VOUCHER_NONCE_MISMATCH);
        assertTrue(byDefault.getMessage().contains("expires-on could not be checked"), byDefault.getMessage());
        PledgeException e = refused(options(false).acceptNoncelessVouchers(false).build(),
                Reason.VOUCHER_NONCE_MISMATCH);
        assertTrue(e.getMessage().contains("without a trusted clock its expires-on could not be checked"),
                e.getMessage());

        OnboardingResult result = pledge(options(false).acceptNoncelessVouchers(true).build())
                .onboard(registrar.uri());
        assertTrue(result.voucher().nonce().isEmpty());
        assertTrue(events.stream().anyMatch(ev -> ev.startsWith("WARNING verify voucher")
                && ev.contains("was not checked")), events::toString);

        // a trusted clock refuses the same expired voucher
        assertEquals(Reason.VOUCHER_EXPIRED, assertThrows(PledgeException.class,
                () -> pledge(options(true).clock(Clock.systemUTC()).build()).onboard(registrar.uri())).reason());
        assertFalse(result.voucher().expiresOn().isEmpty());
    }
}
