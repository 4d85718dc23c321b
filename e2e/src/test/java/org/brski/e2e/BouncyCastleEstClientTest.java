package org.brski.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.CACertsResponse;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.brski.cli.demo.DemoServices;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.CertPaths;
import org.brski.pkix.DeviceCertificates;
import org.brski.pledge.Pledge;
import org.brski.pledge.PledgeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bouncy Castle's own EST client ({@code org.bouncycastle.est.jcajce}) as an independent peer of our registrar:
 * {@code /cacerts} (RFC 7030 4.1) validated to the domain CA, {@code /simpleenroll} with the IDevID of a pledge
 * that obtained its voucher (RFC 8995 5.9.3), then {@code /simplereenroll} with the certificate it got (4.2.2).
 */
class BouncyCastleEstClientTest {
    private static final char[] PASSWORD = "transient".toCharArray();

    @TempDir
    Path dir;

    @Test
    void bouncyCastleEnrollsAndReenrolls() throws Exception {
        TestPki pki = TestPki.builder().serials("BC-0001").build();
        try (DemoServices domain = DemoServices.start(pki, dir, DemoServices.Databases.h2Memory(), 0, 0)) {
            domain.register(pki, pki.serials());
            HeldCertificate idevid = pki.pledge("BC-0001");
            // RFC 8995 5.9: enrollment follows a voucher obtained by this registrar for this IDevID.
            Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                    .masaAnchors(List.of(pki.manufacturerCa().certificate()))
                    .options(PledgeOptions.builder().exchangeTimeout(Duration.ofSeconds(30)).build()).build()
                    .onboard(domain.registrarUri());
            X509Certificate domainCa = pki.domainCa().certificate();
            String server = domain.registrarUri().getAuthority();

            CACertsResponse cacerts = est(server, domainCa, idevid.privateKey(), idevid.chainWithSelf())
                    .getCACerts();
            List<X509Certificate> anchors = certificates(cacerts.getCertificateStore().getMatches(null));
            assertTrue(anchors.contains(domainCa), anchors::toString);

            KeyPair first = newKey();
            X500Name subject = new X500Name("CN=Bouncy Castle pledge,SERIALNUMBER=BC-0001");
            EnrollmentResponse enrolled = est(server, domainCa, idevid.privateKey(), idevid.chainWithSelf())
                    .simpleEnroll(false, csr(subject, first), null);
            X509Certificate ldevid = issued(enrolled, first, domainCa);
            assertEquals("BC-0001", DeviceCertificates.serialNumber(ldevid).orElseThrow());

            KeyPair second = newKey();
            EnrollmentResponse renewed = est(server, domainCa, first.getPrivate(), List.of(ldevid))
                    .simpleEnroll(true, csr(new X500Name(ldevid.getSubjectX500Principal().getName()), second), null);
            issued(renewed, second, domainCa);
            assertEquals(3, domain.registrar().registrar().store().device("BC-0001").orElseThrow().certificates(),
                    "pledge library enrollment, BC enrollment, BC re-enrollment");
        }
    }

    /** An EST client trusting only the domain CA, presenting {@code key} with {@code chain} at TLS. */
    private static ESTService est(String server, X509Certificate anchor, PrivateKey key, List<X509Certificate> chain)
            throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", key, PASSWORD, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(store, PASSWORD);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("domain-ca", anchor);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        X509TrustManager[] trust = Arrays.stream(tmf.getTrustManagers()).filter(X509TrustManager.class::isInstance)
                .map(X509TrustManager.class::cast).toArray(X509TrustManager[]::new);
        return new JsseESTServiceBuilder(server, trust)
                .withKeyManagers(kmf.getKeyManagers())
                .withTimeout(30_000)
                .build();
    }

    private static KeyPair newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static PKCS10CertificationRequest csr(X500Name subject, KeyPair keys) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    }

    /** The certificate in an EST answer: for {@code keys}, valid under the domain CA now. */
    private static X509Certificate issued(EnrollmentResponse response, KeyPair keys, X509Certificate domainCa)
            throws Exception {
        assertTrue(response.isCompleted(), "EST answered 202");
        List<X509Certificate> certs = certificates(response.getStore().getMatches(null));
        X509Certificate leaf = certs.stream().filter(c -> Arrays.equals(c.getPublicKey().getEncoded(),
                keys.getPublic().getEncoded())).findFirst().orElseThrow(() -> new AssertionError(
                        "no certificate for the requested key in " + certs));
        CertPaths.validate(leaf, certs, List.of(domainCa), Instant.now());
        return leaf;
    }

    private static List<X509Certificate> certificates(java.util.Collection<X509CertificateHolder> holders)
            throws Exception {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> out = new java.util.ArrayList<>();
        for (X509CertificateHolder h : holders) {
            out.add(converter.getCertificate(h));
        }
        return out;
    }
}
