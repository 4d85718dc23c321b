package org.brski.pledge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.junit.jupiter.api.Test;

/** Provisional and anchored judgement of the registrar's TLS chain (RFC 8995 sections 5 and 5.1). */
class RegistrarTrustTest {
    static final TestPki PKI = TestPki.builder().build();
    static final TestPki OTHER = TestPki.builder().build();

    static X509Certificate[] chain(HeldCertificate c) {
        return c.chainWithSelf().toArray(new X509Certificate[0]);
    }

    @Test
    void provisionalTrustKeepsTheFirstChainAndRefusesAnotherServerLater() throws Exception {
        RegistrarTrust trust = RegistrarTrust.provisional();
        assertTrue(trust.serverChain().isEmpty());
        trust.checkServerTrusted(chain(PKI.registrar()), "ECDHE_ECDSA");
        trust.checkServerTrusted(chain(PKI.registrar()), "ECDHE_ECDSA"); // a reconnect to the same registrar
        assertEquals(PKI.registrar().certificate(), trust.serverChain().orElseThrow().get(0));
        CertificateException e = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(chain(OTHER.registrar()), "ECDHE_ECDSA"));
        assertTrue(e.getMessage().contains("another certificate"), e.getMessage());
    }

    @Test
    void provisionalTrustStillChecksTheSignaturesItCan() {
        X509Certificate[] forged = {PKI.registrar().certificate(), OTHER.domainCa().certificate()};
        assertThrows(CertificateException.class,
                () -> RegistrarTrust.provisional().checkServerTrusted(forged, "ECDHE_ECDSA"));
        assertThrows(CertificateException.class,
                () -> RegistrarTrust.provisional().checkServerTrusted(new X509Certificate[0], "ECDHE_ECDSA"));
    }

    @Test
    void anchoredTrustRequiresAPathToTheDomainAnchors() throws Exception {
        RegistrarTrust trust = RegistrarTrust.anchoredTo(List.of(PKI.domainCa().certificate()), Clock.systemUTC());
        trust.checkServerTrusted(chain(PKI.registrar()), "ECDHE_ECDSA");
        RegistrarTrust other = RegistrarTrust.anchoredTo(List.of(PKI.domainCa().certificate()), Clock.systemUTC());
        assertThrows(CertificateException.class, () -> other.checkServerTrusted(chain(OTHER.registrar()), "x"));
        assertThrows(CertificateException.class, () -> trust.checkClientTrusted(chain(PKI.registrar()), "x"),
                "a pledge is never a TLS server");
    }
}
