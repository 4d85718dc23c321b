package org.brski.voucher;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The voucher {@code nonce} (RFC 8366 section 5.3, RFC 8995 section 3.4): YANG type {@code binary}, which RFC 7951
 * section 6.6 encodes in JSON as standard base64 (RFC 4648 section 4) with padding. That is what {@link #random}
 * produces and what we send.
 *
 * <p>Peers send other forms too (base64url without padding, plain digits), and some decode what they receive and
 * re-encode it (nqminds brski does), so the string that comes back may differ from the one sent. {@link #matches}
 * therefore accepts two nonces that are equal strings or that both decode, in either base64 alphabet with or without
 * padding, to the same bytes. Every comparison of nonces in this project goes through it.
 */
public final class Nonce {
    /** Bytes of randomness in a nonce we generate (128 bits). */
    public static final int RANDOM_BYTES = 16;

    private static final Pattern STANDARD = Pattern.compile("[A-Za-z0-9+/]+");
    private static final Pattern URL = Pattern.compile("[A-Za-z0-9_-]+");

    private Nonce() {
    }

    /** A fresh nonce of {@link #RANDOM_BYTES} random bytes, in RFC 7951 form (standard base64 with padding). */
    public static String random(SecureRandom random) {
        byte[] value = new byte[RANDOM_BYTES];
        random.nextBytes(value);
        return encode(value);
    }

    /** {@code value} in RFC 7951 form: standard base64 with padding. */
    public static String encode(byte[] value) {
        return Base64.getEncoder().encodeToString(value);
    }

    /**
     * The bytes {@code nonce} encodes when it is base64 in one alphabet (standard or URL-safe, RFC 4648 sections 4 and
     * 5), with or without padding, and canonical (no stray bits in the last character, so that one byte sequence has
     * one encoding per alphabet); empty for anything else (an empty string, a mixed alphabet, a bad length).
     */
    public static Optional<byte[]> decode(String nonce) {
        if (nonce == null || nonce.isEmpty()) {
            return Optional.empty();
        }
        String data = nonce;
        if (data.endsWith("=")) {
            if (data.length() % 4 != 0) {
                return Optional.empty();
            }
            data = data.endsWith("==") ? data.substring(0, data.length() - 2) : data.substring(0, data.length() - 1);
        }
        if (data.isEmpty() || data.length() % 4 == 1) {
            return Optional.empty();
        }
        Base64.Decoder decoder;
        Base64.Encoder encoder;
        if (STANDARD.matcher(data).matches()) {
            decoder = Base64.getDecoder();
            encoder = Base64.getEncoder().withoutPadding();
        } else if (URL.matcher(data).matches()) {
            decoder = Base64.getUrlDecoder();
            encoder = Base64.getUrlEncoder().withoutPadding();
        } else {
            return Optional.empty();
        }
        byte[] value;
        try {
            value = decoder.decode(data);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return encoder.encodeToString(value).equals(data) ? Optional.of(value) : Optional.empty();
    }

    /**
     * Whether {@code a} and {@code b} are the same nonce: equal strings, or both decodable ({@link #decode}) to equal
     * bytes. A null nonce matches nothing.
     */
    public static boolean matches(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        if (MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return true;
        }
        Optional<byte[]> left = decode(a);
        Optional<byte[]> right = decode(b);
        return left.isPresent() && right.isPresent() && MessageDigest.isEqual(left.get(), right.get());
    }

    /**
     * Every string that {@link #matches} {@code nonce}: itself, and when it {@link #decode decodes}, the four base64
     * spellings of its bytes (standard or URL-safe alphabet, with or without padding). For lookups in stores that keep
     * the nonce as received, such as replay detection.
     */
    public static Set<String> spellings(String nonce) {
        Set<String> all = new LinkedHashSet<>();
        all.add(nonce);
        decode(nonce).ifPresent(value -> {
            all.add(Base64.getEncoder().encodeToString(value));
            all.add(Base64.getEncoder().withoutPadding().encodeToString(value));
            all.add(Base64.getUrlEncoder().encodeToString(value));
            all.add(Base64.getUrlEncoder().withoutPadding().encodeToString(value));
        });
        return Collections.unmodifiableSet(all);
    }
}
