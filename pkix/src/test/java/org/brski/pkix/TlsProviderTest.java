package org.brski.pkix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** The TLS provider switch: names, the default, key objects, contexts. BC-first is not exercised (it is global). */
class TlsProviderTest {

    @Test
    void namesParseCaseInsensitivelyAndUnknownNamesAreRefused() {
        assertSame(TlsProvider.JDK, TlsProvider.parse("jdk"));
        assertSame(TlsProvider.BC, TlsProvider.parse(" BC "));
        assertSame(TlsProvider.BCJSSE, TlsProvider.parse("BcJsse"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsProvider.parse("openssl"));
        assertTrue(e.getMessage().contains("jdk, bc or bcjsse"), e.getMessage());
    }

    @Test
    void theSystemPropertySelectsAndTheMeasuredDefaultAppliesWithoutIt() {
        String before = System.getProperty(TlsProvider.PROPERTY);
        try {
            System.clearProperty(TlsProvider.PROPERTY);
            assertSame(TlsProvider.DEFAULT, TlsProvider.configured());
            System.setProperty(TlsProvider.PROPERTY, "jdk");
            assertSame(TlsProvider.JDK, TlsProvider.configured());
        } finally {
            if (before == null) {
                System.clearProperty(TlsProvider.PROPERTY);
            } else {
                System.setProperty(TlsProvider.PROPERTY, before);
            }
        }
    }

    @Test
    void handshakeKeysComeFromTheSigningProviderWithTheJsseAlgorithmName() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("ECDSA", Crypto.provider());
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        assertEquals("ECDSA", pair.getPrivate().getAlgorithm());

        PrivateKey forBcJsse = TlsProvider.BCJSSE.handshakeKey(pair.getPrivate());
        assertEquals("EC", forBcJsse.getAlgorithm());
        assertTrue(forBcJsse.getClass().getName().startsWith("org.bouncycastle."), forBcJsse.getClass().getName());

        PrivateKey forJdk = TlsProvider.JDK.handshakeKey(pair.getPrivate());
        assertEquals("EC", forJdk.getAlgorithm());
        if (!TlsProvider.bcFirst()) {
            assertTrue(forJdk.getClass().getName().startsWith("sun.security."), forJdk.getClass().getName());
        }
        assertEquals(pair.getPrivate().getEncoded().length > 0, forJdk.getEncoded().length > 0);
    }

    @Test
    void contextsAreBuiltByTheChosenImplementation() throws Exception {
        SSLContext bcjsse = TlsProvider.BCJSSE.context(null, null, null);
        assertEquals("BCJSSE", bcjsse.getProvider().getName());
        SSLContext jdk = TlsProvider.JDK.context(null, null, null);
        assertEquals("SunJSSE", jdk.getProvider().getName());
        assertEquals("PKIX", TlsProvider.BCJSSE.trustManagerFactory().getAlgorithm());
        assertEquals("BCJSSE", TlsProvider.BCJSSE.keyManagerFactory().getProvider().getName());
    }

    @Test
    void bcFirstIsNeverInstalledBehindTheCallersBack() {
        if (TlsProvider.bcFirst()) {
            return; // another test of this JVM chose BC-first explicitly
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TlsProvider.BC.context(null, null, null));
        assertTrue(e.getMessage().contains("TlsProvider.select"), e.getMessage());
        assertTrue(!TlsProvider.bcFirst(), "the JVM's provider list changed");
    }
}
