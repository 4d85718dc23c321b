package org.brski.pledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.brski.masa.config.MasaSettings;
import org.brski.masa.http.MasaServer;
import org.brski.masa.store.Device;
import org.brski.masa.store.Ownership;
import org.brski.masa.voucher.MasaPolicy;
import org.brski.masa.voucher.VoucherSigningKey;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.CertPaths;
import org.brski.pkix.DeviceCertificates;
import org.brski.pledge.PledgeException.Reason;
import org.brski.registrar.RegistrarServer;
import org.brski.registrar.config.RegistrarConfig;
import org.brski.registrar.est.KeyDomainCa;
import org.brski.registrar.policy.Manufacturer;
import org.brski.server.config.Compat;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.tls.ClientAuth;
import org.brski.server.tls.TlsIdentity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pledge against the project's real MASA and registrar, both in process on port 0 with in-memory H2: full
 * onboarding, persistence, re-enrollment, and the refusals that the real servers can produce.
 */
class RegistrarIntegrationTest {
    static TestPki pki;
    static MasaServer masa;
    static RegistrarServer registrar;

    @BeforeAll
    static void network() throws Exception {
        pki = TestPki.builder().pledges(0).build();
        masa = masa(pki, Compat.NONE);
        registrar = registrar(pki, Compat.NONE);
    }

    /** The real MASA for {@code pki}'s manufacturer, accepting the dialect {@code compat}. */
    static MasaServer masa(TestPki pki, Compat compat) throws Exception {
        return MasaServer.start(new MasaSettings("127.0.0.1", 0, identity(pki.masaTls()),
                ClientAuth.wantAnyProvisionally(),
                VoucherSigningKey.of(pki.masaSigner().privateKey(), pki.masaSigner().certificate(), List.of()),
                MasaPolicy.builder().manufacturerAnchors(List.of(pki.manufacturerCa().certificate()))
                        .tlsClientAnchors(List.of(pki.domainCa().certificate())).compat(compat).build(),
                DatabaseConfig.h2Memory("masa-" + UUID.randomUUID()), 8), Clock.systemUTC());
    }

    /** The real registrar of {@code pki}'s domain, trusting its manufacturer, accepting the dialect {@code compat}. */
    static RegistrarServer registrar(TestPki pki, Compat compat) throws Exception {
        return RegistrarServer.start(RegistrarConfig.builder(identity(pki.registrar()),
                        KeyDomainCa.of(pki.domainCa().privateKey(), pki.domainCa().certificate(), List.of()))
                .database(DatabaseConfig.h2Memory("registrar-" + UUID.randomUUID()))
                .masaTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30))
                .manufacturer(Manufacturer.trusted("acme", pki.manufacturerCa().certificate()))
                .compat(compat)
                .build());
    }

    @AfterAll
    static void shutdown() {
        if (registrar != null) {
            registrar.close();
        }
        if (masa != null) {
            masa.close();
        }
    }

    static TlsIdentity identity(HeldCertificate held) {
        return TlsIdentity.of(held.privateKey(), held.certificate(), held.issuerChain());
    }

    /** A pledge IDevID from the manufacturer, naming the running MASA; {@code known} registers it there. */
    static HeldCertificate idevid(String serial, boolean known) throws Exception {
        return idevid(pki, masa, serial, known);
    }

    /** A pledge IDevID from {@code pki}'s manufacturer, naming {@code masa}; {@code known} registers it there. */
    static HeldCertificate idevid(TestPki pki, MasaServer masa, String serial, boolean known) throws Exception {
        if (known) {
            masa.store().addDevice(new Device(serial, Ownership.byDefault(), OffsetDateTime.now()));
        }
        return HeldCertificate.builder().commonName("Acme Pledge " + serial).serialNumberAttribute(serial)
                .extendedKeyUsage(HeldCertificate.ID_KP_CLIENT_AUTH).masaUrl(masa.uri().toString())
                .signedBy(pki.manufacturerCa()).build();
    }

    static Pledge pledge(HeldCertificate idevid, HeldCertificate masaAnchor) throws PledgeException {
        return Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                .masaAnchors(List.of(masaAnchor.certificate()))
                .options(PledgeOptions.builder().exchangeTimeout(Duration.ofSeconds(20)).build()).build();
    }

    @Test
    void onboardsSavesRestartsAndReenrolls(@TempDir Path dir) throws Exception {
        HeldCertificate idevid = idevid("IT-0001", true);
        Pledge pledge = pledge(idevid, pki.manufacturerCa());

        OnboardingResult result = pledge.onboard(registrar.uri());

        assertEquals("IT-0001", result.voucher().serialNumber());
        assertEquals("IT-0001", DeviceCertificates.serialNumber(result.ldevid()).orElseThrow());
        assertTrue(OnboardingResult.keyMatches(result.ldevidKey(), result.ldevid()));
        CertPaths.validate(result.ldevid(), result.ldevidChain(), List.of(pki.domainCa().certificate()),
                Instant.now());
        assertTrue(result.domainTrustAnchors().contains(pki.domainCa().certificate()));

        result.save(dir);
        OnboardingResult restarted = OnboardingResult.load(dir);
        OnboardingResult renewed = Pledge.reenroll(restarted, restarted.registrar(), PledgeOptions.defaults());
        assertFalse(DomainTrust.sameKey(result.ldevid().getPublicKey(), renewed.ldevid().getPublicKey()));
        CertPaths.validate(renewed.ldevid(), renewed.ldevidChain(), List.of(pki.domainCa().certificate()),
                Instant.now());
    }

    @Test
    void onboardsSeveralPledgesFromARegistrarList() throws Exception {
        for (String serial : List.of("IT-0101", "IT-0102")) {
            OnboardingResult result = pledge(idevid(serial, true), pki.manufacturerCa())
                    .onboard(List.of(registrar.uri()));
            assertEquals(serial, result.voucher().serialNumber());
        }
    }

    @Test
    void refusesAVoucherFromAMasaItDoesNotTrust() throws Exception {
        HeldCertificate otherManufacturer = HeldCertificate.builder().commonName("Other Root").certificateAuthority(1)
                .build();
        PledgeException e = assertThrows(PledgeException.class,
                () -> pledge(idevid("IT-0201", true), otherManufacturer).onboard(registrar.uri()));
        assertEquals(Reason.VOUCHER_UNTRUSTED, e.reason(), e::toString);
    }

    @Test
    void stopsWhenTheMasaDoesNotKnowTheDevice() throws Exception {
        PledgeException e = assertThrows(PledgeException.class,
                () -> pledge(idevid("IT-0301", false), pki.manufacturerCa()).onboard(registrar.uri()));
        assertEquals(Reason.HTTP_STATUS, e.reason(), e::toString);
        assertEquals(Step.REQUEST_VOUCHER, e.step());
    }

    @Test
    void reenrollRefusesARegistrarOfAnotherDomain(@TempDir Path dir) throws Exception {
        OnboardingResult result = pledge(idevid("IT-0401", true), pki.manufacturerCa()).onboard(registrar.uri());
        TestPki other = TestPki.builder().pledges(0).build();
        try (FakeRegistrar stranger = FakeRegistrar.start(other)) {
            PledgeException e = assertThrows(PledgeException.class,
                    () -> Pledge.reenroll(result, stranger.uri(), PledgeOptions.defaults()));
            assertEquals(Reason.TLS, e.reason());
        }
        assertTrue(Optional.of(result).isPresent());
    }

    /**
     * RFC 8995 2.6.1: a device whose clock says 1970-01-01 (a common boot state of embedded devices) against the
     * real MASA and registrar.
     */
    @Nested
    class WithAClockStuckIn1970 {
        final Clock epoch = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        final List<String> events = new CopyOnWriteArrayList<>();

        PledgeOptions options(boolean trustedClock) {
            return PledgeOptions.builder().exchangeTimeout(Duration.ofSeconds(20)).clock(epoch)
                    .trustedClock(trustedClock)
                    .listener((step, outcome, message) -> events.add(outcome + " " + step.label() + ": " + message))
                    .build();
        }

        Pledge pledge(HeldCertificate idevid, HeldCertificate masaAnchor, boolean trustedClock)
                throws PledgeException {
            return Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                    .masaAnchors(List.of(masaAnchor.certificate())).options(options(trustedClock)).build();
        }

        @Test
        void cannotOnboardWhenItTrustsItsClock() throws Exception {
            PledgeException e = assertThrows(PledgeException.class,
                    () -> pledge(idevid("IT-1970-01", true), pki.manufacturerCa(), true).onboard(registrar.uri()));
            // today's behaviour: the registrar refuses a voucher-request created on 1970-01-01 as stale
            assertEquals(Reason.HTTP_STATUS, e.reason(), e::toString);
            assertEquals(Step.REQUEST_VOUCHER, e.step());
            assertTrue(e.getMessage().contains("403") && e.getMessage().contains("stale-request"), e.getMessage());
        }

        @Test
        void onboardsAndReenrollsWithoutTrustingItsClock(@TempDir Path dir) throws Exception {
            OnboardingResult result = pledge(idevid("IT-1970-02", true), pki.manufacturerCa(), false)
                    .onboard(registrar.uri());

            assertEquals("IT-1970-02", result.voucher().serialNumber());
            assertTrue(result.voucher().nonce().isPresent(), "the nonce made the voucher fresh");
            CertPaths.validate(result.ldevid(), result.ldevidChain(), List.of(pki.domainCa().certificate()),
                    Instant.now());
            assertTrue(events.stream().anyMatch(ev -> ev.startsWith("OK verify voucher")
                    && ev.contains("no trusted clock")), events::toString);

            result.save(dir);
            OnboardingResult restarted = OnboardingResult.load(dir);
            OnboardingResult renewed = Pledge.reenroll(restarted, restarted.registrar(), options(false));
            assertFalse(DomainTrust.sameKey(result.ldevid().getPublicKey(), renewed.ldevid().getPublicKey()));
            CertPaths.validate(renewed.ldevid(), renewed.ldevidChain(), List.of(pki.domainCa().certificate()),
                    Instant.now());

            // with a trusted 1970 clock the anchored TLS trust of re-enrollment refuses the registrar (not yet valid)
            PledgeException e = assertThrows(PledgeException.class,
                    () -> Pledge.reenroll(renewed, renewed.registrar(), options(true)));
            assertEquals(Reason.TLS, e.reason(), e::toString);
        }

        @Test
        void stillRefusesAVoucherFromAMasaItDoesNotTrust() throws Exception {
            HeldCertificate otherManufacturer = HeldCertificate.builder().commonName("Other Root")
                    .certificateAuthority(1).build();
            PledgeException e = assertThrows(PledgeException.class,
                    () -> pledge(idevid("IT-1970-03", true), otherManufacturer, false).onboard(registrar.uri()));
            assertEquals(Reason.VOUCHER_UNTRUSTED, e.reason(), e::toString);
        }
    }
}
