package org.brski.fieldbus.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.pki.HeldCertificate;
import org.brski.pki.KeyType;
import org.brski.pkix.Crypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 6031 packages, their CMS EnvelopedData form and the domain key derivation. */
class KeyPackageTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] MASTER = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] PK = HEX.parseHex("8c1f3a9e27d04b6655e19a0f3c7b2d41");

    private static SymmetricKeyPackage sample() {
        DomainKeyDerivation domain = DomainKeyDerivation.of(MASTER);
        return SymmetricKeyPackage.of("press-7", List.of(domain.integratorKey("press-7", 3),
                domain.operatorKey("press-7", 3), PackagedKey.provisioning(0x00C0FFEEL, PK, 0x1234ABCDL)));
    }

    @Test
    void derivationIsDeterministicAndSeparatesMachinesRevisionsAndRoles() {
        DomainKeyDerivation domain = DomainKeyDerivation.of(MASTER);
        PackagedKey ik = domain.integratorKey("press-7", 1);
        assertEquals(ik, DomainKeyDerivation.of(MASTER).integratorKey("press-7", 1));
        assertFalse(ik.sameKey(domain.integratorKey("press-8", 1)));
        assertFalse(ik.sameKey(domain.integratorKey("press-7", 2)));
        assertNotEquals(ik.keyId(), domain.integratorKey("press-7", 2).keyId());
        assertFalse(ik.sameKey(domain.operatorKey("press-7", 1)));
        assertFalse(ik.sameKey(DomainKeyDerivation.of(new byte[32]).integratorKey("press-7", 1)));
        assertEquals(16, ik.key().length);
        assertTrue(ik.keyId() != 0 && ik.keyId() != 0xFFFFFFFFL);
        assertEquals(1, ik.revision());
        assertThrows(IllegalArgumentException.class, () -> DomainKeyDerivation.of(new byte[16]));
    }

    @Test
    void derivationMatchesHkdfOfTheDocumentedContext() {
        byte[] info = new byte[] { 'i', 'n', 't', 'e', 'g', 'r', 'a', 't', 'o', 'r', 0, 'm', 0, 0, 0, 0, 5 };
        byte[] expected = org.brski.fieldbus.crypto.Hkdf.derive(MASTER, "brski-fieldbus-v1".getBytes(), info, 16);
        assertArrayEquals(expected, DomainKeyDerivation.of(MASTER).integratorKey("m", 5).key());
    }

    @Test
    void packageRoundTripsThroughDer() throws FieldbusException {
        SymmetricKeyPackage pkg = sample();
        SymmetricKeyPackage back = SymmetricKeyPackage.decode(pkg.encoded());
        assertEquals(pkg, back);
        assertEquals("press-7", back.machineId());
        assertEquals(3, back.key(KeyRole.INTEGRATOR).orElseThrow().revision());
        assertArrayEquals(PK, back.provisioningKey(0x00C0FFEEL).orElseThrow().key());
        assertEquals(0x1234ABCDL, back.provisioningKey(0x00C0FFEEL).orElseThrow().keyId());
        assertTrue(back.provisioningKey(1).isEmpty());
    }

    @Test
    void toStringNeverShowsKeyBytes() {
        String text = sample().toString();
        assertFalse(text.toLowerCase().contains(HEX.formatHex(PK)), text);
        assertTrue(text.contains("1234ABCD"), text);
        String ik = HEX.formatHex(sample().key(KeyRole.INTEGRATOR).orElseThrow().key());
        assertFalse(text.contains(ik), text);
    }

    @Test
    void packageRulesAreEnforcedWhenBuilding() {
        PackagedKey ik = DomainKeyDerivation.of(MASTER).integratorKey("m", 1);
        assertThrows(IllegalArgumentException.class, () -> SymmetricKeyPackage.of("m", List.of()));
        assertThrows(IllegalArgumentException.class, () -> SymmetricKeyPackage.of("", List.of(ik)));
        assertThrows(IllegalArgumentException.class, () -> SymmetricKeyPackage.of("a\nb", List.of(ik)));
        assertThrows(IllegalArgumentException.class, () -> SymmetricKeyPackage.of("m",
                List.of(ik, DomainKeyDerivation.of(MASTER).integratorKey("m", 2))));
        assertThrows(IllegalArgumentException.class, () -> SymmetricKeyPackage.of("m",
                List.of(PackagedKey.provisioning(7, PK, 1), PackagedKey.provisioning(7, PK, 2))));
        assertThrows(IllegalArgumentException.class, () -> PackagedKey.provisioning(7, PK, 0));
        assertThrows(IllegalArgumentException.class, () -> PackagedKey.provisioning(7, PK, 0xFFFFFFFFL));
        assertThrows(IllegalArgumentException.class, () -> PackagedKey.provisioning(7, new byte[15], 1));
        assertThrows(IllegalArgumentException.class, () -> PackagedKey.provisioning(1L << 32, PK, 1));
    }

    @Test
    void decodingRefusesMalformedPackages() throws Exception {
        byte[] good = sample().encoded();
        assertMalformed(Arrays.copyOf(good, good.length - 1));
        assertMalformed(new byte[] { 0x30, 0x00 });
        assertMalformed(new byte[SymmetricKeyPackage.MAX_BYTES + 1]);
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        assertMalformed(trailing);
        // the same package without its machine binding
        ASN1Sequence seq = ASN1Sequence.getInstance(good);
        assertMalformed(new DERSequence(seq.getObjectAt(1)).getEncoded(ASN1Encoding.DER));
        // a key whose reference names an unknown role
        byte[] odd = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("operator/r3", "operatoR/r3").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertMalformed(odd);
        // a reserved Key ID smuggled in
        byte[] reserved = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("1234abcd", "ffffffff").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertMalformed(reserved);
        // a second Integrator Key (same reference prefix) inside one package
        ASN1Sequence keys = ASN1Sequence.getInstance(seq.getObjectAt(1));
        ASN1Encodable[] twice = { keys.getObjectAt(0), keys.getObjectAt(0) };
        assertMalformed(new DERSequence(new ASN1Encodable[] { seq.getObjectAt(0), new DERSequence(twice) })
                .getEncoded(ASN1Encoding.DER));
    }

    /** The largest package {@code of} accepts must decode again (MAX_KEYS used to allow ~880 KB, above MAX_BYTES). */
    @Test
    void everyPackageThatCanBeBuiltCanBeDecoded() throws FieldbusException {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 37 + 11);
        }
        List<PackagedKey> keys = new java.util.ArrayList<>();
        keys.add(PackagedKey.integrator(key, 0xFFFFFFFEL, 999_999_999));
        keys.add(PackagedKey.operator(key, 0xFFFFFFFEL, 999_999_999));
        for (long serial = 0; keys.size() < SymmetricKeyPackage.MAX_KEYS; serial++) {
            keys.add(PackagedKey.provisioning(0xFFFFFFFFL - serial, key, 0xFFFFFFFEL));
        }
        SymmetricKeyPackage largest = SymmetricKeyPackage.of("\u20ac".repeat(128), keys);
        byte[] der = largest.encoded();
        assertTrue(der.length <= SymmetricKeyPackage.MAX_BYTES, der.length + " bytes");
        assertEquals(largest, SymmetricKeyPackage.decode(der));
    }

    /** Any revision PackagedKey accepts (0..Integer.MAX_VALUE) round-trips; 10-digit revisions used to be refused. */
    @Test
    void largestRevisionRoundTrips() throws FieldbusException {
        DomainKeyDerivation domain = DomainKeyDerivation.of(MASTER);
        SymmetricKeyPackage pkg = SymmetricKeyPackage.of("press-7", List.of(
                domain.integratorKey("press-7", Integer.MAX_VALUE), domain.operatorKey("press-7", 1_000_000_000)));
        assertEquals(pkg, SymmetricKeyPackage.decode(pkg.encoded()));
        // one above Integer.MAX_VALUE is still refused as malformed
        byte[] tooBig = new String(pkg.encoded(), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("integrator/r2147483647", "integrator/r2147483648")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertMalformed(tooBig);
    }

    /** Empty attribute SEQUENCEs used to escape as ArrayIndexOutOfBoundsException instead of malformed-key-package. */
    @Test
    void emptyAttributeSequencesAreMalformedNotUncheckedErrors() throws Exception {
        ASN1Sequence seq = ASN1Sequence.getInstance(sample().encoded());
        ASN1Encodable keys = seq.getObjectAt(1);
        // an empty package attribute
        assertMalformed(new DERSequence(new ASN1Encodable[] {
            new DERTaggedObject(false, 0, new DERSequence(new DERSequence())), keys }).getEncoded(ASN1Encoding.DER));
        // an empty key attribute, and an empty friendly-name SEQUENCE
        ASN1Sequence first = ASN1Sequence.getInstance(ASN1Sequence.getInstance(keys).getObjectAt(0));
        ASN1Encodable keyBytes = first.getObjectAt(1);
        ASN1Encodable[] emptyAttr = { new DERSequence(new DERSequence()), keyBytes };
        assertMalformed(new DERSequence(new ASN1Encodable[] { seq.getObjectAt(0),
            new DERSequence(new DERSequence(emptyAttr)) }).getEncoded(ASN1Encoding.DER));
        ASN1Encodable emptyName = new DERSequence(new ASN1Encodable[] { SymmetricKeyPackage.FRIENDLY_NAME,
            new DERSet(new DERSequence()) });
        ASN1Encodable[] badName = { new DERSequence(emptyName), keyBytes };
        assertMalformed(new DERSequence(new ASN1Encodable[] { seq.getObjectAt(0),
            new DERSequence(new DERSequence(badName)) }).getEncoded(ASN1Encoding.DER));
    }

    private static void assertMalformed(byte[] der) {
        FieldbusException e = assertThrows(FieldbusException.class, () -> SymmetricKeyPackage.decode(der));
        assertEquals("malformed-key-package", e.reason());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void envelopedToACertificateOpensOnlyWithItsKey(KeyType type) throws FieldbusException {
        HeldCertificate ca = HeldCertificate.builder().commonName("domain CA").keyType(type).certificateAuthority(0)
                .build();
        HeldCertificate ldevid = HeldCertificate.builder().commonName("controller").keyType(type).signedBy(ca).build();
        HeldCertificate other = HeldCertificate.builder().commonName("other").keyType(type).signedBy(ca).build();
        SymmetricKeyPackage pkg = sample();
        byte[] cms = KeyPackageCms.envelope(pkg, ldevid.certificate());
        assertEquals(pkg, KeyPackageCms.open(cms, ldevid.privateKey(), ldevid.certificate()));
        assertFalse(new String(cms, java.nio.charset.StandardCharsets.ISO_8859_1).contains("press-7"),
                "the machine id must be inside the encrypted content");
        FieldbusException notMine = assertThrows(FieldbusException.class,
                () -> KeyPackageCms.open(cms, other.privateKey(), other.certificate()));
        assertEquals("not-for-this-recipient", notMine.reason());
        FieldbusException wrongKey = assertThrows(FieldbusException.class,
                () -> KeyPackageCms.open(cms, other.privateKey(), ldevid.certificate()));
        assertEquals("decryption-failed", wrongKey.reason());
        // every package uses fresh randomness (ephemeral ECDH key or OAEP seed, IV)
        assertFalse(Arrays.equals(cms, KeyPackageCms.envelope(pkg, ldevid.certificate())));
    }

    @Test
    void tamperedOrForeignCmsIsRefused() throws FieldbusException {
        HeldCertificate ldevid = HeldCertificate.builder().commonName("controller").build();
        byte[] cms = KeyPackageCms.envelope(sample(), ldevid.certificate());
        FieldbusException garbage = assertThrows(FieldbusException.class,
                () -> KeyPackageCms.open(new byte[] { 1, 2, 3 }, ldevid.privateKey(), ldevid.certificate()));
        assertEquals("malformed-cms", garbage.reason());
        byte[] tampered = cms.clone();
        tampered[tampered.length - 5] ^= 0x40; // inside the encrypted content: padding or package breaks
        FieldbusException broken = assertThrows(FieldbusException.class,
                () -> KeyPackageCms.open(tampered, ldevid.privateKey(), ldevid.certificate()));
        assertTrue(List.of("decryption-failed", "malformed-key-package", "malformed-cms").contains(broken.reason()), broken.reason());
        FieldbusException big = assertThrows(FieldbusException.class, () -> KeyPackageCms.open(
                new byte[KeyPackageCms.MAX_BYTES + 1], ldevid.privateKey(), ldevid.certificate()));
        assertEquals("malformed-cms", big.reason());
    }

    @Test
    void otherInnerContentTypesAreRefused() throws Exception {
        HeldCertificate holder = HeldCertificate.builder().commonName("controller").build();
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", Crypto.provider());
        kpg.initialize(((ECPublicKey) holder.publicKey()).getParams());
        KeyPair eph = kpg.generateKeyPair();
        generator.addRecipientInfoGenerator(new JceKeyAgreeRecipientInfoGenerator(
                CMSAlgorithm.ECDH_SHA256KDF, eph.getPrivate(), eph.getPublic(),
                CMSAlgorithm.AES256_WRAP).addRecipient(holder.certificate())
                .setProvider(Crypto.provider()));
        byte[] cms = generator.generate(new CMSProcessableByteArray(
                new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.40"), sample().encoded()),
                new JceCMSContentEncryptorBuilder(
                        CMSAlgorithm.AES256_CBC).setProvider(Crypto.provider())
                        .build()).getEncoded();
        FieldbusException e = assertThrows(FieldbusException.class,
                () -> KeyPackageCms.open(cms, holder.privateKey(), holder.certificate()));
        assertEquals("unsupported-content-type", e.reason());
    }
}
