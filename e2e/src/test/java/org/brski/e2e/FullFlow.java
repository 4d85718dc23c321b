package org.brski.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.brski.cli.demo.DemoServices;
import org.brski.masa.store.AuditEvent;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.CertPaths;
import org.brski.pkix.DeviceCertificates;
import org.brski.pledge.OnboardingResult;
import org.brski.pledge.Pledge;
import org.brski.pledge.PledgeOptions;
import org.brski.registrar.store.AuditResult;
import org.brski.registrar.store.Device;
import org.brski.voucher.Assertion;

/**
 * The whole RFC 8995 flow against a running MASA and registrar, with the pledge library: several pledges at once
 * through voucher-request, voucher, voucher_status, EST enrollment and enrollstatus, then re-enrollment (RFC 7030
 * 4.2.2); afterwards the MASA's audit log (5.8) and the registrar's device records must tell the same story.
 */
final class FullFlow {
    private FullFlow() {
    }

    /** Runs the flow for {@code serials} (fresh devices of {@code pki}) and checks every outcome. */
    static void run(DemoServices domain, TestPki pki, List<String> serials) throws Exception {
        domain.register(pki, serials);
        List<OnboardingResult> results = onboardConcurrently(domain, pki, serials);
        X509Certificate domainCa = pki.domainCa().certificate();
        String domainId = Base64.getEncoder().encodeToString(DeviceCertificates.keyIdentifier(domainCa));

        for (int i = 0; i < serials.size(); i++) {
            String serial = serials.get(i);
            OnboardingResult result = results.get(i);
            assertEquals(serial, result.voucher().serialNumber());
            assertEquals(Assertion.LOGGED, result.voucher().assertion());
            assertEquals(serial, DeviceCertificates.serialNumber(result.ldevid()).orElseThrow());
            assertTrue(signsFor(result.ldevidKey(), result.ldevid()), "the saved key is the LDevID's");
            CertPaths.validate(result.ldevid(), result.ldevidChain(), List.of(domainCa), Instant.now());

            List<AuditEvent> audit = domain.masa().store().auditEvents(serial, 10);
            assertEquals(1, audit.size(), "one voucher in the MASA audit log of " + serial);
            assertEquals(domainId, audit.get(0).domainId(), "audit-log domainID is the domain CA's key id (5.8.2)");
            assertEquals(result.voucher().nonce(), audit.get(0).nonceValue(), "the logged nonce is the voucher's");
            assertEquals(Assertion.LOGGED, audit.get(0).assertion());

            Device device = domain.registrar().registrar().store().device(serial).orElseThrow();
            assertEquals(1, device.vouchers());
            assertEquals(DemoServices.MANUFACTURER, device.manufacturer().orElseThrow());
            assertArrayEquals(pki.pledge(serial).certificate().getEncoded(), device.idevid().orElseThrow()
                    .getEncoded());
            assertTrue(device.voucherStatus().orElseThrow().status(), "voucher_status success (5.7)");
            assertTrue(device.enrollStatus().orElseThrow().status(), "enrollstatus success (5.9.4)");
            assertEquals(AuditResult.Outcome.PASSED, device.audit().orElseThrow().outcome(), device.audit()::toString);
            assertEquals(1, device.certificates());
        }

        for (int i = 0; i < serials.size(); i++) {
            OnboardingResult before = results.get(i);
            OnboardingResult renewed = Pledge.reenroll(before, before.registrar(), PledgeOptions.defaults());
            assertFalse(before.ldevid().getPublicKey().equals(renewed.ldevid().getPublicKey()), "re-keyed");
            assertEquals(before.ldevid().getSubjectX500Principal(), renewed.ldevid().getSubjectX500Principal());
            CertPaths.validate(renewed.ldevid(), renewed.ldevidChain(), List.of(domainCa), Instant.now());
            assertEquals(2, domain.registrar().registrar().store().device(serials.get(i)).orElseThrow()
                    .certificates());
            assertEquals(1, domain.masa().store().auditEventCount(serials.get(i)), "re-enrollment needs no voucher");
        }
    }

    /** Whether {@code key} makes signatures that the certificate's public key verifies. */
    static boolean signsFor(PrivateKey key, X509Certificate certificate) throws Exception {
        byte[] data = "proof of possession".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(data);
        return verifier.verify(signature);
    }

    private static List<OnboardingResult> onboardConcurrently(DemoServices domain, TestPki pki, List<String> serials)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(serials.size());
        try {
            List<Future<OnboardingResult>> futures = new ArrayList<>();
            for (String serial : serials) {
                HeldCertificate idevid = pki.pledge(serial);
                Pledge pledge = Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                        .masaAnchors(List.of(pki.manufacturerCa().certificate()))
                        .options(PledgeOptions.builder().exchangeTimeout(Duration.ofSeconds(30)).build()).build();
                futures.add(pool.submit(() -> pledge.onboard(domain.registrarUri())));
            }
            List<OnboardingResult> results = new ArrayList<>();
            for (Future<OnboardingResult> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
