package org.brski.pkix;

import java.security.Provider;
import java.security.SecureRandom;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance every module uses, without adding it to the JVM's provider list.
 * Keys must come from the provider that uses them (GUIDE: a SunEC key in BC is ~3x slower), so key factories,
 * signers and verifiers all take this instance.
 */
public final class Crypto {
    private static final Provider PROVIDER = new BouncyCastleProvider();

    private Crypto() {
    }

    /** The shared provider instance (stateless after construction, safe to share). */
    public static Provider provider() {
        return PROVIDER;
    }

    /** A new strong random source; callers keep and reuse it. */
    public static SecureRandom newSecureRandom() {
        return new SecureRandom();
    }
}
