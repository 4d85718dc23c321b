package org.brski.voucher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7951 nonces: what we send, and which received forms are the same nonce. */
class NonceTest {
    private static final byte[] BYTES = Base64.getDecoder().decode("bO/6MT6wplgEvTBJsXegkw==");

    @Test
    void wePaddedStandardBase64OfSixteenRandomBytes() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 50; i++) {
            String nonce = Nonce.random(random);
            assertTrue(nonce.matches("[A-Za-z0-9+/]{22}=="), nonce);
            assertEquals(Nonce.RANDOM_BYTES, Nonce.decode(nonce).orElseThrow().length);
        }
    }

    @Test
    void base64urlWithoutPaddingMatchesThePaddedStandardForm() {
        String standard = "bO/6MT6wplgEvTBJsXegkw==";
        String url = Base64.getUrlEncoder().withoutPadding().encodeToString(BYTES);
        assertEquals("bO_6MT6wplgEvTBJsXegkw", url);
        assertTrue(Nonce.matches(url, standard));
        assertTrue(Nonce.matches(standard, url));
        assertTrue(Nonce.matches(standard, "bO/6MT6wplgEvTBJsXegkw"), "standard without padding");
        assertTrue(Nonce.matches(url + "==", standard), "url-safe with padding");
        assertArrayEquals(BYTES, Nonce.decode(url).orElseThrow());
        assertEquals(java.util.Set.of(url, standard, "bO/6MT6wplgEvTBJsXegkw", url + "=="), Nonce.spellings(url));
        assertEquals(java.util.Set.of("123456789"), Nonce.spellings("123456789"));
    }

    @Test
    void aPeerThatDecodesAndReencodesStillMatches() {
        for (String sent : new String[] {"-_XE9zK9q8Ll1qylMtLKeg", "62a2e7693d82fcda", "12345678", "YWJj"}) {
            String echoed = Base64.getEncoder().encodeToString(Nonce.decode(sent).orElseThrow());
            assertTrue(Nonce.matches(sent, echoed), sent + " -> " + echoed);
        }
    }

    @Test
    void plainDigitsMatchThemselvesWhetherOrNotTheyDecode() {
        assertTrue(Nonce.matches("123456789", "123456789"), "9 digits are no base64, equal strings still match");
        assertTrue(Nonce.decode("123456789").isEmpty());
        assertFalse(Nonce.matches("123456789", "123456780"));
        assertTrue(Nonce.matches("12345678", "12345678"));
        assertFalse(Nonce.matches("12345678", "12345679"));
    }

    @Test
    void differentBytesDoNotMatch() {
        assertFalse(Nonce.matches("bO/6MT6wplgEvTBJsXegkw==", "bO/6MT6wplgEvTBJsXegkA=="));
        assertFalse(Nonce.matches("bO_6MT6wplgEvTBJsXegkw", "bO/6MT6wplgEvTBJsXegkA"));
        assertFalse(Nonce.matches("abcd", "ABCD"), "base64 is case-sensitive");
        assertFalse(Nonce.matches(null, "abcd"));
        assertFalse(Nonce.matches(null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "=", "A", "AB=", "ABC==", "a+b-", "ab/_", "QR==", "QQ=Q", "a b c d", "ab\ncd"})
    void nonCanonicalOrMalformedFormsDoNotDecode(String value) {
        assertTrue(Nonce.decode(value).isEmpty(), value);
    }

    @Test
    void nonCanonicalTrailingBitsMatchOnlyTheIdenticalString() {
        assertTrue(Nonce.decode("QQ==").isPresent());
        assertFalse(Nonce.matches("QR==", "QQ=="), "QR== carries stray bits: not a second spelling of 'A'");
        assertTrue(Nonce.matches("QR==", "QR=="));
    }
}
