package org.brski.pledge.http;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.teletrust.TeleTrusTNamedCurves;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.brski.pkix.Crypto;

/**
 * Presents one key and certificate chain (the IDevID, later the LDevID) as the TLS client certificate, whatever
 * issuers the server lists: a registrar accepts IDevIDs provisionally and may advertise no issuers at all
 * (RFC 8995 section 5.1). The key object is handed to JSSE as is and never copied into a key store.
 */
public final class IdentityKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "identity";

    private final PrivateKey key;
    private final X509Certificate[] chain;
    private final String keyType;
    private final String curveKeyType;

    /**
     * @param chain the certificate first, then its issuers
     * @throws IllegalArgumentException when the chain is empty
     */
    public IdentityKeyManager(PrivateKey key, List<X509Certificate> chain) {
        this.key = normalized(Objects.requireNonNull(key, "key"));
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the certificate chain is empty");
        }
        this.chain = chain.toArray(new X509Certificate[0]);
        String algorithm = this.chain[0].getPublicKey().getAlgorithm();
        this.keyType = algorithm.equals("ECDSA") ? "EC" : algorithm;
        this.curveKeyType = keyType.equals("EC") ? curveKeyType(this.chain[0]) : null;
    }

    /**
     * Bouncy Castle's JSSE asks TLS 1.3 clients for key types with the curve, e.g. {@code EC/secp256r1}: the name of
     * this certificate's curve in that form, or null when it is not a named SEC or Brainpool curve.
     */
    private static String curveKeyType(X509Certificate certificate) {
        try {
            ASN1Encodable parameters = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded())
                    .getAlgorithm().getParameters();
            if (!(parameters instanceof ASN1ObjectIdentifier oid)) {
                return null;
            }
            String name = SECNamedCurves.getName(oid);
            if (name == null) {
                name = TeleTrusTNamedCurves.getName(oid);
            }
            return name == null ? null : "EC/" + name;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * JSSE offers a client key only when its algorithm name is one the handshake asks for ("EC", "RSA"); Bouncy
     * Castle's PEM reader names EC keys "ECDSA", so such a key is re-read through BC's "EC" key factory.
     */
    private static PrivateKey normalized(PrivateKey key) {
        if (!"ECDSA".equals(key.getAlgorithm()) || key.getEncoded() == null) {
            return key;
        }
        try {
            return KeyFactory.getInstance("EC", Crypto.provider())
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            return key;
        }
    }

    private String aliasFor(String[] keyTypes) {
        if (keyTypes == null) {
            return ALIAS;
        }
        for (String type : keyTypes) {
            if (type.equals(keyType) || type.equals(curveKeyType)
                    || (keyType.equals("RSA") && type.equals("RSASSA-PSS"))) {
                return ALIAS;
            }
        }
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(new String[] {keyType});
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(new String[] {keyType});
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliasFor(new String[] {keyType}) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String toString() {
        return "IdentityKeyManager[" + chain[0].getSubjectX500Principal().getName() + "]";
    }
}
