package org.brski.fieldbus.crypto;

import java.util.Objects;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF-SHA-256 (<a href="https://www.rfc-editor.org/rfc/rfc5869">RFC 5869</a>), the key derivation function of EmSA
 * WP-104 chapter 5: session keys from a base key and the salt (4.2), and the domain's machine keys from its master key
 * (key-management background, "derive from a master").
 */
public final class Hkdf {
    /** Largest output of HKDF-SHA-256 (255 × 32 bytes, RFC 5869 2.3). */
    public static final int MAX_LENGTH = 255 * 32;

    private Hkdf() {
    }

    /**
     * Extract-then-expand.
     *
     * @param ikm    input keying material (the base or master key)
     * @param salt   salt; {@code null} or empty means a string of zeros (RFC 5869 2.2)
     * @param info   context and application specific information; may be empty
     * @param length output length in bytes, 1..{@link #MAX_LENGTH}
     */
    public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        Objects.requireNonNull(ikm, "ikm");
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA-256 output length must be 1.." + MAX_LENGTH);
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt == null || salt.length == 0 ? null : salt, info == null ? new byte[0] : info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }
}
