package org.brski.registrar.fieldbus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.keys.DomainKeyDerivation;
import org.brski.fieldbus.keys.PackagedKey;
import org.brski.pkix.Crypto;

/**
 * A {@link DomainKeyStore} whose master is one AES-256 secret key entry {@value #ALIAS} in a password-protected
 * PKCS#12 file (PBES2/AES, read and written with Bouncy Castle's KeyStore: the JDK's cannot read secret-key bags
 * written by BC). The password comes from a file, never from a command line or a log. Provisioning Keys are wrapped
 * with AES-256-GCM under {@code KEK = HKDF-SHA-256(master, salt "brski-fieldbus-v1", info "pk-wrap", 32)}, a random
 * 96-bit IV and AAD {@code UTF-8(machine id) || node serial (4 bytes, big-endian)}; the blob is
 * {@code 0x01 || IV || ciphertext || tag}. The master itself never leaves this object.
 */
public final class FileDomainKeyStore implements DomainKeyStore {
    /** Alias of the master key entry. */
    public static final String ALIAS = "brski-fieldbus-master";
    /** Longest password file read. */
    public static final int MAX_PASSWORD_BYTES = 1024;

    private static final String WRAP_PURPOSE = "pk-wrap";
    private static final byte WRAP_VERSION = 0x01;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_WRAPPED = 1 + IV_BYTES + 32 + TAG_BITS / 8;

    private final DomainKeyDerivation derivation;
    private final SecretKey kek;
    private final SecureRandom random = Crypto.newSecureRandom();

    private FileDomainKeyStore(byte[] master) {
        this.derivation = DomainKeyDerivation.of(master);
        byte[] kekBytes = derivation.purposeKey(WRAP_PURPOSE, 32);
        this.kek = new SecretKeySpec(kekBytes, "AES");
        Arrays.fill(kekBytes, (byte) 0);
    }

    /**
     * Generates a new random master and writes it to {@code file} (mode 0600 where the file system has POSIX modes).
     *
     * @throws FieldbusException {@code key-store-exists} when the file exists (never overwritten: that would lose every
     *                           machine's keys), {@code key-store-unwritable} on I/O failure
     */
    public static FileDomainKeyStore create(Path file, char[] password) throws FieldbusException {
        Objects.requireNonNull(file, "file");
        checkPassword(password);
        byte[] master = new byte[32];
        SecureRandom random = Crypto.newSecureRandom();
        random.nextBytes(master);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12-AES256-AES128", Crypto.provider());
            store.load(null, null);
            store.setEntry(ALIAS, new KeyStore.SecretKeyEntry(new SecretKeySpec(master, "AES")),
                    new KeyStore.PasswordProtection(password));
            createPrivately(file);
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                store.store(out, password);
            }
            return new FileDomainKeyStore(master);
        } catch (FileAlreadyExistsException e) {
            throw new FieldbusException("key-store-exists", "the master key store " + file
                    + " already exists; it is never overwritten");
        } catch (IOException | GeneralSecurityException e) {
            throw new FieldbusException("key-store-unwritable", "cannot write the master key store " + file + ": "
                    + e.getClass().getSimpleName(), e);
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    private static void createPrivately(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }

    /**
     * Reads the master from {@code file}.
     *
     * @throws FieldbusException {@code key-store-missing}, {@code wrong-password} (or a corrupted file: PKCS#12 cannot
     *                           tell them apart), {@code key-store-unreadable}, or {@code no-master-key} when the file
     *                           holds no 256-bit entry {@value #ALIAS}
     */
    public static FileDomainKeyStore load(Path file, char[] password) throws FieldbusException {
        Objects.requireNonNull(file, "file");
        checkPassword(password);
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12", Crypto.provider());
            store.load(in, password);
        } catch (NoSuchFileException e) {
            throw new FieldbusException("key-store-missing", "the master key store " + file + " does not exist");
        } catch (IOException e) {
            throw new FieldbusException("wrong-password", "the master key store " + file
                    + " cannot be opened: wrong password or corrupted file");
        } catch (GeneralSecurityException e) {
            throw new FieldbusException("key-store-unreadable", "the master key store " + file + " is unreadable: "
                    + e.getClass().getSimpleName());
        }
        byte[] master = null;
        try {
            Key key = store.getKey(ALIAS, password);
            master = key instanceof SecretKey ? key.getEncoded() : null;
            if (master == null || master.length != 32) {
                throw new FieldbusException("no-master-key", "the master key store " + file
                        + " holds no 256-bit secret key '" + ALIAS + "'");
            }
            return new FileDomainKeyStore(master);
        } catch (GeneralSecurityException e) {
            throw new FieldbusException("wrong-password", "the master key entry in " + file + " cannot be opened");
        } finally {
            if (master != null) {
                Arrays.fill(master, (byte) 0);
            }
        }
    }

    /**
     * The password in {@code file}: its UTF-8 text without one trailing line break (at most
     * {@value #MAX_PASSWORD_BYTES} bytes, not empty).
     */
    public static char[] readPassword(Path file) throws FieldbusException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_PASSWORD_BYTES) {
                throw new FieldbusException("bad-password-file", "the password file " + file + " is longer than "
                        + MAX_PASSWORD_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FieldbusException("bad-password-file", "cannot read the password file " + file);
        }
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end--;
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            Arrays.fill(chars.array(), '\0');
            if (password.length == 0) {
                throw new FieldbusException("bad-password-file", "the password file " + file + " is empty");
            }
            return password;
        } catch (CharacterCodingException e) {
            throw new FieldbusException("bad-password-file", "the password file " + file + " is not UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static void checkPassword(char[] password) throws FieldbusException {
        if (password == null || password.length == 0) {
            throw new FieldbusException("bad-password-file", "the master key store needs a non-empty password");
        }
    }

    @Override
    public PackagedKey integratorKey(String machineId, int revision) {
        return derivation.integratorKey(machineId, revision);
    }

    @Override
    public PackagedKey operatorKey(String machineId, int revision) {
        return derivation.operatorKey(machineId, revision);
    }

    @Override
    public byte[] wrapProvisioningKey(String machineId, long nodeSerial, byte[] key) throws FieldbusException {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new FieldbusException("wrong-key-length", "a Provisioning Key has 16, 24 or 32 bytes");
        }
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, iv, machineId, nodeSerial, key, 0, key.length);
        return ByteBuffer.allocate(1 + IV_BYTES + sealed.length).put(WRAP_VERSION).put(iv).put(sealed).array();
    }

    @Override
    public byte[] unwrapProvisioningKey(String machineId, long nodeSerial, byte[] wrapped) throws FieldbusException {
        if (wrapped.length < 1 + IV_BYTES + 16 + TAG_BITS / 8 || wrapped.length > MAX_WRAPPED
                || wrapped[0] != WRAP_VERSION) {
            throw new FieldbusException("unwrap-failed", "not a wrapped Provisioning Key");
        }
        byte[] iv = Arrays.copyOfRange(wrapped, 1, 1 + IV_BYTES);
        return cipher(Cipher.DECRYPT_MODE, iv, machineId, nodeSerial, wrapped, 1 + IV_BYTES,
                wrapped.length - 1 - IV_BYTES);
    }

    private byte[] cipher(int mode, byte[] iv, String machineId, long nodeSerial, byte[] in, int offset, int length)
            throws FieldbusException {
        byte[] machine = machineId.getBytes(StandardCharsets.UTF_8);
        byte[] aad = ByteBuffer.allocate(machine.length + 4).put(machine).putInt((int) nodeSerial).array();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, kek, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad);
            return cipher.doFinal(in, offset, length);
        } catch (AEADBadTagException e) {
            throw new FieldbusException("unwrap-failed", "the wrapped Provisioning Key does not belong to node "
                    + nodeSerial + " of machine '" + machineId + "' or was not wrapped by this key store");
        } catch (GeneralSecurityException e) {
            throw new FieldbusException("wrap-failed", "AES-GCM unavailable: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "FileDomainKeyStore[master hidden]";
    }
}
