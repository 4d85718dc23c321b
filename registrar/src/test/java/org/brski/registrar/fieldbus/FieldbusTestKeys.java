package org.brski.registrar.fieldbus;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import org.brski.fieldbus.keys.DomainKeyDerivation;
import org.brski.pkix.Crypto;

/** Test helpers: a master key store in a temporary directory, and an independent derivation from its file. */
public final class FieldbusTestKeys {
    public static final String PASSWORD = "correct horse battery staple";

    private FieldbusTestKeys() {
    }

    /** Writes the password file and creates the store; returns the store file. */
    public static Path createStore(Path dir) throws Exception {
        Path password = dir.resolve("master.pass");
        Files.writeString(password, PASSWORD + "\n", StandardCharsets.UTF_8);
        Path store = dir.resolve("master.p12");
        FileDomainKeyStore.create(store, FileDomainKeyStore.readPassword(password));
        return store;
    }

    /** The derivation a correct implementation must match, read from the PKCS#12 file outside the code under test. */
    public static DomainKeyDerivation independentDerivation(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12", Crypto.provider());
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return DomainKeyDerivation.of(ks.getKey("brski-fieldbus-master", PASSWORD.toCharArray()).getEncoded());
    }
}
