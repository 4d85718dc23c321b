package org.brski.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.brski.pkix.Crypto;

/**
 * The key algorithms a test PKI can use. P-256 is the default because it is what BRSKI deployments and the RFC 8995
 * Appendix C examples use; P-384 matches the Appendix C CA keys; RSA-2048 covers older registrars and MASAs.
 */
public enum KeyType {
    /** NIST P-256 with ECDSA over SHA-256 (the default). */
    EC_P256("ec-p256", "EC", 256, "SHA256withECDSA"),
    /** NIST P-384 with ECDSA over SHA-384. */
    EC_P384("ec-p384", "EC", 384, "SHA384withECDSA"),
    /** RSA 2048-bit, PKCS#1 v1.5 signatures over SHA-256. Key generation is slow (~0.1-1 s). */
    RSA2048("rsa2048", "RSA", 2048, "SHA256withRSA");

    private final String cliName;
    private final String algorithm;
    private final int bits;
    private final String signatureAlgorithm;

    KeyType(String cliName, String algorithm, int bits, String signatureAlgorithm) {
        this.cliName = cliName;
        this.algorithm = algorithm;
        this.bits = bits;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The name used on the command line and in {@code pki.json}, e.g. {@code ec-p256}. */
    public String cliName() {
        return cliName;
    }

    /** The JCA signature algorithm a key of this type signs certificates with, e.g. {@code SHA256withECDSA}. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** Generates a new key pair with the Bouncy Castle provider, drawing randomness from {@code random}. */
    public KeyPair generate(SecureRandom random) {
        AlgorithmParameterSpec spec = algorithm.equals("EC")
                ? new ECGenParameterSpec(bits == 256 ? "secp256r1" : "secp384r1")
                : new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm, Crypto.provider());
            generator.initialize(spec, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle cannot generate " + cliName + " keys", e);
        }
    }

    /**
     * Parses a command-line name ({@code ec-p256}, {@code ec-p384}, {@code rsa2048}; case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static KeyType parse(String cliName) {
        String wanted = cliName == null ? "" : cliName.trim().toLowerCase(Locale.ROOT);
        for (KeyType type : values()) {
            if (type.cliName.equals(wanted)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown key type '" + cliName + "'; expected one of "
                + Arrays.stream(values()).map(KeyType::cliName).collect(Collectors.joining(", ")));
    }

    /**
     * The key type of an existing public key, so that a reused or loaded key signs with the matching algorithm.
     *
     * @throws IllegalArgumentException for keys this PKI does not generate (other curves, other RSA sizes)
     */
    public static KeyType of(PublicKey key) {
        if (key instanceof ECPublicKey) {
            ASN1Encodable curve = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm().getParameters();
            if (SECObjectIdentifiers.secp256r1.equals(curve)) {
                return EC_P256;
            }
            if (SECObjectIdentifiers.secp384r1.equals(curve)) {
                return EC_P384;
            }
            throw new IllegalArgumentException("unsupported EC key: curve " + curve + " (only P-256 and P-384)");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() == 2048) {
            return RSA2048;
        }
        throw new IllegalArgumentException("unsupported key: " + key.getAlgorithm()
                + (key instanceof RSAPublicKey rsa ? " " + rsa.getModulus().bitLength() + "-bit" : ""));
    }
}
