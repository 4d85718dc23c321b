package org.brski.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.brski.pkix.Pem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiFilesTest {
    private static TestPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        pki = TestPki.builder().masaUrl("masa.example.com:9443").serials("BRSKI-0001", "00-D0-E5-F2-00-02").build();
    }

    @Test
    void writeThenReadGivesTheSamePkiWithUsableKeys() throws Exception {
        PkiFiles.write(pki, dir, false);
        TestPki read = PkiFiles.read(dir);

        assertEquals(pki, read);
        assertEquals(pki.keyType(), read.keyType());
        assertEquals(pki.masaUrl(), read.masaUrl());
        assertEquals(pki.serials(), read.serials());
        List<HeldCertificate> before = roles(pki);
        List<HeldCertificate> after = roles(read);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i).certificate().getEncoded(), after.get(i).certificate().getEncoded());
            assertEquals(before.get(i).issuerChain(), after.get(i).issuerChain());
            assertTrue(Chains.keyWorks(after.get(i)), after.get(i).toString());
            Chains.validate(after.get(i), after.get(i).root());
        }
        // The loaded CAs still issue: a new IDevID and an LDevID.
        Chains.validate(read.issuePledge("LATER-1"), pki.manufacturerCa().certificate());
        HeldCertificate pledge = read.pledge("00-D0-E5-F2-00-02");
        X509Certificate ldevid = read.issueLdevid(TestPkiTest.csr(new X500Name("CN=ldevid"), pledge.publicKey(),
                pledge.privateKey()), Duration.ofDays(1));
        Chains.validate(List.of(ldevid), pki.domainCa().certificate(), java.time.Instant.now());
    }

    @Test
    void manifestNamesEveryRolesFilesRelativeToTheDirectory() throws Exception {
        PkiFiles.write(pki, dir, false);
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("pki.json").toFile());
        assertEquals(1, manifest.get("version").intValue());
        assertEquals("ec-p256", manifest.get("keyType").asText());
        assertEquals("masa.example.com:9443", manifest.get("masaUrl").asText());
        assertEquals("manufacturer-ca.pem", manifest.get("manufacturerCa").get("cert").asText());
        assertEquals("manufacturer-ca.key", manifest.get("manufacturerCa").get("key").asText());
        for (String role : List.of("masaSigner", "masaTls", "domainCa", "registrar")) {
            assertTrue(Files.isRegularFile(dir.resolve(manifest.get(role).get("cert").asText())), role);
            assertTrue(Files.isRegularFile(dir.resolve(manifest.get(role).get("key").asText())), role);
        }
        List<X509Certificate> chain = Pem.readCertificates(dir.resolve(manifest.get("registrar").get("chain").asText()));
        assertEquals(pki.registrar().chainWithSelf(), chain);
        JsonNode pledge = manifest.get("pledges").get(1);
        assertEquals("00-D0-E5-F2-00-02", pledge.get("serial").asText());
        assertEquals("pledges/00-D0-E5-F2-00-02/idevid.pem", pledge.get("cert").asText());
        assertEquals("pledges/00-D0-E5-F2-00-02/idevid.key", pledge.get("key").asText());
        assertEquals(pki.pledge("00-D0-E5-F2-00-02").certificate(), Pem.readCertificate(dir.resolve(pledge.get("cert").asText())));
        String keyPem = Files.readString(dir.resolve("registrar.key"));
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("pledges/BRSKI-0001/idevid.key"))));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("domain-ca.key"))));
        }
    }

    @Test
    void refusesToOverwriteWithoutForce() throws Exception {
        PkiFiles.write(pki, dir, false);
        TestPki other = TestPki.builder().pledges(1).build();
        PkiException e = assertThrows(PkiException.class, () -> PkiFiles.write(other, dir, false));
        assertTrue(e.getMessage().contains("pki.json") && e.getMessage().contains("force"), e.getMessage());
        assertEquals(pki, PkiFiles.read(dir));

        PkiFiles.write(other, dir, true);
        TestPki read = PkiFiles.read(dir);
        assertEquals(other, read);
        assertNotEquals(pki.manufacturerCa(), read.manufacturerCa());
    }

    @Test
    void missingOrBrokenManifestIsReportedClearly() throws Exception {
        PkiException missing = assertThrows(PkiException.class, () -> PkiFiles.read(dir));
        assertTrue(missing.getMessage().contains("pki.json"), missing.getMessage());

        Files.writeString(dir.resolve("pki.json"), "{\"version\":1,");
        PkiException broken = assertThrows(PkiException.class, () -> PkiFiles.read(dir));
        assertTrue(broken.getMessage().contains("pki.json") && broken.getMessage().contains("not valid JSON"),
                broken.getMessage());

        PkiFiles.write(pki, dir, true);
        ObjectNode manifest = (ObjectNode) new ObjectMapper().readTree(dir.resolve("pki.json").toFile());
        manifest.put("version", 2);
        assertReadFails(manifest, "version");
        manifest.put("version", 1);
        ((ObjectNode) manifest.get("registrar")).remove("key");
        assertReadFails(manifest, "registrar.key");
        PkiFiles.write(pki, dir, true);
        manifest = (ObjectNode) new ObjectMapper().readTree(dir.resolve("pki.json").toFile());
        manifest.put("keyType", "dsa1024");
        assertReadFails(manifest, "dsa1024");
    }

    @Test
    void missingOrMismatchedFilesAreNamed() throws Exception {
        PkiFiles.write(pki, dir, false);
        Files.delete(dir.resolve("masa-signer.pem"));
        PkiException missing = assertThrows(PkiException.class, () -> PkiFiles.read(dir));
        assertTrue(missing.getMessage().contains("masa-signer.pem"), missing.getMessage());

        PkiFiles.write(pki, dir, true);
        Files.copy(dir.resolve("masa-tls.key"), dir.resolve("registrar.key"), StandardCopyOption.REPLACE_EXISTING);
        PkiException mismatch = assertThrows(PkiException.class, () -> PkiFiles.read(dir));
        assertTrue(mismatch.getMessage().contains("registrar.key") && mismatch.getMessage().contains("does not match"),
                mismatch.getMessage());

        PkiFiles.write(pki, dir, true);
        Files.writeString(dir.resolve("domain-ca.pem"), "garbage", StandardCharsets.US_ASCII);
        PkiException garbage = assertThrows(PkiException.class, () -> PkiFiles.read(dir));
        assertTrue(garbage.getMessage().contains("domain-ca.pem"), garbage.getMessage());

        PkiFiles.write(pki, dir, true);
        Files.copy(dir.resolve("domain-ca.pem"), dir.resolve("manufacturer-ca.pem"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("domain-ca.key"), dir.resolve("manufacturer-ca.key"),
                StandardCopyOption.REPLACE_EXISTING);
        PkiException wrongIssuer = assertThrows(PkiException.class, () -> PkiFiles.read(dir));
        assertTrue(wrongIssuer.getMessage().contains("masaSigner") && wrongIssuer.getMessage().contains("not signed"),
                wrongIssuer.getMessage());
    }

    @Test
    void manifestPathsCannotLeaveTheDirectory() throws Exception {
        PkiFiles.write(pki, dir.resolve("pki"), false);
        Files.copy(dir.resolve("pki/registrar.pem"), dir.resolve("outside.pem"));
        ObjectNode manifest = (ObjectNode) new ObjectMapper().readTree(dir.resolve("pki/pki.json").toFile());
        ((ObjectNode) manifest.get("registrar")).put("cert", "../outside.pem");
        Files.writeString(dir.resolve("pki/pki.json"), manifest.toString());
        PkiException e = assertThrows(PkiException.class, () -> PkiFiles.read(dir.resolve("pki")));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void serialsThatAreNotSafeDirectoryNamesAreRefused() throws Exception {
        for (String serial : List.of("../evil", "a/b", "..", "c:\\d")) {
            TestPki bad = TestPki.builder().serials(serial).build();
            PkiException e = assertThrows(PkiException.class, () -> PkiFiles.write(bad, dir, true), serial);
            assertTrue(e.getMessage().contains(serial), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("pki.json")));
        assertFalse(Files.exists(dir.getParent().resolve("evil")));
    }

    @Test
    void manifestSerialMustMatchTheIdevid() throws Exception {
        PkiFiles.write(pki, dir, false);
        ObjectNode manifest = (ObjectNode) new ObjectMapper().readTree(dir.resolve("pki.json").toFile());
        ((ObjectNode) manifest.get("pledges").get(0)).put("serial", "SOMEONE-ELSE");
        assertReadFails(manifest, "SOMEONE-ELSE");
    }

    private void assertReadFails(JsonNode manifest, String expected) throws Exception {
        Files.writeString(dir.resolve("pki.json"), manifest.toString());
        PkiException e = assertThrows(PkiException.class, () -> PkiFiles.read(dir));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static List<HeldCertificate> roles(TestPki p) {
        List<HeldCertificate> all = new java.util.ArrayList<>(List.of(p.manufacturerCa(), p.masaSigner(), p.masaTls(),
                p.domainCa(), p.registrar()));
        all.addAll(p.pledges());
        return all;
    }
}
