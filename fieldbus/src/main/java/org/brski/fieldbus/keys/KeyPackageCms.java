package org.brski.fieldbus.keys;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Collection;
import java.util.Objects;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientId;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.brski.fieldbus.FieldbusException;
import org.brski.pkix.Crypto;

/**
 * A {@link SymmetricKeyPackage} in CMS {@code EnvelopedData} (RFC 5652 section 6) to one certificate's public key, as
 * RFC 6031 section 1 intends ("CMS can be used to … encrypt this content type"):
 * <ul>
 * <li>EC recipients (the usual LDevID and registrar keys): ephemeral-static ECDH, {@code dhSinglePass-stdDH-sha256kdf}
 * with AES-256 key wrap (RFC 5753 section 3.1) — a fresh ephemeral key per package;</li>
 * <li>RSA recipients: RSAES-OAEP with SHA-256 and MGF1-SHA-256 key transport (RFC 3560);</li>
 * <li>content: AES-256-CBC, inner content type {@code id-ct-KP-sKeyPackage}.</li>
 * </ul>
 * On receipt the inner content type may also be {@code id-data}, which is what {@code openssl cms -encrypt} writes (it
 * cannot set another); the content must then still be a valid RFC 6031 package.
 * {@code EnvelopedData} gives confidentiality to the holder of the private key only; who sent it is established by the
 * TLS channel it travels on (the registrar pinned by the voucher, the pledge by its LDevID). Media type
 * {@value #MEDIA_TYPE} (RFC 7193).
 */
public final class KeyPackageCms {
    /** RFC 7193 media type of CMS objects. */
    public static final String MEDIA_TYPE = "application/cms";
    /** Largest CMS object accepted. */
    public static final int MAX_BYTES = SymmetricKeyPackage.MAX_BYTES + 16 * 1024;

    private KeyPackageCms() {
    }

    /**
     * Encrypts the package to the certificate's public key.
     *
     * @throws FieldbusException {@code unsupported-recipient} for keys other than EC and RSA
     */
    public static byte[] envelope(SymmetricKeyPackage pkg, X509Certificate recipient) throws FieldbusException {
        Objects.requireNonNull(pkg, "pkg");
        Objects.requireNonNull(recipient, "recipient");
        SecureRandom random = Crypto.newSecureRandom();
        try {
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            PublicKey key = recipient.getPublicKey();
            if (key instanceof ECPublicKey ec) {
                KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", Crypto.provider());
                kpg.initialize(ec.getParams(), random);
                KeyPair ephemeral = kpg.generateKeyPair();
                generator.addRecipientInfoGenerator(new JceKeyAgreeRecipientInfoGenerator(
                        CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(), ephemeral.getPublic(),
                        CMSAlgorithm.AES256_WRAP).addRecipient(recipient).setProvider(Crypto.provider())
                        .setSecureRandom(random));
            } else if (key instanceof RSAPublicKey) {
                AlgorithmIdentifier oaep = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                        PKCSObjectIdentifiers.id_RSAES_OAEP, new OAEPParameterSpec("SHA-256", "MGF1",
                                MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
                generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient, oaep)
                        .setProvider(Crypto.provider()));
            } else {
                throw new FieldbusException("unsupported-recipient",
                        "key packages are enveloped to EC or RSA keys, not " + key.getAlgorithm());
            }
            CMSProcessableByteArray content = new CMSProcessableByteArray(SymmetricKeyPackage.CONTENT_TYPE,
                    pkg.encoded());
            return generator.generate(content, new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                    .setProvider(Crypto.provider()).setSecureRandom(random).build()).getEncoded();
        } catch (CertificateEncodingException | InvalidAlgorithmParameterException e) {
            throw new FieldbusException("unsupported-recipient", "the recipient certificate cannot be used", e);
        } catch (GeneralSecurityException | CMSException | java.io.IOException e) {
            throw new IllegalStateException("enveloping a key package failed", e);
        }
    }

    /**
     * Decrypts a package enveloped to {@code certificate}'s key and parses it.
     *
     * @throws FieldbusException {@code malformed-cms} (not EnvelopedData, too large), {@code not-for-this-recipient}
     *                           (no RecipientInfo for this certificate), {@code decryption-failed},
     *                           {@code unsupported-content-type} or {@code malformed-key-package}
     */
    public static SymmetricKeyPackage open(byte[] cms, PrivateKey key, X509Certificate certificate)
            throws FieldbusException {
        Objects.requireNonNull(cms, "cms");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
        if (cms.length > MAX_BYTES) {
            throw new FieldbusException("malformed-cms", "the CMS object is larger than " + MAX_BYTES + " bytes");
        }
        CMSEnvelopedData enveloped;
        try {
            enveloped = new CMSEnvelopedData(cms);
        } catch (CMSException | RuntimeException e) {
            throw new FieldbusException("malformed-cms", "not a CMS EnvelopedData object");
        }
        RecipientInformation mine = recipient(enveloped.getRecipientInfos(), certificate);
        if (mine == null) {
            throw new FieldbusException("not-for-this-recipient",
                    "the key package is not enveloped to this certificate's key");
        }
        ASN1ObjectIdentifier inner = EnvelopedData.getInstance(enveloped.toASN1Structure().getContent())
                .getEncryptedContentInfo().getContentType();
        if (!SymmetricKeyPackage.CONTENT_TYPE.equals(inner) && !CMSObjectIdentifiers.data.equals(inner)) {
            throw new FieldbusException("unsupported-content-type", "the enveloped content is " + inner.getId()
                    + ", not id-ct-KP-sKeyPackage (RFC 6031) or id-data");
        }
        Recipient recipient = mine instanceof KeyAgreeRecipientInformation
                ? new JceKeyAgreeEnvelopedRecipient(key).setProvider(Crypto.provider())
                : new JceKeyTransEnvelopedRecipient(key).setProvider(Crypto.provider());
        byte[] der;
        try {
            der = mine.getContent(recipient);
        } catch (CMSException | RuntimeException e) {
            throw new FieldbusException("decryption-failed", "the key package cannot be decrypted with this key");
        }
        return SymmetricKeyPackage.decode(der);
    }

    private static RecipientInformation recipient(RecipientInformationStore store, X509Certificate cert) {
        for (RecipientId id : new RecipientId[] { new JceKeyAgreeRecipientId(cert), new JceKeyTransRecipientId(cert) }) {
            Collection<RecipientInformation> found = store.getRecipients(id);
            if (!found.isEmpty()) {
                return found.iterator().next();
            }
        }
        return null;
    }
}
