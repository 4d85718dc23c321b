package org.brski.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

class KeyTypeTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void parsesCliNamesCaseInsensitively() {
        assertEquals(KeyType.EC_P256, KeyType.parse("ec-p256"));
        assertEquals(KeyType.EC_P384, KeyType.parse(" EC-P384 "));
        assertEquals(KeyType.RSA2048, KeyType.parse("rsa2048"));
        for (KeyType type : KeyType.values()) {
            assertEquals(type, KeyType.parse(type.cliName()));
        }
    }

    @Test
    void unknownNameListsTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyType.parse("ed25519"));
        assertTrue(e.getMessage().contains("ed25519") && e.getMessage().contains("ec-p256, ec-p384, rsa2048"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KeyType.parse(null));
    }

    @Test
    void signatureAlgorithmsMatchTheKeys() {
        assertEquals("SHA256withECDSA", KeyType.EC_P256.signatureAlgorithm());
        assertEquals("SHA384withECDSA", KeyType.EC_P384.signatureAlgorithm());
        assertEquals("SHA256withRSA", KeyType.RSA2048.signatureAlgorithm());
    }

    @Test
    void generatedEcKeysAreRecognised() {
        for (KeyType type : new KeyType[] {KeyType.EC_P256, KeyType.EC_P384}) {
            KeyPair pair = type.generate(random);
            assertEquals("EC", pair.getPublic().getAlgorithm());
            assertEquals(type, KeyType.of(pair.getPublic()));
        }
    }

    @Test
    void otherCurvesAreRejected() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp521r1"));
        KeyPair p521 = generator.generateKeyPair();
        assertThrows(IllegalArgumentException.class, () -> KeyType.of(p521.getPublic()));
    }
}
