package org.brski.fieldbus.crypto;

import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.brski.fieldbus.FieldbusException;

/**
 * AES-128-GCM with a configurable tag length, the default AEAD of EmSA WP-104 chapter 5 ("authentication tags of 32 to
 * 64 bits are acceptable ... longer (full 16-byte) tags are an option"). Built on Bouncy Castle's lightweight
 * {@link GCMBlockCipher} because the JCE GCM refuses tags shorter than 96 bits; a truncated tag is the leading
 * {@code tagBits} of the full tag (NIST SP 800-38D 7.1, MSB_t). A truncated tag allows a forgery with probability about
 * 2^-tagBits per attempt: the caller must bound verification failures (the node's lockout does).
 *
 * <p>The instance holds a copy of the key; {@link #destroy()} zeroes it. Thread-safe: each call uses its own cipher.
 */
public final class Aead {
    /** AES-128 key length in bytes. */
    public static final int KEY_LENGTH = 16;
    /** GCM nonce (IV) length in bytes, the 96-bit IV of SP 800-38D 8.2. */
    public static final int NONCE_LENGTH = 12;

    private final SecretKeyBytes key;
    private final int tagBits;

    private Aead(SecretKeyBytes key, int tagBits) {
        this.key = key;
        this.tagBits = tagBits;
    }

    /**
     * @param key16   the 16-byte AES-128 key (copied)
     * @param tagBits 32, 48, 64 or 128
     * @throws IllegalArgumentException for another key or tag length (a configuration error)
     */
    public static Aead of(byte[] key16, int tagBits) {
        Objects.requireNonNull(key16, "key");
        if (key16.length != KEY_LENGTH) {
            throw new IllegalArgumentException("AES-128-GCM needs a 16-byte key, got " + key16.length + " bytes");
        }
        checkTagBits(tagBits);
        return new Aead(SecretKeyBytes.of(key16), tagBits);
    }

    /** Refuses tag lengths other than 32, 48, 64 and 128 bits (WP-104 5). */
    public static int checkTagBits(int tagBits) {
        if (tagBits != 32 && tagBits != 48 && tagBits != 64 && tagBits != 128) {
            throw new IllegalArgumentException("tag length must be 32, 48, 64 or 128 bits, got " + tagBits);
        }
        return tagBits;
    }

    /** The configured tag length in bits. */
    public int tagBits() {
        return tagBits;
    }

    /** The configured tag length in bytes. */
    public int tagLength() {
        return tagBits / 8;
    }

    /** Encrypts {@code plaintext}, returning ciphertext followed by the (truncated) tag. */
    public byte[] seal(byte[] nonce12, byte[] aad, byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        GCMModeCipher gcm = cipher(true, nonce12, aad);
        byte[] out = new byte[gcm.getOutputSize(plaintext.length)];
        int n = gcm.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("GCM encryption cannot fail", e);
        }
        return out;
    }

    /**
     * Verifies the tag and decrypts.
     *
     * @throws FieldbusException {@code bad-tag} when the input is shorter than the tag or the tag does not verify;
     *                           nothing of the plaintext is released then
     */
    public byte[] open(byte[] nonce12, byte[] aad, byte[] ciphertextAndTag) throws FieldbusException {
        Objects.requireNonNull(ciphertextAndTag, "ciphertextAndTag");
        if (ciphertextAndTag.length < tagLength()) {
            throw new FieldbusException("bad-tag", "message shorter than its authentication tag");
        }
        GCMModeCipher gcm = cipher(false, nonce12, aad);
        byte[] out = new byte[gcm.getOutputSize(ciphertextAndTag.length)];
        int n = gcm.processBytes(ciphertextAndTag, 0, ciphertextAndTag.length, out, 0);
        try {
            gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            Arrays.fill(out, (byte) 0);
            throw new FieldbusException("bad-tag", "authentication tag does not verify");
        }
        return out;
    }

    /** Zeroes the held key; the instance is unusable afterwards. */
    public void destroy() {
        key.destroy();
    }

    private GCMModeCipher cipher(boolean encrypt, byte[] nonce12, byte[] aad) {
        Objects.requireNonNull(nonce12, "nonce");
        if (nonce12.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("GCM nonce must be 12 bytes, got " + nonce12.length);
        }
        byte[] k = key.bytes();
        try {
            GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
            gcm.init(encrypt, new AEADParameters(new KeyParameter(k), tagBits, nonce12, aad == null ? new byte[0] : aad));
            return gcm;
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** Redacted: names the algorithm and tag length only. */
    @Override
    public String toString() {
        return "Aead[AES-128-GCM, tag " + tagBits + " bits, key redacted]";
    }
}
