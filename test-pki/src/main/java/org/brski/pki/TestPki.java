package org.brski.pki;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.brski.pkix.Crypto;

/**
 * A complete BRSKI test PKI (RFC 8995 section 2.5): the manufacturer's side (root CA, MASA voucher signer, MASA TLS
 * server, pledge IDevIDs) and the owner's side (domain CA, registrar), built in memory.
 *
 * <pre>{@code
 * TestPki pki = TestPki.builder().masaUrl("https://localhost:" + port).pledges(3).build();
 * HeldCertificate pledge = pki.pledge("BRSKI-0001");
 * }</pre>
 *
 * <p>Immutable; the issue methods create new certificates without changing this object. Thread-safe.
 */
public final class TestPki {
    /** IDevID notAfter by default: the GeneralizedTime 99991231235959Z of RFC 8995 section 2.6.2. */
    public static final Instant IDEVID_NO_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");
    /** The MASA URL put into IDevIDs when none is given (does not resolve, so nothing is contacted by accident). */
    public static final String DEFAULT_MASA_URL = "https://masa.example.com";

    static final String MANUFACTURER = "BRSKI Test Manufacturer";
    static final String DOMAIN = "BRSKI Test Domain";

    private final KeyType keyType;
    private final KeyType pledgeKeyType;
    private final String masaUrl;
    private final HeldCertificate manufacturerCa;
    private final HeldCertificate masaSigner;
    private final HeldCertificate masaTls;
    private final HeldCertificate domainCa;
    private final HeldCertificate registrar;
    private final Map<String, HeldCertificate> pledges;
    private final SecureRandom random;
    private final Clock clock;
    private final Instant idevidNotAfter;

    TestPki(KeyType keyType, KeyType pledgeKeyType, String masaUrl, HeldCertificate manufacturerCa,
            HeldCertificate masaSigner, HeldCertificate masaTls, HeldCertificate domainCa, HeldCertificate registrar,
            Map<String, HeldCertificate> pledges, SecureRandom random, Clock clock, Instant idevidNotAfter) {
        this.keyType = keyType;
        this.pledgeKeyType = pledgeKeyType;
        this.masaUrl = masaUrl;
        this.manufacturerCa = manufacturerCa;
        this.masaSigner = masaSigner;
        this.masaTls = masaTls;
        this.domainCa = domainCa;
        this.registrar = registrar;
        this.pledges = Collections.unmodifiableMap(new LinkedHashMap<>(pledges));
        this.random = random;
        this.clock = clock;
        this.idevidNotAfter = idevidNotAfter;
    }

    /** A builder with defaults: P-256 keys, {@link #DEFAULT_MASA_URL}, one pledge {@code BRSKI-0001}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The key type of the CAs, MASA and registrar. */
    public KeyType keyType() {
        return keyType;
    }

    /** The key type of the pledges' IDevIDs. */
    public KeyType pledgeKeyType() {
        return pledgeKeyType;
    }

    /** The MASA URL as carried in the IDevIDs' id-pe-masa-url extension (RFC 8995 section 2.3.2). */
    public String masaUrl() {
        return masaUrl;
    }

    /** The manufacturer's self-signed root CA, which issues the IDevIDs and the MASA certificates. */
    public HeldCertificate manufacturerCa() {
        return manufacturerCa;
    }

    /** The MASA's voucher-signing end-entity certificate (RFC 8995 section 5.6), issued by the manufacturer CA. */
    public HeldCertificate masaSigner() {
        return masaSigner;
    }

    /**
     * The MASA's TLS server certificate (RFC 8995 section 5.4): serverAuth, SAN localhost, 127.0.0.1, ::1 and the
     * host of the MASA URL; issued by the manufacturer CA.
     */
    public HeldCertificate masaTls() {
        return masaTls;
    }

    /** The owner's self-signed domain CA: the trust anchor a voucher pins (RFC 8995 section 5.6). */
    public HeldCertificate domainCa() {
        return domainCa;
    }

    /**
     * The registrar: EKU id-kp-cmcRA (it signs registrar voucher-requests, RFC 8995 section 5.5) plus serverAuth
     * and clientAuth (TLS towards pledges and the MASA), SAN localhost, 127.0.0.1, ::1; issued by the domain CA.
     */
    public HeldCertificate registrar() {
        return registrar;
    }

    /** The pledges' IDevIDs, in serial order as built. */
    public List<HeldCertificate> pledges() {
        return List.copyOf(pledges.values());
    }

    /** The pledge serial-numbers, in order. */
    public List<String> serials() {
        return List.copyOf(pledges.keySet());
    }

    /**
     * The IDevID of the pledge with this serial-number.
     *
     * @throws IllegalArgumentException if there is no such pledge
     */
    public HeldCertificate pledge(String serial) {
        HeldCertificate pledge = pledges.get(serial);
        if (pledge == null) {
            throw new IllegalArgumentException("no pledge with serial-number '" + serial + "'; known: " + serials());
        }
        return pledge;
    }

    /**
     * A new IDevID from this manufacturer with a new key; this PKI is not changed. See
     * {@link #issuePledge(String, KeyPair)}.
     */
    public HeldCertificate issuePledge(String serial) {
        return issuePledge(serial, pledgeKeyType.generate(random));
    }

    /**
     * A new IDevID for an existing key, e.g. the second IDevID of a device that keeps its key (RFC 8995 Appendix C:
     * the prior-signed voucher-request is signed by an older IDevID of the same key pair). Subject {@code
     * CN=<manufacturer> Pledge <serial>} plus the X520 serialNumber (RFC 8995 section 2.3.1), the MASA URL extension
     * (section 2.3.2), EKU clientAuth, notAfter 9999-12-31T23:59:59Z unless configured (section 2.6.2).
     */
    public HeldCertificate issuePledge(String serial, KeyPair existingKey) {
        Objects.requireNonNull(serial, "serial");
        return idevid(serial, masaUrl, manufacturerCa, clock.instant().minus(Duration.ofHours(1)), idevidNotAfter,
                random)
                .keyPair(existingKey).build();
    }

    /**
     * Issues an LDevID from the domain CA for a pledge's PKCS#10 request, as the registrar's CA would after
     * {@code /simpleenroll} (RFC 8995 section 5.9.3). The request's signature is checked first (proof of possession);
     * the subject is kept as requested (including the serialNumber), requested extensions are ignored, EKU
     * clientAuth+serverAuth.
     *
     * @param validity how long after "now" (this PKI's clock) the LDevID is valid; it starts one hour before now
     * @throws IllegalArgumentException if the request's signature does not verify or its subject is empty
     */
    public X509Certificate issueLdevid(PKCS10CertificationRequest csr, Duration validity) {
        Objects.requireNonNull(csr, "csr");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("LDevID validity must be positive: " + validity);
        }
        boolean valid;
        try {
            valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Crypto.provider())
                    .build(csr.getSubjectPublicKeyInfo()));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new IllegalArgumentException("certification request signature cannot be verified: "
                    + e.getMessage(), e);
        }
        if (!valid) {
            throw new IllegalArgumentException("certification request signature does not verify (no proof of "
                    + "possession) for subject " + csr.getSubject());
        }
        X500Name subject = csr.getSubject();
        if (subject.getRDNs().length == 0) {
            throw new IllegalArgumentException("certification request has an empty subject");
        }
        Instant now = clock.instant();
        return HeldCertificate.builder()
                .subject(subject)
                .signedBy(domainCa)
                .extendedKeyUsage(HeldCertificate.ID_KP_CLIENT_AUTH, HeldCertificate.ID_KP_SERVER_AUTH)
                .validity(now.minus(Duration.ofHours(1)), now.plus(validity))
                .random(random)
                .issueFor(csr.getSubjectPublicKeyInfo());
    }

    /** Equal when every certificate and key is equal (random source and clock are not compared). */
    @Override
    public boolean equals(Object o) {
        return o instanceof TestPki other
                && keyType == other.keyType
                && pledgeKeyType == other.pledgeKeyType
                && masaUrl.equals(other.masaUrl)
                && manufacturerCa.equals(other.manufacturerCa)
                && masaSigner.equals(other.masaSigner)
                && masaTls.equals(other.masaTls)
                && domainCa.equals(other.domainCa)
                && registrar.equals(other.registrar)
                && pledges.equals(other.pledges);
    }

    @Override
    public int hashCode() {
        return Objects.hash(manufacturerCa, domainCa);
    }

    @Override
    public String toString() {
        return "TestPki[" + keyType.cliName() + ", MASA " + masaUrl + ", pledges " + serials() + "]";
    }

    SecureRandom random() {
        return random;
    }

    Clock clock() {
        return clock;
    }

    Instant idevidNotAfter() {
        return idevidNotAfter;
    }

    private static HeldCertificate.Builder idevid(String serial, String masaUrl, HeldCertificate manufacturerCa,
            Instant notBefore, Instant notAfter, SecureRandom random) {
        return HeldCertificate.builder()
                .commonName(MANUFACTURER + " Pledge " + serial)
                .serialNumberAttribute(serial)
                .masaUrl(masaUrl)
                .extendedKeyUsage(HeldCertificate.ID_KP_CLIENT_AUTH)
                .validity(notBefore, notAfter)
                .signedBy(manufacturerCa)
                .random(random);
    }

    /** The host of a MASA URL given as a URI or as an authority only (RFC 8995 section 2.3.2), if it has one. */
    static String masaHost(String masaUrl) {
        String withScheme = masaUrl.contains("://") ? masaUrl : "https://" + masaUrl;
        try {
            String host = new URI(withScheme).getHost();
            if (host == null) {
                return null;
            }
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    /**
     * Builds a {@link TestPki}. Defaults: {@link KeyType#EC_P256} everywhere, MASA URL {@link #DEFAULT_MASA_URL},
     * one pledge {@code BRSKI-0001}, CA and server certificates valid from one hour ago for 3650 days, IDevIDs until
     * 9999-12-31T23:59:59Z, the system UTC clock.
     */
    public static final class Builder {
        private KeyType keyType = KeyType.EC_P256;
        private KeyType pledgeKeyType;
        private String masaUrl = DEFAULT_MASA_URL;
        private List<String> serials = serialsFor(1);
        private Clock clock = Clock.systemUTC();
        private Duration validFor = Duration.ofDays(3650);
        private Instant notBefore;
        private Instant notAfter;
        private Instant idevidNotAfter = IDEVID_NO_EXPIRY;
        private SecureRandom random;

        private Builder() {
        }

        /** The key type of the CAs, MASA and registrar certificates (and of pledges unless set separately). */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        /** The key type of the pledges' IDevIDs (default: {@link #keyType(KeyType)}). */
        public Builder pledgeKeyType(KeyType pledgeKeyType) {
            this.pledgeKeyType = Objects.requireNonNull(pledgeKeyType, "pledgeKeyType");
            return this;
        }

        /** The MASA URL for the IDevIDs' extension: a URI or just an authority (RFC 8995 section 2.3.2). */
        public Builder masaUrl(String masaUrl) {
            this.masaUrl = HeldCertificate.requireIa5MasaUrl(masaUrl);
            return this;
        }

        /** {@code n} pledges with serial-numbers {@code BRSKI-0001} ... (replaces {@link #serials(String...)}). */
        public Builder pledges(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("pledge count must be >= 0: " + n);
            }
            this.serials = serialsFor(n);
            return this;
        }

        /** Pledges with exactly these serial-numbers, in this order (replaces {@link #pledges(int)}). */
        public Builder serials(String... serials) {
            List<String> list = new ArrayList<>();
            for (String serial : serials) {
                if (serial == null || serial.isEmpty()) {
                    throw new IllegalArgumentException("empty pledge serial-number");
                }
                if (list.contains(serial)) {
                    throw new IllegalArgumentException("duplicate pledge serial-number: " + serial);
                }
                list.add(serial);
            }
            this.serials = List.copyOf(list);
            return this;
        }

        /** The clock that "now" comes from, for the validity periods (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** CA, MASA and registrar certificates valid from one hour before "now" for {@code duration}. */
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
         * Explicit validity for the CA, MASA and registrar certificates, e.g. in the past for expiry tests. IDevIDs
         * start at the same {@code notBefore}.
         */
        public Builder validity(Instant notBefore, Instant notAfter) {
            if (!notBefore.isBefore(notAfter)) {
                throw new IllegalArgumentException("notBefore " + notBefore + " is not before notAfter " + notAfter);
            }
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            return this;
        }

        /**
         * The IDevIDs' notAfter (default {@link #IDEVID_NO_EXPIRY}); some field IDevIDs expire after a few years
         * (RFC 8995 section 2.6.2).
         */
        public Builder idevidNotAfter(Instant notAfter) {
            this.idevidNotAfter = Objects.requireNonNull(notAfter, "notAfter");
            return this;
        }

        /** The random source for all keys, serials and signatures (default: one new {@link SecureRandom}). */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Generates all keys and certificates. */
        public TestPki build() {
            SecureRandom rng = random != null ? random : new SecureRandom();
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Instant from = notBefore != null ? notBefore : now.minus(Duration.ofHours(1));
            Instant to = notAfter != null ? notAfter : now.plus(validFor);
            KeyType pledgeType = pledgeKeyType != null ? pledgeKeyType : keyType;

            HeldCertificate manufacturerCa = HeldCertificate.builder()
                    .subject("CN=" + MANUFACTURER + " Root CA,O=" + MANUFACTURER)
                    .certificateAuthority(1).keyType(keyType).validity(from, to).random(rng).build();
            HeldCertificate masaSigner = HeldCertificate.builder()
                    .subject("CN=" + MANUFACTURER + " MASA Voucher Signer,O=" + MANUFACTURER)
                    .keyType(keyType).validity(from, to).signedBy(manufacturerCa).random(rng).build();
            HeldCertificate.Builder masaTlsBuilder = HeldCertificate.builder()
                    .subject("CN=" + MANUFACTURER + " MASA,O=" + MANUFACTURER)
                    .extendedKeyUsage(HeldCertificate.ID_KP_SERVER_AUTH)
                    .dnsNames("localhost").ipAddresses("127.0.0.1", "::1")
                    .keyType(keyType).validity(from, to).signedBy(manufacturerCa).random(rng);
            String host = masaHost(masaUrl);
            if (host != null && !host.equals("localhost") && !host.equals("127.0.0.1") && !host.equals("::1")) {
                if (isIpLiteral(host)) {
                    masaTlsBuilder.ipAddresses(host);
                } else {
                    masaTlsBuilder.dnsNames(host);
                }
            }
            HeldCertificate masaTls = masaTlsBuilder.build();

            HeldCertificate domainCa = HeldCertificate.builder()
                    .subject("CN=" + DOMAIN + " Root CA,O=" + DOMAIN)
                    .certificateAuthority(1).keyType(keyType).validity(from, to).random(rng).build();
            HeldCertificate registrar = HeldCertificate.builder()
                    .subject("CN=" + DOMAIN + " Registrar,O=" + DOMAIN)
                    .extendedKeyUsage(HeldCertificate.ID_KP_CMC_RA, HeldCertificate.ID_KP_SERVER_AUTH,
                            HeldCertificate.ID_KP_CLIENT_AUTH)
                    .dnsNames("localhost").ipAddresses("127.0.0.1", "::1")
                    .keyType(keyType).validity(from, to).signedBy(domainCa).random(rng).build();

            Map<String, HeldCertificate> pledges = new LinkedHashMap<>();
            for (String serial : serials) {
                pledges.put(serial, idevid(serial, masaUrl, manufacturerCa, from, idevidNotAfter, rng)
                        .keyType(pledgeType).build());
            }
            return new TestPki(keyType, pledgeType, masaUrl, manufacturerCa, masaSigner, masaTls, domainCa,
                    registrar, pledges, rng, clock, idevidNotAfter);
        }

        private static List<String> serialsFor(int n) {
            String[] serials = new String[n];
            Arrays.setAll(serials, i -> String.format(Locale.ROOT, "BRSKI-%04d", i + 1));
            return List.of(serials);
        }
    }
}
