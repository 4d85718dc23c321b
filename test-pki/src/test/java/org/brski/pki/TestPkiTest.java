package org.brski.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.brski.pkix.Crypto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TestPkiTest {
    private static TestPki pki;

    @BeforeAll
    static void build() {
        pki = TestPki.builder().masaUrl("https://masa.example.com:9443").pledges(2).build();
    }

    @Test
    void everyRoleChainsToItsCa() throws Exception {
        X509Certificate manufacturer = pki.manufacturerCa().certificate();
        X509Certificate domain = pki.domainCa().certificate();
        Chains.validate(pki.manufacturerCa(), manufacturer);
        Chains.validate(pki.masaSigner(), manufacturer);
        Chains.validate(pki.masaTls(), manufacturer);
        Chains.validate(pki.domainCa(), domain);
        Chains.validate(pki.registrar(), domain);
        for (HeldCertificate pledge : pki.pledges()) {
            Chains.validate(pledge, manufacturer);
        }
        // And not across owners: the registrar does not chain to the manufacturer.
        assertThrows(CertPathValidatorException.class, () -> Chains.validate(pki.registrar(), manufacturer));
        assertEquals(List.of(manufacturer), pki.masaSigner().issuerChain());
        assertEquals(List.of(domain), pki.registrar().issuerChain());
        assertTrue(manufacturer.getBasicConstraints() >= 0 && domain.getBasicConstraints() >= 0);
        assertTrue(manufacturer.getSubjectX500Principal().getName().contains("Manufacturer Root CA"));
    }

    @Test
    void idevidCarriesSerialNumberMasaUrlAndClientAuthWithoutExpiry() throws Exception {
        assertEquals(List.of("BRSKI-0001", "BRSKI-0002"), pki.serials());
        HeldCertificate pledge = pki.pledge("BRSKI-0002");
        X509Certificate cert = pledge.certificate();
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        assertEquals("BRSKI-0002", subject.getRDNs(BCStyle.SERIALNUMBER)[0].getFirst().getValue().toString());
        assertTrue(subject.getRDNs(BCStyle.CN)[0].getFirst().getValue().toString().contains("BRSKI-0002"));
        assertEquals("https://masa.example.com:9443", masaUrl(cert));
        assertFalse(cert.getCriticalExtensionOIDs().contains(HeldCertificate.MASA_URL_OID));
        assertEquals(List.of(HeldCertificate.ID_KP_CLIENT_AUTH), cert.getExtendedKeyUsage());
        assertEquals(TestPki.IDEVID_NO_EXPIRY, cert.getNotAfter().toInstant());
        // RFC 8995 2.6.2: encoded as GeneralizedTime 99991231235959Z.
        Time notAfter = Certificate.getInstance(cert.getEncoded()).getEndDate();
        ASN1GeneralizedTime generalized = assertInstanceOf(ASN1GeneralizedTime.class, notAfter.toASN1Primitive());
        assertEquals("99991231235959Z", generalized.getTimeString());
        assertEquals(-1, cert.getBasicConstraints());
    }

    @Test
    void registrarHasCmcRaServerAndClientAuthAndLocalNames() throws Exception {
        X509Certificate cert = pki.registrar().certificate();
        assertEquals(Set.of("1.3.6.1.5.5.7.3.28", "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"),
                Set.copyOf(cert.getExtendedKeyUsage()));
        assertTrue(altNames(cert).containsAll(Set.of("localhost", "127.0.0.1")), altNames(cert).toString());
    }

    @Test
    void masaTlsIsAServerCertificateForLocalhostAndTheMasaHost() throws Exception {
        X509Certificate cert = pki.masaTls().certificate();
        assertEquals(List.of(HeldCertificate.ID_KP_SERVER_AUTH), cert.getExtendedKeyUsage());
        assertTrue(altNames(cert).containsAll(Set.of("localhost", "127.0.0.1", "masa.example.com")),
                altNames(cert).toString());
        assertTrue(altNames(TestPki.builder().masaUrl("10.1.2.3:9443").pledges(0).build().masaTls().certificate())
                .contains("10.1.2.3"));
        assertNotEquals(pki.masaSigner().publicKey(), pki.masaTls().publicKey());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void everyKeyTypeWorks(KeyType type) throws Exception {
        TestPki typed = TestPki.builder().keyType(type).pledges(1).build();
        assertEquals(type, typed.keyType());
        assertEquals(type, typed.pledgeKeyType());
        for (HeldCertificate held : List.of(typed.manufacturerCa(), typed.masaSigner(), typed.masaTls(),
                typed.domainCa(), typed.registrar(), typed.pledge("BRSKI-0001"))) {
            assertEquals(type, held.keyType(), held.toString());
            assertEquals(type == KeyType.RSA2048 ? "RSA" : "EC", held.publicKey().getAlgorithm());
            assertTrue(Chains.keyWorks(held), held.toString());
            Chains.validate(held, held.root());
        }
        assertTrue(typed.registrar().certificate().getSigAlgName().toUpperCase(java.util.Locale.ROOT)
                .startsWith(type.signatureAlgorithm().toUpperCase(java.util.Locale.ROOT).substring(0, 6)));
    }

    @Test
    void pledgeKeyTypeAndSerialsCanBeChosen() throws Exception {
        TestPki mixed = TestPki.builder().keyType(KeyType.EC_P384).pledgeKeyType(KeyType.EC_P256)
                .serials("00-D0-E5-F2-00-02", "WI-3005").masaUrl("masa.example.com").build();
        assertEquals(List.of("00-D0-E5-F2-00-02", "WI-3005"), mixed.serials());
        assertEquals(KeyType.EC_P256, mixed.pledge("WI-3005").keyType());
        assertEquals(KeyType.EC_P384, mixed.manufacturerCa().keyType());
        assertEquals("masa.example.com", masaUrl(mixed.pledge("WI-3005").certificate()));
        Chains.validate(mixed.pledge("WI-3005"), mixed.manufacturerCa().certificate());
        assertThrows(IllegalArgumentException.class, () -> TestPki.builder().serials("A", "A"));
        assertEquals(List.of(), TestPki.builder().pledges(0).build().pledges());
    }

    @Test
    void unknownPledgeIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pki.pledge("nope"));
        assertTrue(e.getMessage().contains("BRSKI-0001"), e.getMessage());
    }

    @Test
    void issuePledgeMakesNewIdevidsWithoutChangingThePki() throws Exception {
        HeldCertificate fresh = pki.issuePledge("NEW-1");
        assertEquals(2, pki.pledges().size());
        Chains.validate(fresh, pki.manufacturerCa().certificate());
        assertEquals("https://masa.example.com:9443", masaUrl(fresh.certificate()));

        HeldCertificate original = pki.pledge("BRSKI-0001");
        HeldCertificate reissued = pki.issuePledge("BRSKI-0001", original.keyPair());
        assertEquals(original.publicKey(), reissued.publicKey());
        assertNotEquals(original.certificate(), reissued.certificate());
        Chains.validate(reissued, pki.manufacturerCa().certificate());
    }

    @Test
    void ldevidFromCsrKeepsSubjectAndChainsToDomainCa() throws Exception {
        HeldCertificate pledge = pki.pledge("BRSKI-0001");
        X500Name requested = new X500Name("CN=pledge-ldevid,SERIALNUMBER=BRSKI-0001");
        PKCS10CertificationRequest csr = csr(requested, pledge.publicKey(), pledge.privateKey());
        X509Certificate ldevid = pki.issueLdevid(csr, Duration.ofDays(30));
        assertArrayEquals(requested.getEncoded(), ldevid.getSubjectX500Principal().getEncoded());
        assertEquals(pledge.publicKey(), ldevid.getPublicKey());
        assertEquals(Set.of(HeldCertificate.ID_KP_CLIENT_AUTH, HeldCertificate.ID_KP_SERVER_AUTH),
                Set.copyOf(ldevid.getExtendedKeyUsage()));
        assertEquals(pki.domainCa().certificate().getSubjectX500Principal(), ldevid.getIssuerX500Principal());
        Chains.validate(List.of(ldevid), pki.domainCa().certificate(), Instant.now());
        Duration lifetime = Duration.between(ldevid.getNotBefore().toInstant(), ldevid.getNotAfter().toInstant());
        assertEquals(Duration.ofDays(30).plusHours(1), lifetime);
    }

    @Test
    void csrWithABadSignatureIsRefused() throws Exception {
        HeldCertificate pledge = pki.pledge("BRSKI-0001");
        HeldCertificate other = pki.pledge("BRSKI-0002");
        // Claims the pledge's key but is signed by another: no proof of possession.
        PKCS10CertificationRequest forged = csr(new X500Name("CN=forged"), pledge.publicKey(), other.privateKey());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pki.issueLdevid(forged, Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());

        PKCS10CertificationRequest empty = csr(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
                pledge.publicKey(), pledge.privateKey());
        assertThrows(IllegalArgumentException.class, () -> pki.issueLdevid(empty, Duration.ofDays(1)));
    }

    @Test
    void clockAndValidityOverridesShapeTheCertificates() throws Exception {
        Instant then = Instant.parse("2021-04-28T00:00:00Z");
        TestPki past = TestPki.builder().clock(Clock.fixed(then, ZoneOffset.UTC)).validFor(Duration.ofDays(30))
                .build();
        assertEquals(then.minus(Duration.ofHours(1)), past.registrar().certificate().getNotBefore().toInstant());
        assertEquals(then.plus(Duration.ofDays(30)), past.registrar().certificate().getNotAfter().toInstant());
        assertThrows(CertPathValidatorException.class,
                () -> Chains.validate(past.registrar(), past.domainCa().certificate()));
        Chains.validate(past.registrar(), past.domainCa().certificate(), then);
        // The IDevID outlives its expired CA's period but still validates at a time both were valid.
        Chains.validate(past.pledge("BRSKI-0001"), past.manufacturerCa().certificate(), then);

        Instant from = Instant.parse("2020-01-01T00:00:00Z");
        Instant to = Instant.parse("2020-12-31T00:00:00Z");
        TestPki expired = TestPki.builder().validity(from, to).idevidNotAfter(Instant.parse("2023-01-01T00:00:00Z"))
                .build();
        assertEquals(to, expired.masaSigner().certificate().getNotAfter().toInstant());
        assertEquals(from, expired.pledge("BRSKI-0001").certificate().getNotBefore().toInstant());
        assertEquals(Instant.parse("2023-01-01T00:00:00Z"),
                expired.pledge("BRSKI-0001").certificate().getNotAfter().toInstant());
    }

    static String masaUrl(X509Certificate cert) throws Exception {
        byte[] value = cert.getExtensionValue("1.3.6.1.5.5.7.1.32");
        return ASN1IA5String.getInstance(ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(value).getOctets()))
                .getString();
    }

    private static Set<String> altNames(X509Certificate cert) throws Exception {
        return cert.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).collect(Collectors.toSet());
    }

    static PKCS10CertificationRequest csr(X500Name subject, PublicKey publicKey, PrivateKey signingKey)
            throws Exception {
        String algorithm = KeyType.of(publicKey).signatureAlgorithm();
        return new JcaPKCS10CertificationRequestBuilder(subject, publicKey)
                .build(new JcaContentSignerBuilder(algorithm).setProvider(Crypto.provider()).build(signingKey));
    }
}
