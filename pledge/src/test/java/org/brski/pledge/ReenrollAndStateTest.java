package org.brski.pledge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.Pem;
import org.brski.pledge.PledgeException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-enrollment with the LDevID (RFC 7030 4.2.2) and the persisted state. */
class ReenrollAndStateTest {
    static TestPki pki;
    static TestPki otherPki;
    FakeRegistrar registrar;
    Pledge pledge;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.builder().build();
        otherPki = TestPki.builder().build();
    }

    @BeforeEach
    void start() throws Exception {
        registrar = FakeRegistrar.start(pki);
        HeldCertificate idevid = pki.pledge("BRSKI-0001");
        pledge = Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                .masaAnchors(List.of(pki.manufacturerCa().certificate()))
                .options(PledgeOptions.builder().exchangeTimeout(Duration.ofSeconds(10)).build()).build();
    }

    @AfterEach
    void stop() throws Exception {
        registrar.close();
    }

    @Test
    void reenrollsWithANewKeyAuthenticatedByTheCurrentLdevid() throws Exception {
        OnboardingResult first = pledge.onboard(registrar.uri());
        registrar.log.clear();

        OnboardingResult renewed = pledge.reenroll(first);

        assertNotEquals(first.ldevid(), renewed.ldevid());
        assertFalse(DomainTrust.sameKey(first.ldevid().getPublicKey(), renewed.ldevid().getPublicKey()));
        assertTrue(OnboardingResult.keyMatches(renewed.ldevidKey(), renewed.ldevid()));
        assertEquals(first.ldevid().getSubjectX500Principal(), renewed.ldevid().getSubjectX500Principal());
        assertEquals("BRSKI-0001", DeviceCertificates.serialNumber(renewed.ldevid()).orElseThrow());
        assertArrayEquals(first.voucherCms(), renewed.voucherCms());
        assertEquals(List.of("GET /.well-known/est/cacerts", "GET /.well-known/est/csrattrs",
                "POST /.well-known/est/simplereenroll"), registrar.paths());
        for (FakeRegistrar.Received r : registrar.log) {
            assertEquals(first.ldevid(), r.clientChain().get(0), "every request is authenticated with the LDevID");
        }
    }

    @Test
    void reenrollKeepsTheKeyWhenAsked() throws Exception {
        OnboardingResult first = pledge.onboard(registrar.uri());
        OnboardingResult renewed = Pledge.reenroll(first, first.registrar(),
                PledgeOptions.builder().rekeyOnReenroll(false).build());
        assertTrue(DomainTrust.sameKey(first.ldevid().getPublicKey(), renewed.ldevid().getPublicKey()));
        assertNotEquals(first.ldevid().getSerialNumber(), renewed.ldevid().getSerialNumber());
    }

    @Test
    void reenrollRefusesARegistrarOutsideTheDomain() throws Exception {
        OnboardingResult first = pledge.onboard(registrar.uri());
        try (FakeRegistrar stranger = FakeRegistrar.start(otherPki)) {
            PledgeException e = assertThrows(PledgeException.class,
                    () -> Pledge.reenroll(first, stranger.uri(), PledgeOptions.defaults()));
            assertEquals(Reason.TLS, e.reason(), e::toString);
            assertTrue(stranger.log.isEmpty(), "nothing is sent to an unauthenticated server");
        }
    }

    @Test
    void reenrollRefusesADomainCertificateWithoutCmcRa() throws Exception {
        OnboardingResult first = pledge.onboard(registrar.uri());
        // another device's LDevID: issued by the domain CA, serverAuth and clientAuth, but no id-kp-cmcRA
        HeldCertificate otherDevice = HeldCertificate.builder().subject("CN=other device,serialNumber=BRSKI-0002")
                .extendedKeyUsage(HeldCertificate.ID_KP_SERVER_AUTH, HeldCertificate.ID_KP_CLIENT_AUTH)
                .signedBy(pki.domainCa()).build();
        try (FakeRegistrar impostor = FakeRegistrar.start(pki, otherDevice)) {
            PledgeException e = assertThrows(PledgeException.class,
                    () -> Pledge.reenroll(first, impostor.uri(), PledgeOptions.defaults()));
            assertEquals(Reason.TLS, e.reason(), e::toString);
            assertTrue(impostor.log.isEmpty(), "nothing is sent to a domain certificate that is no registrar");
        }
    }

    @Test
    void reenrollRefusesACertificateForAnotherKey() throws Exception {
        OnboardingResult first = pledge.onboard(registrar.uri());
        registrar.endpoints.put("/.well-known/est/simplereenroll",
                r -> registrar.est(List.of(first.ldevid(), pki.domainCa().certificate())));
        PledgeException e = assertThrows(PledgeException.class, () -> pledge.reenroll(first));
        assertEquals(Reason.CERTIFICATE_WRONG_KEY, e.reason());
    }

    @Test
    void reenrollRefusesCacertsUnrelatedToTheCurrentAnchors() throws Exception {
        OnboardingResult first = pledge.onboard(registrar.uri());
        registrar.caCertificates = List.of(otherPki.domainCa().certificate());
        PledgeException e = assertThrows(PledgeException.class, () -> pledge.reenroll(first));
        assertEquals(Reason.CACERTS_NOT_PINNED, e.reason());
        assertTrue(registrar.received("/simplereenroll").isEmpty());
    }

    @Test
    void savesAndLoadsTheStateWithAnOwnerOnlyKeyFile() throws Exception {
        OnboardingResult result = pledge.onboard(registrar.uri());
        Path state = dir.resolve("state");
        result.save(state);

        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(state.resolve(OnboardingResult.LDEVID_KEY)));
        OnboardingResult loaded = OnboardingResult.load(state);
        assertEquals(result.registrar(), loaded.registrar());
        assertArrayEquals(result.voucherCms(), loaded.voucherCms());
        assertEquals(result.voucher(), loaded.voucher());
        assertEquals(result.ldevidChain(), loaded.ldevidChain());
        assertEquals(result.domainTrustAnchors(), loaded.domainTrustAnchors());
        assertEquals(result.registrarChain(), loaded.registrarChain());
        assertArrayEquals(result.ldevidKey().getEncoded(), loaded.ldevidKey().getEncoded());
        assertFalse(result.toString().contains("PRIVATE"), "toString never shows the key");

        OnboardingResult renewed = pledge.reenroll(loaded); // a restarted device can renew
        renewed.save(state);
        assertEquals(renewed.ldevid(), OnboardingResult.load(state).ldevid());
    }

    /** A re-enrolling device that loses power mid-save: past the commit point the new state wins, before it the old. */
    @Test
    void anInterruptedSaveLeavesTheOldOrTheNewStateNeverAMix() throws Exception {
        OnboardingResult first = pledge.onboard(registrar.uri());
        OnboardingResult renewed = pledge.reenroll(first);
        Path state = dir.resolve("crash");

        first.save(state);
        renewed.stage(state);                                   // all written, commit marker set ...
        Files.move(state.resolve(OnboardingResult.LDEVID + ".new"), state.resolve(OnboardingResult.LDEVID),
                StandardCopyOption.REPLACE_EXISTING);            // ... and power lost after one rename
        OnboardingResult afterCommit = OnboardingResult.load(state);
        assertEquals(renewed.ldevid(), afterCommit.ldevid());
        assertArrayEquals(renewed.ldevidKey().getEncoded(), afterCommit.ldevidKey().getEncoded());
        assertFalse(Files.exists(state.resolve(OnboardingResult.COMMIT)));

        first.save(state);
        renewed.stage(state);
        Files.delete(state.resolve(OnboardingResult.COMMIT));   // power lost before the commit point
        OnboardingResult beforeCommit = OnboardingResult.load(state);
        assertEquals(first.ldevid(), beforeCommit.ldevid());
        assertArrayEquals(first.ldevidKey().getEncoded(), beforeCommit.ldevidKey().getEncoded());
        try (var files = Files.list(state)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".new")), "staged files are discarded");
        }
    }

    @Test
    void refusesToLoadAStateWhoseKeyDoesNotMatch() throws Exception {
        Path state = dir.resolve("state");
        pledge.onboard(registrar.uri()).save(state);
        Pem.writePrivateKey(state.resolve(OnboardingResult.LDEVID_KEY), pki.registrar().privateKey());
        PledgeException e = assertThrows(PledgeException.class, () -> OnboardingResult.load(state));
        assertEquals(Reason.STATE, e.reason());
    }

    @Test
    void refusesToLoadAStateWithATamperedVoucher() throws Exception {
        Path state = dir.resolve("state");
        pledge.onboard(registrar.uri()).save(state);
        Files.writeString(state.resolve(OnboardingResult.VOUCHER), "-----BEGIN CMS-----\nAAAA\n-----END CMS-----\n");
        assertEquals(Reason.STATE, assertThrows(PledgeException.class, () -> OnboardingResult.load(state)).reason());
        Files.delete(state.resolve(OnboardingResult.VOUCHER));
        assertEquals(Reason.STATE, assertThrows(PledgeException.class, () -> OnboardingResult.load(state)).reason());
    }

    @Test
    void refusesAnInconsistentIdevid() {
        HeldCertificate idevid = pki.pledge("BRSKI-0001");
        PledgeException e = assertThrows(PledgeException.class, () -> Pledge.builder()
                .idevid(pki.registrar().privateKey(), idevid.chainWithSelf())
                .masaAnchors(List.of(pki.manufacturerCa().certificate())).build());
        assertEquals(Reason.CONFIGURATION, e.reason());
        assertEquals(Reason.CONFIGURATION, assertThrows(PledgeException.class, () -> Pledge.builder()
                .idevid(idevid.privateKey(), idevid.chainWithSelf()).build()).reason(), "no MASA anchor");
        assertEquals(Reason.CONFIGURATION, assertThrows(PledgeException.class, () -> Pledge.builder()
                .idevid(pki.registrar().privateKey(), pki.registrar().chainWithSelf())
                .masaAnchors(List.of(pki.manufacturerCa().certificate())).build()).reason(), "no serialNumber");
    }
}
