package org.brski.registrar.fieldbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.keys.PackagedKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PKCS#12 master key store: creation, loading, refusals, Provisioning Key wrapping bound to machine and node. */
class FileDomainKeyStoreTest {
    private static final byte[] PK = HexFormat.of().parseHex("8f3a1c2b9e7d6054a1b2c3d4e5f60718");

    @TempDir
    Path dir;

    private static char[] password() {
        return FieldbusTestKeys.PASSWORD.toCharArray();
    }

    @Test
    void createThenLoadDerivesTheSameKeysAsTheDesignFromTheStoredMaster() throws Exception {
        Path file = FieldbusTestKeys.createStore(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        FileDomainKeyStore loaded = FileDomainKeyStore.load(file, password());
        PackagedKey ik = loaded.integratorKey("press-7", 3);
        PackagedKey expected = FieldbusTestKeys.independentDerivation(file).integratorKey("press-7", 3);
        assertTrue(ik.sameKey(expected));
        assertEquals(expected.keyId(), ik.keyId());
        assertEquals(3, ik.revision());
        assertFalse(loaded.operatorKey("press-7", 3).sameKey(ik), "the Operator Key differs from the Integrator Key");
        assertFalse(loaded.toString().contains(HexFormat.of().formatHex(ik.key())));
    }

    @Test
    void twoStoresHaveDifferentMasters() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        FileDomainKeyStore a = FileDomainKeyStore.load(FieldbusTestKeys.createStore(dir), password());
        FileDomainKeyStore b = FileDomainKeyStore.load(FieldbusTestKeys.createStore(other), password());
        assertFalse(a.integratorKey("m", 1).sameKey(b.integratorKey("m", 1)));
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        Path file = FieldbusTestKeys.createStore(dir);
        FieldbusException e = assertThrows(FieldbusException.class,
                () -> FileDomainKeyStore.load(file, "not the password".toCharArray()));
        assertEquals("wrong-password", e.reason());
        assertFalse(e.getMessage().contains(FieldbusTestKeys.PASSWORD));
    }

    @Test
    void missingOrForeignFilesAreRefused() throws Exception {
        assertEquals("key-store-missing", assertThrows(FieldbusException.class,
                () -> FileDomainKeyStore.load(dir.resolve("absent.p12"), password())).reason());
        Path junk = Files.write(dir.resolve("junk.p12"), "not pkcs12".getBytes(StandardCharsets.US_ASCII));
        assertEquals("wrong-password", assertThrows(FieldbusException.class,
                () -> FileDomainKeyStore.load(junk, password())).reason());
        Path empty = Files.createFile(dir.resolve("empty.pass"));
        assertEquals("bad-password-file", assertThrows(FieldbusException.class,
                () -> FileDomainKeyStore.readPassword(empty)).reason());
    }

    @Test
    void neverOverwritesAnExistingFile() throws Exception {
        Path file = FieldbusTestKeys.createStore(dir);
        byte[] before = Files.readAllBytes(file);
        FieldbusException e = assertThrows(FieldbusException.class,
                () -> FileDomainKeyStore.create(file, password()));
        assertEquals("key-store-exists", e.reason());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void passwordFileLosesOnlyItsTrailingLineBreak() throws Exception {
        Path crlf = Files.write(dir.resolve("p"), "pw with space \r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("pw with space ", new String(FileDomainKeyStore.readPassword(crlf)));
    }

    @Test
    void wrapUnwrapRoundTripWithFreshIvs() throws Exception {
        FileDomainKeyStore keys = FileDomainKeyStore.load(FieldbusTestKeys.createStore(dir), password());
        byte[] a = keys.wrapProvisioningKey("press-7", 0x12345678L, PK);
        byte[] b = keys.wrapProvisioningKey("press-7", 0x12345678L, PK);
        assertNotEquals(HexFormat.of().formatHex(a), HexFormat.of().formatHex(b), "random IV per wrap");
        assertFalse(HexFormat.of().formatHex(a).contains(HexFormat.of().formatHex(PK)), "never in clear");
        assertArrayEquals(PK, keys.unwrapProvisioningKey("press-7", 0x12345678L, a));
        assertArrayEquals(PK, keys.unwrapProvisioningKey("press-7", 0x12345678L, b));
    }

    @Test
    void wrappedKeyIsBoundToItsNodeMachineAndStore() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        FileDomainKeyStore keys = FileDomainKeyStore.load(FieldbusTestKeys.createStore(dir), password());
        FileDomainKeyStore foreign = FileDomainKeyStore.load(FieldbusTestKeys.createStore(other), password());
        byte[] wrapped = keys.wrapProvisioningKey("press-7", 42, PK);
        assertEquals("unwrap-failed", assertThrows(FieldbusException.class,
                () -> keys.unwrapProvisioningKey("press-7", 43, wrapped)).reason());
        assertEquals("unwrap-failed", assertThrows(FieldbusException.class,
                () -> keys.unwrapProvisioningKey("press-8", 42, wrapped)).reason());
        assertEquals("unwrap-failed", assertThrows(FieldbusException.class,
                () -> foreign.unwrapProvisioningKey("press-7", 42, wrapped)).reason());
        byte[] tampered = wrapped.clone();
        tampered[tampered.length - 1] ^= 1;
        assertEquals("unwrap-failed", assertThrows(FieldbusException.class,
                () -> keys.unwrapProvisioningKey("press-7", 42, tampered)).reason());
        assertEquals("wrong-key-length", assertThrows(FieldbusException.class,
                () -> keys.wrapProvisioningKey("press-7", 42, new byte[15])).reason());
    }
}
