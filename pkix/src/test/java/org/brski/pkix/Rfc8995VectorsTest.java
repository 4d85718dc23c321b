package org.brski.pkix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RFC 8995 Appendix C certificates exercise every field quirk the GUIDE lists. */
class Rfc8995VectorsTest {
    private static final Instant AT = Instant.parse("2021-04-28T00:00:00Z");

    private static X509Certificate cert(String name) throws PkixException {
        try {
            return Pem.readCertificate(Path.of(Rfc8995VectorsTest.class.getResource("/rfc8995/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(Rfc8995VectorsTest.class.getResource("/rfc8995/" + name).toURI());
    }

    @Test
    void serialNumberIsReadWhateverItsStringType() throws PkixException {
        X509Certificate printable = cert("c1-5-pledge-idevid-cert.pem");
        X509Certificate utf8 = cert("c2-1-pvr-signer-idevid-cert.pem");
        assertEquals("00-D0-E5-F2-00-02", DeviceCertificates.serialNumber(printable).orElseThrow());
        assertEquals("00-D0-E5-F2-00-02", DeviceCertificates.serialNumber(utf8).orElseThrow());
        assertNotEquals(printable.getSubjectX500Principal(), utf8.getSubjectX500Principal(),
                "the JDK sees two different subjects, which is why DNs are never compared");
        assertTrue(DeviceCertificates.serialNumber(cert("c1-4-registrar-cert.pem")).isEmpty());
    }

    @Test
    void masaUrlWithoutSchemeBecomesAnHttpsBrskiBase() throws PkixException {
        X509Certificate idevid = cert("c1-5-pledge-idevid-cert.pem");
        assertEquals("highway-test.example.com:9443", DeviceCertificates.masaUrl(idevid).orElseThrow());
        assertEquals(URI.create("https://highway-test.example.com:9443/.well-known/brski"),
                DeviceCertificates.masaBaseUri(idevid).orElseThrow());
        assertTrue(DeviceCertificates.masaUrl(cert("c1-2-masa-cert.pem")).isEmpty());
    }

    @Test
    void registrarCertificateHasOnlyCmcRaAndNoSki() throws PkixException {
        X509Certificate registrar = cert("c1-4-registrar-cert.pem");
        assertTrue(DeviceCertificates.hasExtendedKeyUsage(registrar, DeviceCertificates.ID_KP_CMC_RA));
        assertFalse(DeviceCertificates.hasExtendedKeyUsage(registrar, DeviceCertificates.ID_KP_SERVER_AUTH));
        assertEquals("YaSFtiyZ25blFJFwZpMk+qiz80w=",
                Base64.getEncoder().encodeToString(DeviceCertificates.keyIdentifier(registrar)));
        assertEquals("Oy6w2vS8ar8m/FtEHuzs7sl7LSD3pW9yTCgCecoIL3M=",
                Base64.getEncoder().encodeToString(DeviceCertificates.spkiSha256(registrar)));
    }

    @Test
    void keyIdentifierPrefersTheExtension() throws PkixException {
        X509Certificate idevid = cert("c1-5-pledge-idevid-cert.pem");
        assertArrayEquals(DeviceCertificates.keyIdentifier(idevid),
                DeviceCertificates.keyIdentifier(cert("c2-1-pvr-signer-idevid-cert.pem")), "same key, same SKI");
    }

    @Test
    void chainsValidateAtTheRfcTimeAndNotToday() throws PkixException {
        X509Certificate vendor = cert("c1-1-manufacturer-ca-cert.pem");
        X509Certificate domainCa = cert("c1-3-registrar-ca-cert.pem");
        X509Certificate registrar = cert("c1-4-registrar-cert.pem");
        List<X509Certificate> path = CertPaths.validate(registrar, List.of(), List.of(domainCa), AT);
        assertEquals(List.of(registrar, domainCa), path);
        CertPaths.validate(cert("c1-2-masa-cert.pem"), List.of(), List.of(vendor), AT);
        CertPaths.validate(cert("c1-5-pledge-idevid-cert.pem"), List.of(vendor), List.of(vendor), AT);

        PkixException expired = assertThrows(PkixException.class,
                () -> CertPaths.validate(registrar, List.of(), List.of(domainCa), Instant.parse("2026-01-01T00:00:00Z")));
        assertTrue(expired.getMessage().contains("expired"), expired.getMessage());
        PkixException wrongAnchor = assertThrows(PkixException.class,
                () -> CertPaths.validate(registrar, List.of(), List.of(vendor), AT));
        assertTrue(wrongAnchor.getMessage().contains("does not chain"), wrongAnchor.getMessage());
        assertThrows(PkixException.class, () -> CertPaths.validate(registrar, List.of(), List.of(), AT));
    }

    @Test
    void aPinnedEndEntityCertificateIsItsOwnAnchor() throws PkixException {
        X509Certificate registrar = cert("c1-4-registrar-cert.pem");
        assertEquals(List.of(registrar), CertPaths.validate(registrar, List.of(), List.of(registrar), AT));
    }

    @Test
    void sec1AndPkcs8KeysReadAndSign(@TempDir Path dir) throws Exception {
        X509Certificate idevid = cert("c1-5-pledge-idevid-cert.pem");
        for (String file : List.of("c1-5-pledge-idevid-key.pem", "c1-5-pledge-idevid-key.pkcs8.pem")) {
            PrivateKey key = Pem.readPrivateKey(resource(file));
            Signature signer = Signature.getInstance("SHA256withECDSA", Crypto.provider());
            signer.initSign(key);
            signer.update(new byte[] {1, 2, 3});
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA", Crypto.provider());
            verifier.initVerify(idevid.getPublicKey());
            verifier.update(new byte[] {1, 2, 3});
            assertTrue(verifier.verify(sig), file);
        }
        PrivateKey key = Pem.readPrivateKey(resource("c1-5-pledge-idevid-key.pem"));
        Path out = dir.resolve("k.pem");
        Pem.writePrivateKey(out, key);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertArrayEquals(key.getEncoded(), Pem.readPrivateKey(out).getEncoded());
    }

    @Test
    void garbageIsRefusedWithTheFileName(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.pem");
        Files.writeString(junk, "hello");
        PkixException e = assertThrows(PkixException.class, () -> Pem.readCertificates(junk));
        assertTrue(e.getMessage().contains("junk.pem"), e.getMessage());
        assertThrows(PkixException.class, () -> Pem.readPrivateKey(junk));
        assertThrows(PkixException.class, () -> Pem.readPrivateKey(dir.resolve("missing.pem")));
        assertThrows(PkixException.class, () -> Pem.parsePrivateKey(Pem.encodeCertificate(cert("c1-2-masa-cert.pem")), "x"));
    }
}
