package org.brski.fieldbus.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.brski.fieldbus.FieldbusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AES-128-GCM known answers (McGrew and Viega, "The Galois/Counter Mode of Operation", test cases 2 and 4). */
class AeadTest {
    private static final HexFormat HEX = HexFormat.of();
    // Test case 4: key, IV, AAD, 60-byte plaintext.
    private static final byte[] K4 = HEX.parseHex("feffe9928665731c6d6a8f9467308308");
    private static final byte[] IV4 = HEX.parseHex("cafebabefacedbaddecaf888");
    private static final byte[] AAD4 = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    private static final byte[] P4 = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    private static final byte[] C4 = HEX.parseHex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
            + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091");
    private static final byte[] T4 = HEX.parseHex("5bc94fbc3221a5db94fae95ae7121a47");

    @Test
    void mcgrewViegaTestCase2ZeroKey() throws FieldbusException {
        Aead aead = Aead.of(new byte[16], 128);
        byte[] sealed = aead.seal(new byte[12], new byte[0], new byte[16]);
        assertArrayEquals(HEX.parseHex("0388dace60b6a392f328c2b971b2fe78" + "ab6e47d42cec13bdf53a67b21257bddf"), sealed);
        assertArrayEquals(new byte[16], aead.open(new byte[12], new byte[0], sealed));
    }

    @Test
    void mcgrewViegaTestCase4WithAad() throws FieldbusException {
        Aead aead = Aead.of(K4, 128);
        byte[] sealed = aead.seal(IV4, AAD4, P4);
        assertArrayEquals(concat(C4, T4), sealed);
        assertArrayEquals(P4, aead.open(IV4, AAD4, sealed));
    }

    /** SP 800-38D 7.1: the truncated tag is the leading bits of the full tag; the ciphertext does not change. */
    @ParameterizedTest
    @ValueSource(ints = {32, 48, 64})
    void truncatedTagIsPrefixOfFullTag(int tagBits) throws FieldbusException {
        Aead aead = Aead.of(K4, tagBits);
        byte[] sealed = aead.seal(IV4, AAD4, P4);
        assertArrayEquals(concat(C4, Arrays.copyOf(T4, tagBits / 8)), sealed);
        assertArrayEquals(P4, aead.open(IV4, AAD4, sealed));
        assertEquals(tagBits / 8, aead.tagLength());
    }

    @Test
    void agreesWithTheJdkGcm() throws GeneralSecurityException {
        byte[] key = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] nonce = HEX.parseHex("101112131415161718191a1b");
        byte[] aad = "aad".getBytes();
        byte[] pt = "fieldbus plaintext of some length".getBytes();
        Cipher jce = Cipher.getInstance("AES/GCM/NoPadding");
        jce.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        jce.updateAAD(aad);
        assertArrayEquals(jce.doFinal(pt), Aead.of(key, 128).seal(nonce, aad, pt));
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 48, 64, 128})
    void everyTamperingIsRefusedAtEveryTagLength(int tagBits) {
        Aead aead = Aead.of(K4, tagBits);
        byte[] sealed = aead.seal(IV4, AAD4, P4);
        for (int i : new int[] {0, P4.length - 1, P4.length, sealed.length - 1}) {
            byte[] bad = sealed.clone();
            bad[i] ^= 0x01;
            assertBadTag(() -> aead.open(IV4, AAD4, bad));
        }
        byte[] otherAad = AAD4.clone();
        otherAad[0] ^= 1;
        assertBadTag(() -> aead.open(IV4, otherAad, sealed));
        byte[] otherNonce = IV4.clone();
        otherNonce[11] ^= 1;
        assertBadTag(() -> aead.open(otherNonce, AAD4, sealed));
        assertBadTag(() -> aead.open(IV4, AAD4, Arrays.copyOf(sealed, sealed.length - 1)));
        assertBadTag(() -> aead.open(IV4, AAD4, new byte[tagBits / 8 - 1]));
        assertBadTag(() -> Aead.of(HEX.parseHex("00112233445566778899aabbccddeeff"), tagBits).open(IV4, AAD4, sealed));
    }

    @Test
    void refusesOtherTagKeyAndNonceLengths() {
        for (int bits : new int[] {0, 8, 16, 24, 40, 56, 72, 96, 104, 112, 120, 136}) {
            assertThrows(IllegalArgumentException.class, () -> Aead.of(K4, bits), "tag " + bits);
        }
        for (int len : new int[] {0, 15, 17, 24, 32}) {
            assertThrows(IllegalArgumentException.class, () -> Aead.of(new byte[len], 64), "key " + len);
        }
        Aead aead = Aead.of(K4, 64);
        assertThrows(IllegalArgumentException.class, () -> aead.seal(new byte[11], null, P4));
        assertThrows(IllegalArgumentException.class, () -> aead.seal(new byte[16], null, P4));
    }

    @Test
    void keyIsCopiedRedactedAndDestroyable() {
        byte[] key = K4.clone();
        Aead aead = Aead.of(key, 64);
        byte[] before = aead.seal(IV4, AAD4, P4);
        Arrays.fill(key, (byte) 0);
        assertArrayEquals(before, aead.seal(IV4, AAD4, P4), "caller wiping its array must not change the key");
        assertFalse(aead.toString().toLowerCase().contains("feffe992"));
        aead.destroy();
        assertThrows(IllegalStateException.class, () -> aead.seal(IV4, AAD4, P4));
    }

    private static void assertBadTag(org.junit.jupiter.api.function.Executable call) {
        FieldbusException e = assertThrows(FieldbusException.class, call);
        assertEquals("bad-tag", e.reason());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
