package org.brski.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HeldCertificateTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static HeldCertificate root;

    @BeforeAll
    static void createRoot() {
        root = HeldCertificate.builder().subject("CN=Test Root,O=Example").certificateAuthority(1).random(RANDOM)
                .build();
    }

    @Test
    void selfSignedRootIsACriticallyConstrainedCa() throws Exception {
        X509Certificate cert = root.certificate();
        assertEquals(1, cert.getBasicConstraints());
        assertTrue(cert.getCriticalExtensionOIDs().containsAll(
                Set.of(Extension.basicConstraints.getId(), Extension.keyUsage.getId())));
        boolean[] usage = cert.getKeyUsage();
        assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
        assertFalse(usage[0], "no digitalSignature on a CA by default");
        assertEquals(List.of(), root.issuerChain());
        assertEquals(List.of(cert), root.chainWithSelf());
        assertEquals(cert, root.root());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        cert.verify(cert.getPublicKey());
        assertNull(cert.getExtensionValue(Extension.authorityKeyIdentifier.getId()));
        assertEquals(KeyType.EC_P256, root.keyType());
        assertEquals("CN=Test Root,O=Example", cert.getSubjectX500Principal().getName());
    }

    @Test
    void endEntityChainsToItsIssuerWithKeyIdentifiers() throws Exception {
        HeldCertificate leaf = HeldCertificate.builder().commonName("leaf").signedBy(root).random(RANDOM).build();
        Chains.validate(leaf, root.certificate());
        assertEquals(List.of(root.certificate()), leaf.issuerChain());
        assertEquals(List.of(leaf.certificate(), root.certificate()), leaf.chainWithSelf());
        assertEquals(-1, leaf.certificate().getBasicConstraints());
        boolean[] usage = leaf.certificate().getKeyUsage();
        assertTrue(usage[0], "digitalSignature");
        assertFalse(usage[2], "no keyEncipherment for EC");

        X509CertificateHolder leafHolder = new X509CertificateHolder(leaf.certificate().getEncoded());
        X509CertificateHolder rootHolder = new X509CertificateHolder(root.certificate().getEncoded());
        byte[] rootSki = SubjectKeyIdentifier.fromExtensions(rootHolder.getExtensions()).getKeyIdentifier();
        byte[] aki = AuthorityKeyIdentifier.fromExtensions(leafHolder.getExtensions()).getKeyIdentifierOctets();
        assertArrayEquals(rootSki, aki);
        byte[] leafSki = SubjectKeyIdentifier.fromExtensions(leafHolder.getExtensions()).getKeyIdentifier();
        assertArrayEquals(HeldCertificate.keyIdentifier(leafHolder.getSubjectPublicKeyInfo()), leafSki);
        assertEquals(20, leafSki.length, "SHA-1 method 1");
    }

    @Test
    void intermediateCaChainsThreeDeep() throws Exception {
        HeldCertificate intermediate = HeldCertificate.builder().commonName("intermediate").certificateAuthority(0)
                .signedBy(root).random(RANDOM).build();
        HeldCertificate leaf = HeldCertificate.builder().commonName("leaf").signedBy(intermediate).random(RANDOM)
                .build();
        assertEquals(List.of(intermediate.certificate(), root.certificate()), leaf.issuerChain());
        assertEquals(root.certificate(), leaf.root());
        Chains.validate(leaf, root.certificate());
    }

    @Test
    void serialNumberAttributeIsPrintableStringWhenPossibleElseUtf8() throws Exception {
        HeldCertificate printable = HeldCertificate.builder().commonName("device").serialNumberAttribute("WI-3005")
                .signedBy(root).random(RANDOM).build();
        ASN1Encodable value = serialNumberValue(printable.certificate());
        assertInstanceOf(DERPrintableString.class, value);
        assertEquals("WI-3005", ((DERPrintableString) value).getString());
        X500Name subject = X500Name.getInstance(printable.certificate().getSubjectX500Principal().getEncoded());
        assertEquals("device", subject.getRDNs(BCStyle.CN)[0].getFirst().getValue().toString());

        HeldCertificate utf8 = HeldCertificate.builder().serialNumberAttribute("SN_ü@1").signedBy(root)
                .random(RANDOM).build();
        ASN1Encodable utf8Value = serialNumberValue(utf8.certificate());
        assertInstanceOf(DERUTF8String.class, utf8Value);
        assertEquals("SN_ü@1", ((DERUTF8String) utf8Value).getString());
        X500Name onlySerial = X500Name.getInstance(utf8.certificate().getSubjectX500Principal().getEncoded());
        assertEquals(1, onlySerial.getRDNs().length, "the serialNumber alone, as in RFC 8995 Appendix C");
    }

    @Test
    void masaUrlExtensionIsNonCriticalIa5AsGiven() throws Exception {
        for (String url : List.of("https://masa.example.com:9443", "masa.example.com:9443")) {
            HeldCertificate idevid = HeldCertificate.builder().serialNumberAttribute("X1").masaUrl(url)
                    .signedBy(root).random(RANDOM).build();
            X509Certificate cert = idevid.certificate();
            assertTrue(cert.getNonCriticalExtensionOIDs().contains("1.3.6.1.5.5.7.1.32"));
            byte[] octets = ASN1OctetString.getInstance(cert.getExtensionValue("1.3.6.1.5.5.7.1.32")).getOctets();
            assertEquals(url, ASN1IA5String.getInstance(ASN1Primitive.fromByteArray(octets)).getString());
        }
        assertThrows(IllegalArgumentException.class, () -> HeldCertificate.builder().masaUrl("https://mäsa"));
        assertThrows(IllegalArgumentException.class, () -> HeldCertificate.builder().masaUrl(""));
    }

    @Test
    void extendedKeyUsageAndSubjectAltNames() throws Exception {
        HeldCertificate server = HeldCertificate.builder().commonName("server")
                .extendedKeyUsage(HeldCertificate.ID_KP_SERVER_AUTH)
                .extendedKeyUsage(HeldCertificate.ID_KP_CMC_RA)
                .dnsNames("localhost", "registrar.example").ipAddresses("127.0.0.1", "::1")
                .signedBy(root).random(RANDOM).build();
        X509Certificate cert = server.certificate();
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.28"), cert.getExtendedKeyUsage());
        assertFalse(cert.getCriticalExtensionOIDs().contains(Extension.extendedKeyUsage.getId()));
        Set<String> names = cert.getSubjectAlternativeNames().stream().map(n -> n.get(0) + ":" + n.get(1))
                .collect(Collectors.toSet());
        assertEquals(Set.of("2:localhost", "2:registrar.example", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1"), names);
        assertThrows(IllegalArgumentException.class, () -> HeldCertificate.builder().ipAddresses("localhost"));
        assertThrows(IllegalArgumentException.class, () -> HeldCertificate.builder().extendedKeyUsage("not.an.oid"));
    }

    @Test
    void keyUsageCanBeReplacedOrOmitted() {
        HeldCertificate agreement = HeldCertificate.builder().keyUsage(KeyUsage.keyAgreement).random(RANDOM).build();
        boolean[] usage = agreement.certificate().getKeyUsage();
        assertTrue(usage[4]);
        assertFalse(usage[0]);
        HeldCertificate none = HeldCertificate.builder().keyUsage(0).signedBy(root).random(RANDOM).build();
        assertNull(none.certificate().getKeyUsage());
    }

    @Test
    void withoutSubjectKeyIdentifierChildrenGetNoAuthorityKeyIdentifier() throws Exception {
        HeldCertificate bareCa = HeldCertificate.builder().commonName("bare CA").certificateAuthority(0)
                .subjectKeyIdentifier(false).random(RANDOM).build();
        assertNull(bareCa.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId()));
        HeldCertificate leaf = HeldCertificate.builder().signedBy(bareCa).random(RANDOM).build();
        assertNull(leaf.certificate().getExtensionValue(Extension.authorityKeyIdentifier.getId()));
        Chains.validate(leaf, bareCa.certificate());
    }

    @Test
    void validityInThePastGivesAnExpiredCertificate() throws Exception {
        Instant notBefore = Instant.parse("2020-01-01T00:00:00Z");
        Instant notAfter = Instant.parse("2021-01-01T00:00:00Z");
        HeldCertificate expired = HeldCertificate.builder().commonName("expired").validity(notBefore, notAfter)
                .signedBy(root).random(RANDOM).build();
        assertEquals(notBefore, expired.certificate().getNotBefore().toInstant());
        assertEquals(notAfter, expired.certificate().getNotAfter().toInstant());
        assertThrows(CertificateExpiredException.class, () -> expired.certificate().checkValidity());
        assertThrows(CertPathValidatorException.class, () -> Chains.validate(expired, root.certificate()));
        // Still a correct chain when checked at a time inside its validity (root is valid since an hour ago only).
        HeldCertificate oldRoot = HeldCertificate.builder().certificateAuthority(0).validity(notBefore, notAfter)
                .random(RANDOM).build();
        HeldCertificate oldLeaf = HeldCertificate.builder().validity(notBefore, notAfter).signedBy(oldRoot)
                .random(RANDOM).build();
        Chains.validate(oldLeaf, oldRoot.certificate(), Instant.parse("2020-06-01T00:00:00Z"));
        assertThrows(IllegalArgumentException.class, () -> HeldCertificate.builder().validity(notAfter, notBefore));
    }

    @Test
    void defaultValidityStartsAnHourAgoAndValidForSetsTheEnd() {
        Instant before = Instant.now();
        HeldCertificate held = HeldCertificate.builder().validFor(Duration.ofDays(2)).random(RANDOM).build();
        Instant notBefore = held.certificate().getNotBefore().toInstant();
        Instant notAfter = held.certificate().getNotAfter().toInstant();
        assertTrue(notBefore.isBefore(before.minus(Duration.ofMinutes(59))), notBefore.toString());
        assertEquals(Duration.ofDays(2).plusHours(1), Duration.between(notBefore, notAfter));
    }

    @Test
    void reusedKeyPairGivesASecondCertificateForTheSameKey() {
        HeldCertificate first = HeldCertificate.builder().serialNumberAttribute("D1").signedBy(root).random(RANDOM)
                .build();
        HeldCertificate second = HeldCertificate.builder().serialNumberAttribute("D1").keyPair(first.keyPair())
                .signedBy(root).random(RANDOM).build();
        assertEquals(first.publicKey(), second.publicKey());
        assertEquals(first.certificate().getPublicKey(), second.certificate().getPublicKey());
        assertNotEquals(first.certificate().getSerialNumber(), second.certificate().getSerialNumber());
        assertNotEquals(first, second);
    }

    @Test
    void serialNumbersArePositiveAndAtLeast64Bits() {
        HeldCertificate.Builder builder = HeldCertificate.builder().signedBy(root).random(RANDOM);
        BigInteger a = builder.build().certificate().getSerialNumber();
        BigInteger b = builder.build().certificate().getSerialNumber();
        assertTrue(a.signum() > 0 && a.bitLength() >= 64, a.toString(16));
        assertNotEquals(a, b);
    }

    @Test
    void p384IssuerSignsWithSha384AndRsaLeafGetsKeyEncipherment() throws Exception {
        HeldCertificate p384 = HeldCertificate.builder().certificateAuthority(0).keyType(KeyType.EC_P384)
                .random(RANDOM).build();
        assertEquals("SHA384WITHECDSA", p384.certificate().getSigAlgName().toUpperCase(java.util.Locale.ROOT));
        HeldCertificate rsa = HeldCertificate.builder().keyType(KeyType.RSA2048).signedBy(p384).random(RANDOM)
                .build();
        assertEquals(KeyType.RSA2048, rsa.keyType());
        assertEquals("SHA384WITHECDSA", rsa.certificate().getSigAlgName().toUpperCase(java.util.Locale.ROOT));
        assertTrue(rsa.certificate().getKeyUsage()[2], "keyEncipherment for RSA");
        Chains.validate(rsa, p384.certificate());
        assertTrue(Chains.keyWorks(rsa));
    }

    @Test
    void ofWrapsMatchingMaterialAndRejectsMismatches() throws Exception {
        HeldCertificate leaf = HeldCertificate.builder().signedBy(root).random(RANDOM).build();
        HeldCertificate copy = HeldCertificate.of(leaf.privateKey(), leaf.certificate(), leaf.issuerChain());
        assertEquals(leaf, copy);
        assertTrue(Chains.keyWorks(copy));

        HeldCertificate other = HeldCertificate.builder().random(RANDOM).build();
        IllegalArgumentException wrongKey = assertThrows(IllegalArgumentException.class,
                () -> HeldCertificate.of(other.privateKey(), leaf.certificate(), leaf.issuerChain()));
        assertTrue(wrongKey.getMessage().contains("does not match"), wrongKey.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> HeldCertificate.of(leaf.privateKey(), leaf.certificate(), List.of(other.certificate())));
    }

    @Test
    void subjectStringIsReadInRfc4514Order() {
        HeldCertificate held = HeldCertificate.builder().subject("CN=device,SERIALNUMBER=WI-3005,O=Example")
                .random(RANDOM).build();
        X500Name subject = X500Name.getInstance(held.certificate().getSubjectX500Principal().getEncoded());
        assertEquals(BCStyle.O, subject.getRDNs()[0].getFirst().getType(), "least specific RDN first in DER");
        assertEquals("WI-3005", subject.getRDNs(BCStyle.SERIALNUMBER)[0].getFirst().getValue().toString());
    }

    @Test
    void subjectMustBeADistinguishedName() {
        assertThrows(IllegalArgumentException.class, () -> HeldCertificate.builder().subject("not a dn"));
        assertThrows(IllegalArgumentException.class, () -> HeldCertificate.builder().certificateAuthority(-1));
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        String text = root.toString();
        assertTrue(text.contains("CN=Test Root") && text.contains("ec-p256"), text);
        assertFalse(text.contains("PRIVATE"), text);
    }

    private static ASN1Encodable serialNumberValue(X509Certificate cert) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] rdns = subject.getRDNs(BCStyle.SERIALNUMBER);
        assertEquals(1, rdns.length);
        return rdns[0].getFirst().getValue();
    }
}
