package org.brski.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.brski.pkix.Crypto;
import org.brski.pkix.DeviceCertificates;

/**
 * A key pair with its certificate and the certificates of its issuers: one actor of a test PKI (modelled on
 * okhttp-tls {@code HeldCertificate}). Immutable; build one with {@link #builder()} or wrap loaded material with
 * {@link #of(PrivateKey, X509Certificate, List)}.
 *
 * <p>Certificates and keys are Bouncy Castle objects (GUIDE: keys must come from the provider that uses them).
 */
public final class HeldCertificate {
    /** id-kp-cmcRA: marks the registrar's voucher-request signing certificate (RFC 8995 section 5.5). */
    public static final String ID_KP_CMC_RA = DeviceCertificates.ID_KP_CMC_RA;
    /** id-kp-serverAuth (RFC 5280 section 4.2.1.12). */
    public static final String ID_KP_SERVER_AUTH = DeviceCertificates.ID_KP_SERVER_AUTH;
    /** id-kp-clientAuth (RFC 5280 section 4.2.1.12). */
    public static final String ID_KP_CLIENT_AUTH = DeviceCertificates.ID_KP_CLIENT_AUTH;
    /** id-pe-masa-url, the IDevID extension naming the pledge's MASA (RFC 8995 section 2.3.2). */
    public static final String MASA_URL_OID = DeviceCertificates.MASA_URL_OID;

    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final List<X509Certificate> issuerChain;
    private final KeyType keyType;

    private HeldCertificate(KeyPair keyPair, X509Certificate certificate, List<X509Certificate> issuerChain) {
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.issuerChain = List.copyOf(issuerChain);
        this.keyType = KeyType.of(keyPair.getPublic());
    }

    /** A builder for a new key pair and certificate; without {@code signedBy} the certificate is self-signed. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Wraps existing material, e.g. keys and certificates read from files or test vectors. The certificate and key
     * are re-decoded by Bouncy Castle; the key must match the certificate and each certificate must be signed by the
     * next one in {@code issuerChain}.
     *
     * @param issuerChain the issuer's certificate and upward to the root; empty for a self-signed root
     * @throws IllegalArgumentException if the key does not match, a signature does not verify, or the key type is
     *     not one of {@link KeyType}
     */
    public static HeldCertificate of(PrivateKey privateKey, X509Certificate certificate,
            List<X509Certificate> issuerChain) {
        X509Certificate cert = toBouncyCastle(certificate);
        List<X509Certificate> chain = new ArrayList<>();
        for (X509Certificate c : issuerChain) {
            chain.add(toBouncyCastle(c));
        }
        PublicKey publicKey = cert.getPublicKey();
        KeyType type = KeyType.of(publicKey);
        PrivateKey key = toBouncyCastle(privateKey);
        if (!keyMatches(key, publicKey, type)) {
            throw new IllegalArgumentException("private key does not match the certificate of "
                    + cert.getSubjectX500Principal().getName());
        }
        X509Certificate child = cert;
        for (X509Certificate parent : chain) {
            try {
                child.verify(parent.getPublicKey(), Crypto.provider());
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("certificate " + child.getSubjectX500Principal().getName()
                        + " is not signed by " + parent.getSubjectX500Principal().getName(), e);
            }
            child = parent;
        }
        return new HeldCertificate(new KeyPair(publicKey, key), cert, chain);
    }

    /** The key pair whose public half the certificate certifies. */
    public KeyPair keyPair() {
        return keyPair;
    }

    /** The private key (Bouncy Castle). */
    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** The public key, equal to the certificate's. */
    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    /** The type of this certificate's key; it also decides the algorithm this holder signs certificates with. */
    public KeyType keyType() {
        return keyType;
    }

    /** This certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The issuer's certificate and upward to the root, excluding this certificate; empty for a self-signed root. */
    public List<X509Certificate> issuerChain() {
        return issuerChain;
    }

    /** This certificate followed by {@link #issuerChain()}: what a TLS peer or a CMS signer presents. */
    public List<X509Certificate> chainWithSelf() {
        List<X509Certificate> chain = new ArrayList<>(issuerChain.size() + 1);
        chain.add(certificate);
        chain.addAll(issuerChain);
        return List.copyOf(chain);
    }

    /** The root of {@link #chainWithSelf()}: the trust anchor to validate this certificate against. */
    public X509Certificate root() {
        return issuerChain.isEmpty() ? certificate : issuerChain.get(issuerChain.size() - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldCertificate other
                && certificate.equals(other.certificate)
                && issuerChain.equals(other.issuerChain)
                && Arrays.equals(privateKey().getEncoded(), other.privateKey().getEncoded());
    }

    @Override
    public int hashCode() {
        return certificate.hashCode();
    }

    /** Subject, serial and key type; never key material. */
    @Override
    public String toString() {
        return "HeldCertificate[" + certificate.getSubjectX500Principal().getName() + ", serial "
                + certificate.getSerialNumber().toString(16) + ", " + keyType.cliName() + "]";
    }

    private static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey, KeyType type) {
        byte[] probe = "test-pki key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(type.signatureAlgorithm(), Crypto.provider());
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(type.signatureAlgorithm(), Crypto.provider());
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static X509Certificate toBouncyCastle(X509Certificate certificate) {
        try {
            return new JcaX509CertificateConverter().setProvider(Crypto.provider())
                    .getCertificate(new X509CertificateHolder(certificate.getEncoded()));
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("unparseable certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey toBouncyCastle(PrivateKey key) {
        try {
            return KeyFactory.getInstance(key.getAlgorithm(), Crypto.provider())
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("unusable private key (" + key.getAlgorithm() + "): " + e.getMessage(), e);
        }
    }

    static String requireIa5MasaUrl(String masaUrl) {
        Objects.requireNonNull(masaUrl, "masaUrl");
        if (masaUrl.isEmpty() || !DERIA5String.isIA5String(masaUrl)) {
            throw new IllegalArgumentException("MASA URL must be a non-empty IA5 (ASCII) string: " + masaUrl);
        }
        return masaUrl;
    }

    /** RFC 5280 section 4.2.1.2 method 1: SHA-1 over the subjectPublicKey BIT STRING value. */
    static byte[] keyIdentifier(SubjectPublicKeyInfo spki) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(spki.getPublicKeyData().getBytes());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the Java platform", e);
        }
    }

    /**
     * Builds a {@link HeldCertificate}. Defaults: a new {@link KeyType#EC_P256} key, subject {@code CN=<random
     * UUID>}, valid from one hour ago for 365 days, self-signed, end-entity with key usage digitalSignature (plus
     * keyEncipherment for RSA), a subject key identifier. List-valued options (EKU, SAN) accumulate.
     *
     * <p>A builder is not thread-safe; it keeps one {@link SecureRandom} for all the certificates it builds.
     */
    public static final class Builder {
        private X500Name subject;
        private String serialNumberAttribute;
        private KeyType keyType = KeyType.EC_P256;
        private KeyPair keyPair;
        private Instant notBefore;
        private Instant notAfter;
        private Duration validFor = Duration.ofDays(365);
        private int maxPathLen = -1;
        private HeldCertificate issuer;
        private String masaUrl;
        private final Set<String> extendedKeyUsages = new LinkedHashSet<>();
        private Integer keyUsage;
        private final List<GeneralName> subjectAltNames = new ArrayList<>();
        private boolean subjectKeyIdentifier = true;
        private SecureRandom random;

        private Builder() {
        }

        /**
         * The subject as an RFC 4514 string, most specific RDN first (as {@link X500Principal} reads it), e.g.
         * {@code "CN=registrar,O=Example"}.
         *
         * @throws IllegalArgumentException if the string is not a distinguished name
         */
        public Builder subject(String rfc4514Dn) {
            X500Principal principal = new X500Principal(Objects.requireNonNull(rfc4514Dn, "rfc4514Dn"));
            this.subject = X500Name.getInstance(principal.getEncoded());
            return this;
        }

        /** The subject as {@code CN=commonName} (replacing any {@link #subject(String)}). */
        public Builder commonName(String commonName) {
            this.subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, Objects.requireNonNull(commonName, "commonName")).build();
            return this;
        }

        /** Package-private: keeps a subject exactly as encoded, e.g. from a CSR. */
        Builder subject(X500Name name) {
            this.subject = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Adds an X520 serialNumber RDN (id-at-serialNumber 2.5.4.5) after the subject's other RDNs: the pledge's
         * serial-number of RFC 8995 section 2.3.1. Encoded as PrintableString when the value allows it, else as
         * UTF8String. Without a subject or common name, the subject is the serialNumber alone (as in RFC 8995
         * Appendix C).
         */
        public Builder serialNumberAttribute(String serialNumber) {
            Objects.requireNonNull(serialNumber, "serialNumber");
            if (serialNumber.isEmpty()) {
                throw new IllegalArgumentException("serialNumber must not be empty");
            }
            this.serialNumberAttribute = serialNumber;
            return this;
        }

        /** The type of key to generate (ignored when {@link #keyPair(KeyPair)} is given). */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        /**
         * Certifies an existing key instead of generating one, e.g. to model a device whose older IDevID had the same
         * key (RFC 8995 Appendix C: the prior-signed voucher-request is signed by another certificate of that key).
         */
        public Builder keyPair(KeyPair keyPair) {
            Objects.requireNonNull(keyPair, "keyPair");
            KeyType.of(keyPair.getPublic());
            this.keyPair = keyPair;
            return this;
        }

        /**
         * Explicit validity (truncated to whole seconds, as X.509 encodes it). A period in the past gives an expired
         * certificate; {@code 9999-12-31T23:59:59Z} is the "no expiry" value RFC 8995 section 2.6.2 asks for IDevIDs.
         */
        public Builder validity(Instant notBefore, Instant notAfter) {
            Instant from = Objects.requireNonNull(notBefore, "notBefore").truncatedTo(ChronoUnit.SECONDS);
            Instant to = Objects.requireNonNull(notAfter, "notAfter").truncatedTo(ChronoUnit.SECONDS);
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("notBefore " + from + " is not before notAfter " + to);
            }
            this.notBefore = from;
            this.notAfter = to;
            return this;
        }

        /** Valid from one hour before {@link #build()} (tolerating clock skew) until {@code duration} after it. */
        public Builder validFor(Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("validity must be positive: " + duration);
            }
            this.validFor = duration;
            this.notBefore = null;
            this.notAfter = null;
            return this;
        }

        /**
         * Makes a CA certificate: critical basicConstraints cA=TRUE with this pathLenConstraint, and by default
         * critical key usage keyCertSign|cRLSign.
         *
         * @param maxPathLen how many intermediate CAs may follow this one (0: it issues only end-entity certificates)
         */
        public Builder certificateAuthority(int maxPathLen) {
            if (maxPathLen < 0) {
                throw new IllegalArgumentException("maxPathLen must be >= 0: " + maxPathLen);
            }
            this.maxPathLen = maxPathLen;
            return this;
        }

        /**
         * Signs with {@code issuer}'s key, naming its subject as issuer; the result's issuer chain is the issuer's
         * certificate and its chain. Not checked to be a CA, so tests can build invalid chains on purpose.
         */
        public Builder signedBy(HeldCertificate issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /**
         * Adds the non-critical MASA URI extension (id-pe-masa-url, IA5String; RFC 8995 section 2.3.2). The value is
         * stored as given: a full URI ({@code https://masa.example.com:9443}) or, as the RFC recommends, only an
         * authority ({@code masa.example.com:9443}).
         *
         * @throws IllegalArgumentException if the value is not IA5 (ASCII)
         */
        public Builder masaUrl(String masaUrl) {
            this.masaUrl = requireIa5MasaUrl(masaUrl);
            return this;
        }

        /** Adds extended key usages (dotted OIDs, e.g. {@link #ID_KP_CMC_RA}); the extension is non-critical. */
        public Builder extendedKeyUsage(String... oids) {
            for (String oid : oids) {
                new ASN1ObjectIdentifier(oid);
                extendedKeyUsages.add(oid);
            }
            return this;
        }

        /**
         * Replaces the default key usage with these Bouncy Castle {@link KeyUsage} bits (e.g.
         * {@code KeyUsage.digitalSignature | KeyUsage.keyAgreement}), marked critical. {@code 0} omits the extension,
         * as RFC 8995 section 2.3 recommends for IDevIDs.
         */
        public Builder keyUsage(int bcKeyUsageBits) {
            if (bcKeyUsageBits < 0 || bcKeyUsageBits > 0xffff) {
                throw new IllegalArgumentException("not a KeyUsage bit set: " + bcKeyUsageBits);
            }
            this.keyUsage = bcKeyUsageBits;
            return this;
        }

        /** Adds subjectAltName dNSName entries, e.g. {@code localhost} for TLS servers in tests. */
        public Builder dnsNames(String... dnsNames) {
            for (String name : dnsNames) {
                if (name.isEmpty() || !DERIA5String.isIA5String(name)) {
                    throw new IllegalArgumentException("not a DNS name: " + name);
                }
                subjectAltNames.add(new GeneralName(GeneralName.dNSName, name));
            }
            return this;
        }

        /** Adds subjectAltName iPAddress entries (IPv4 or IPv6 literals, e.g. {@code 127.0.0.1}, {@code ::1}). */
        public Builder ipAddresses(String... ipAddresses) {
            for (String address : ipAddresses) {
                subjectAltNames.add(new GeneralName(GeneralName.iPAddress, address));
            }
            return this;
        }

        /**
         * Whether to add a subject key identifier (default true; RFC 5280 method 1, SHA-1 of the public key bits).
         * Turn it off to model field certificates without one; certificates it signs then get no authority key
         * identifier.
         */
        public Builder subjectKeyIdentifier(boolean include) {
            this.subjectKeyIdentifier = include;
            return this;
        }

        /** The random source for keys, serial numbers and signatures (default: one new {@link SecureRandom}). */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Generates the key pair (unless given) and issues the certificate. */
        public HeldCertificate build() {
            SecureRandom rng = random();
            KeyPair pair = keyPair != null ? keyPair : keyType.generate(rng);
            X509Certificate certificate = issue(SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()),
                    pair.getPrivate(), KeyType.of(pair.getPublic()));
            List<X509Certificate> chain = issuer == null ? List.of() : issuer.chainWithSelf();
            return new HeldCertificate(pair, certificate, chain);
        }

        /** Package-private: certifies a public key whose private key is elsewhere (an LDevID from a CSR). */
        X509Certificate issueFor(SubjectPublicKeyInfo publicKey) {
            if (issuer == null) {
                throw new IllegalStateException("a certificate for a foreign key needs signedBy(issuer)");
            }
            return issue(publicKey, null, null);
        }

        private SecureRandom random() {
            if (random == null) {
                random = new SecureRandom();
            }
            return random;
        }

        private X509Certificate issue(SubjectPublicKeyInfo spki, PrivateKey selfKey, KeyType selfKeyType) {
            SecureRandom rng = random();
            Instant from = notBefore;
            Instant to = notAfter;
            if (from == null) {
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                from = now.minus(Duration.ofHours(1));
                to = now.plus(validFor);
            }
            X500Name subjectName = subjectName();
            X500Name issuerName = issuer == null ? subjectName
                    : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            PrivateKey signingKey = issuer == null ? selfKey : issuer.privateKey();
            String algorithm = (issuer == null ? selfKeyType : issuer.keyType()).signatureAlgorithm();
            BigInteger serial = new BigInteger(64, rng).setBit(63);

            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName, serial, Date.from(from),
                    Date.from(to), subjectName, spki);
            try {
                boolean ca = maxPathLen >= 0;
                if (ca) {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(maxPathLen));
                }
                int usage = keyUsage != null ? keyUsage
                        : ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                        : isRsa(spki) ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                        : KeyUsage.digitalSignature;
                if (usage != 0) {
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                }
                if (!extendedKeyUsages.isEmpty()) {
                    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            extendedKeyUsages.stream().map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
                                    .toArray(KeyPurposeId[]::new)));
                }
                if (!subjectAltNames.isEmpty()) {
                    // RFC 5280 section 4.2.1.6: critical when the subject is empty.
                    builder.addExtension(Extension.subjectAlternativeName, subjectName.getRDNs().length == 0,
                            new GeneralNames(subjectAltNames.toArray(GeneralName[]::new)));
                }
                if (subjectKeyIdentifier) {
                    builder.addExtension(Extension.subjectKeyIdentifier, false,
                            new SubjectKeyIdentifier(keyIdentifier(spki)));
                }
                byte[] issuerKeyId = issuer == null ? null
                        : issuer.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId());
                if (issuerKeyId != null) {
                    byte[] keyId = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(issuerKeyId).getOctets())
                            .getKeyIdentifier();
                    builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId));
                }
                if (masaUrl != null) {
                    builder.addExtension(new ASN1ObjectIdentifier(MASA_URL_OID), false, new DERIA5String(masaUrl));
                }
                ContentSigner signer = new JcaContentSignerBuilder(algorithm).setProvider(Crypto.provider())
                        .setSecureRandom(rng).build(signingKey);
                return new JcaX509CertificateConverter().setProvider(Crypto.provider())
                        .getCertificate(builder.build(signer));
            } catch (CertIOException | OperatorCreationException | CertificateException e) {
                throw new IllegalStateException("cannot issue certificate for " + subjectName + ": " + e.getMessage(), e);
            }
        }

        private X500Name subjectName() {
            List<RDN> rdns = new ArrayList<>();
            if (subject != null) {
                rdns.addAll(Arrays.asList(subject.getRDNs()));
            } else if (serialNumberAttribute == null) {
                rdns.add(new RDN(BCStyle.CN, new DERUTF8String(UUID.randomUUID().toString())));
            }
            if (serialNumberAttribute != null) {
                rdns.add(new RDN(BCStyle.SERIALNUMBER, DERPrintableString.isPrintableString(serialNumberAttribute)
                        ? new DERPrintableString(serialNumberAttribute)
                        : new DERUTF8String(serialNumberAttribute)));
            }
            return new X500Name(rdns.toArray(RDN[]::new));
        }

        private static boolean isRsa(SubjectPublicKeyInfo spki) {
            return PKCSObjectIdentifiers.rsaEncryption.equals(spki.getAlgorithm().getAlgorithm());
        }
    }
}
