package org.brski.pkix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** {@link CertPaths#validateAtSomeTime}: path validation for a device that does not know the current time. */
class CertPathsAtSomeTimeTest {
    private static final AtomicLong SERIALS = new AtomicLong(1);
    private static final Instant Y2010 = Instant.parse("2010-01-01T00:00:00Z");
    private static final Instant Y2012 = Instant.parse("2012-01-01T00:00:00Z");
    private static final Instant Y2015 = Instant.parse("2015-01-01T00:00:00Z");
    private static final Instant Y2020 = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant Y2030 = Instant.parse("2030-01-01T00:00:00Z");

    record Held(KeyPair keys, X509Certificate certificate) {
    }

    static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Crypto.provider());
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A certificate for {@code name}, issued by {@code issuer} (self-signed when null), valid from..to. */
    static Held issue(String name, Held issuer, Integer caPathLen, Instant from, Instant to) throws Exception {
        KeyPair keys = keys();
        X500Name subject = new X500Name("CN=" + name);
        X500Name issuerName = issuer == null ? subject
                : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                BigInteger.valueOf(SERIALS.getAndIncrement()), Date.from(from), Date.from(to), subject,
                keys.getPublic());
        if (caPathLen != null) {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(caPathLen));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        }
        KeyPair signing = issuer == null ? keys : issuer.keys();
        X509Certificate certificate = new JcaX509CertificateConverter().setProvider(Crypto.provider()).getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Crypto.provider())
                        .build(signing.getPrivate())));
        return new Held(keys, certificate);
    }

    @Test
    void aChainThatWasValidOnlyInThePastValidates() throws Exception {
        Held root = issue("Root", null, 1, Y2010, Y2020);
        Held sub = issue("Sub", root, 0, Y2012, Y2020);
        Held leaf = issue("Leaf", sub, null, Y2015, Y2020);

        assertThrows(PkixException.class, () -> CertPaths.validate(leaf.certificate(), List.of(sub.certificate()),
                List.of(root.certificate()), Instant.parse("2025-01-01T00:00:00Z")), "expired today");
        List<X509Certificate> path = CertPaths.validateAtSomeTime(leaf.certificate(), List.of(sub.certificate()),
                List.of(root.certificate()));
        assertEquals(List.of(leaf.certificate(), sub.certificate(), root.certificate()), path);
    }

    @Test
    void aChainValidInTheFutureOnlyAlsoValidates() throws Exception {
        Held root = issue("Root", null, 0, Y2010, Y2030);
        Held leaf = issue("Leaf", root, null, Instant.parse("2029-01-01T00:00:00Z"), Y2030);
        assertEquals(2, CertPaths.validateAtSomeTime(leaf.certificate(), List.of(), List.of(root.certificate()))
                .size());
    }

    @Test
    void validityWindowsThatNeverOverlapAreRefused() throws Exception {
        Held root = issue("Root", null, 1, Y2010, Y2012);
        Held sub = issue("Sub", root, 0, Y2010, Y2030);
        Held leaf = issue("Leaf", sub, null, Y2015, Y2030);
        PkixException e = assertThrows(PkixException.class, () -> CertPaths.validateAtSomeTime(leaf.certificate(),
                List.of(sub.certificate()), List.of(root.certificate())));
        assertTrue(e.getMessage().contains("never valid at the same time"), e.getMessage());
        assertTrue(e.getMessage().contains("Root") && e.getMessage().contains("Leaf"), e.getMessage());
    }

    @Test
    void theAnchorsValidityCounts() throws Exception {
        Held root = issue("Root", null, 0, Y2020, Y2030);
        Held leaf = issue("Leaf", root, null, Y2010, Y2015); // issued (back-dated) outside the anchor's window
        assertThrows(PkixException.class, () -> CertPaths.validateAtSomeTime(leaf.certificate(), List.of(),
                List.of(root.certificate())));
    }

    @Test
    void signaturesAndPathRulesAreStillEnforced() throws Exception {
        Held root = issue("Root", null, 1, Y2010, Y2030);
        Held other = issue("Root", null, 1, Y2010, Y2030); // same name, other key
        Held leaf = issue("Leaf", other, null, Y2015, Y2020);
        PkixException untrusted = assertThrows(PkixException.class,
                () -> CertPaths.validateAtSomeTime(leaf.certificate(), List.of(), List.of(root.certificate())));
        assertTrue(untrusted.getMessage().contains("does not chain to a trusted anchor"), untrusted.getMessage());

        Held endEntity = issue("Not a CA", root, null, Y2010, Y2030);
        Held issuedByEndEntity = issue("Victim", endEntity, null, Y2015, Y2020);
        PkixException notCa = assertThrows(PkixException.class, () -> CertPaths.validateAtSomeTime(
                issuedByEndEntity.certificate(), List.of(endEntity.certificate()), List.of(root.certificate())));
        assertTrue(notCa.getMessage().contains("does not validate"), notCa.getMessage());

        Held pathLenZero = issue("Sub0", root, 0, Y2010, Y2030);
        Held subSub = issue("SubSub", pathLenZero, 0, Y2010, Y2030);
        Held deep = issue("Deep", subSub, null, Y2015, Y2020);
        assertThrows(PkixException.class, () -> CertPaths.validateAtSomeTime(deep.certificate(),
                List.of(pathLenZero.certificate(), subSub.certificate()), List.of(root.certificate())));

        assertThrows(PkixException.class, () -> CertPaths.validateAtSomeTime(leaf.certificate(), List.of(),
                List.of()));
    }

    @Test
    void aPinnedLeafIsItsOwnPath() throws Exception {
        Held root = issue("Root", null, 0, Y2010, Y2012);
        Held leaf = issue("Leaf", root, null, Y2010, Y2012);
        assertEquals(List.of(leaf.certificate()), CertPaths.validateAtSomeTime(leaf.certificate(), List.of(),
                List.of(leaf.certificate())));
    }
}
