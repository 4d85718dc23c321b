package org.brski.fieldbus.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A held copy of secret key bytes (a base or session key): copied in, copied out, zeroed by {@link #destroy()}, never
 * printed. EmSA WP-104 chapter 4 requires that base keys never leave the device; IEC 62443-4-2 CR 4.2 (key-management
 * background) requires zeroization on reset, which {@link #destroy()} provides for the model.
 *
 * <p>Equality is identity on purpose: a content-based {@code hashCode} would leak key bits, use {@link #matches} to
 * compare in constant time.
 */
public final class SecretKeyBytes {
    private final byte[] bytes;
    private boolean destroyed;

    private SecretKeyBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A holder of a copy of {@code key}; the caller may wipe its array afterwards. */
    public static SecretKeyBytes of(byte[] key) {
        Objects.requireNonNull(key, "key");
        return new SecretKeyBytes(key.clone());
    }

    /** A copy of the held bytes. */
    public synchronized byte[] bytes() {
        requireLive();
        return bytes.clone();
    }

    /** Number of key bytes. */
    public int length() {
        return bytes.length;
    }

    /** Whether {@code other} equals the held bytes, compared in constant time (for equal lengths). */
    public synchronized boolean matches(byte[] other) {
        requireLive();
        return other != null && MessageDigest.isEqual(bytes, other);
    }

    /** Overwrites the held bytes with zeros; further access fails. */
    public synchronized void destroy() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    /** Whether {@link #destroy()} ran. */
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    private void requireLive() {
        if (destroyed) {
            throw new IllegalStateException("key material was destroyed");
        }
    }

    /** Redacted: names the length only. */
    @Override
    public String toString() {
        return "SecretKeyBytes[" + bytes.length + " bytes, redacted]";
    }
}
