package org.brski.registrar.est;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.brski.pkix.CertPaths;
import org.brski.pkix.Crypto;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.PkixException;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.policy.Approval;
import org.brski.registrar.policy.Manufacturer;
import org.brski.registrar.store.Device;
import org.brski.registrar.store.IssuedCertificate;
import org.brski.registrar.store.RegistrarStore;
import org.brski.server.config.Compat;
import org.brski.server.tls.ChannelBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EST operations of the registrar (RFC 7030 section 4, RFC 8995 section 5.9). Enrollment is open only to a pledge
 * whose voucher this registrar obtained, authenticated at TLS with that IDevID's key; re-enrollment only to a client
 * authenticated with a valid LDevID issued here. Every CSR must prove possession of its key; the LDevID keeps the
 * device's serialNumber. The operator's decisions are read on every request: a denied device, or a device of a
 * manufacturer distrusted since its voucher, gets no LDevID (enrollment and re-enrollment alike). With
 * {@link Compat#NQMINDS} the nqminds pledge's enrollment (a self-signed certificate instead of a CSR) is accepted too
 * ({@link #enroll}). Thread-safe.
 */
public final class EstService {
    private static final Logger LOG = LoggerFactory.getLogger(EstService.class);

    private final RegistrarStore store;
    private final DomainCa ca;
    private final EstSettings settings;
    private final Clock clock;
    private final Compat compat;
    private final SecureRandom random = Crypto.newSecureRandom();

    public EstService(RegistrarStore store, DomainCa ca, EstSettings settings, Clock clock) {
        this(store, ca, settings, clock, Compat.NONE);
    }

    /** As {@link #EstService(RegistrarStore, DomainCa, EstSettings, Clock)}, also accepting the pledge dialect {@code compat}. */
    public EstService(RegistrarStore store, DomainCa ca, EstSettings settings, Clock clock, Compat compat) {
        this.store = Objects.requireNonNull(store, "store");
        this.ca = Objects.requireNonNull(ca, "ca");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.compat = Objects.requireNonNull(compat, "compat");
    }

    /** The pledge dialect accepted besides RFC 7030 ({@link Compat#NONE} by default). */
    public Compat compat() {
        return compat;
    }

    /** {@code GET /cacerts}: DER certs-only PKCS#7 of the domain CA certificates (RFC 7030 4.1.3). */
    public byte[] caCerts() {
        return EstEncoding.certsOnly(ca.caCertificates());
    }

    /**
     * {@code GET /csrattrs}: DER CsrAttrs (RFC 7030 4.5.2), naming challengePassword when the policy requires the TLS
     * channel binding in every CSR ({@link EstSettings#requirePopLinking()}).
     */
    public byte[] csrAttributes() {
        return EstEncoding.csrAttributes(settings.requirePopLinking());
    }

    /** Whether {@code /serverkeygen} is offered. */
    public boolean serverKeyGenEnabled() {
        return settings.serverKeyGen();
    }

    /** {@code POST /simpleenroll}: the new LDevID as DER certs-only PKCS#7 (RFC 7030 4.2). */
    public byte[] simpleEnroll(byte[] body, List<X509Certificate> tlsChain, Optional<ChannelBinding> binding)
            throws RegistrarException {
        return enroll(body, tlsChain, binding).certsOnly();
    }

    /**
     * The LDevID issued by {@code /simpleenroll}, and the form of the request it answers.
     *
     * @param certificateRequest whether the request was the self-signed certificate of nqminds brski (accepted only
     *                           with {@link Compat#acceptsCertificateEnrollment()}), to be answered as nqminds expects:
     *                           the certificate alone, one line of base64, not certs-only PKCS#7
     */
    public record Enrolled(X509Certificate certificate, boolean certificateRequest) {
        /** The certificate as DER certs-only PKCS#7 (RFC 7030 4.2.3). */
        public byte[] certsOnly() {
            return EstEncoding.certsOnly(List.of(certificate));
        }
    }

    /**
     * {@code POST /simpleenroll} (RFC 7030 4.2, RFC 8995 5.9.3): a PKCS#10 CSR; with {@link Compat#NQMINDS} also the
     * self-signed certificate nqminds brski sends instead. Such a certificate proves possession by its self-signature
     * and requests nothing else: the LDevID gets the IDevID's subject (the TLS client certificate's, never the
     * request's) and this registrar's usual profile. The voucher-before-enroll rules are the same for both forms.
     *
     * @throws RegistrarException as for a CSR; 400 {@code certificate-body} for such a certificate without compat
     *                            nqminds, {@code certificate-bad-signature} when its self-signature does not verify
     * @param binding the TLS connection's channel binding, when the TLS implementation exposes it (RFC 7030 3.5)
     */
    public Enrolled enroll(byte[] body, List<X509Certificate> tlsChain, Optional<ChannelBinding> binding)
            throws RegistrarException {
        String serial = enrollingPledge(tlsChain);
        Optional<SelfSignedRequest> selfSigned = compat.acceptsCertificateEnrollment()
                ? selfSignedCertificate(body) : Optional.empty();
        if (selfSigned.isPresent()) {
            X500Name subject = X500Name.getInstance(tlsChain.get(0).getSubjectX500Principal().getEncoded());
            X509Certificate issued = issue(serial, subject, selfSigned.get().publicKey());
            LOG.info("LDevID {} issued to {} by simpleenroll (nqminds self-signed certificate request)",
                    issued.getSerialNumber().toString(16), serial);
            return new Enrolled(issued, true);
        }
        PKCS10CertificationRequest csr = csr(body, binding);
        X500Name subject = ldevidSubject(csr.getSubject(), serial);
        X509Certificate issued = issue(serial, subject, csr.getSubjectPublicKeyInfo());
        LOG.info("LDevID {} issued to {} by simpleenroll", issued.getSerialNumber().toString(16), serial);
        return new Enrolled(issued, false);
    }

    /** {@code POST /simplereenroll}: a renewed LDevID (RFC 7030 4.2.2), same subject, for a client holding one. */
    public byte[] simpleReenroll(byte[] body, List<X509Certificate> tlsChain, Optional<ChannelBinding> binding)
            throws RegistrarException {
        Device device = ldevidClient(tlsChain, "re-enrollment");
        X509Certificate current = tlsChain.get(0);
        checkCertificateLimit(device.serial(), device.certificates());
        PKCS10CertificationRequest csr = csr(body, binding);
        X500Name currentSubject = X500Name.getInstance(current.getSubjectX500Principal().getEncoded());
        if (!currentSubject.equals(csr.getSubject())) {
            throw RegistrarException.badRequest("subject-changed",
                    "a re-enrollment CSR must carry the subject of the current certificate (RFC 7030 4.2.2)");
        }
        X509Certificate issued = issue(device.serial(), currentSubject, csr.getSubjectPublicKeyInfo());
        LOG.info("LDevID {} issued to {} by simplereenroll", issued.getSerialNumber().toString(16), device.serial());
        return EstEncoding.certsOnly(List.of(issued));
    }

    /**
     * The device behind a TLS client that authenticated with an LDevID (RFC 8995 5.9.3): re-enrollment and the fieldbus
     * key service recognise their clients alike. The operator's current decisions are read now: a denied device, a
     * distrusted manufacturer or a violated audit-log refuse the client although its LDevID is still valid.
     *
     * @param purpose what the client asked for, for the 401 detail (e.g. "re-enrollment")
     * @throws RegistrarException 401 {@code client-certificate-required}; 403 {@code not-an-ldevid} unless this
     *                            registrar issued it, {@code ldevid-invalid} unless it validates now to the domain CA,
     *                            {@code unknown-device}, {@code device-denied}, {@code manufacturer-distrusted},
     *                            {@code audit-log-violation}
     */
    public Device ldevidClient(List<X509Certificate> tlsChain, String purpose) throws RegistrarException {
        if (tlsChain.isEmpty()) {
            throw RegistrarException.unauthorized("client-certificate-required",
                    purpose + " requires the current LDevID as TLS client certificate");
        }
        X509Certificate current = tlsChain.get(0);
        IssuedCertificate known = store.issuedCertificate(current).orElseThrow(() -> RegistrarException.forbidden(
                "not-an-ldevid", "the TLS client certificate is not an LDevID issued by this registrar"));
        try {
            CertPaths.validate(current, List.of(), List.of(ca.certificate()), clock.instant());
        } catch (PkixException e) {
            throw RegistrarException.forbidden("ldevid-invalid", "the current LDevID is not valid: expired or revoked"
                    + " issuer");
        }
        Device device = store.device(known.serial()).orElseThrow(() -> RegistrarException.forbidden("unknown-device",
                "the LDevID's device is no longer known"));
        checkDeviceAllowed(device);
        return device;
    }

    /** The result of {@code /serverkeygen}: the new private key (PKCS#8 DER) and its certificate (certs-only DER). */
    public record GeneratedKey(byte[] pkcs8, byte[] certsOnly) {
        public GeneratedKey {
            pkcs8 = pkcs8.clone();
            certsOnly = certsOnly.clone();
        }

        @Override
        public byte[] pkcs8() {
            return pkcs8.clone();
        }

        @Override
        public byte[] certsOnly() {
            return certsOnly.clone();
        }

        @Override
        public String toString() {
            return "GeneratedKey[key hidden, certificate " + certsOnly.length + " bytes]";
        }
    }

    /**
     * {@code POST /serverkeygen} (RFC 7030 4.4): the registrar generates a key of the CSR key's type and size (EC on its
     * curve, RSA of its modulus length, RFC 7030 4.4.1: the CSR's public key only says what the client wants) and
     * certifies it with the CSR's subject. The key is returned unencrypted, protected by TLS only (4.4.2), and never
     * logged.
     */
    public GeneratedKey serverKeyGen(byte[] body, List<X509Certificate> tlsChain, Optional<ChannelBinding> binding)
            throws RegistrarException {
        if (!settings.serverKeyGen()) {
            throw RegistrarException.notFound("not-offered", "server-side key generation is not offered");
        }
        String serial = enrollingPledge(tlsChain);
        PKCS10CertificationRequest csr = csr(body, binding);
        X500Name subject = ldevidSubject(csr.getSubject(), serial);
        KeyPair pair = generateLike(csr.getSubjectPublicKeyInfo());
        X509Certificate issued = issue(serial, subject,
                SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()));
        LOG.info("LDevID {} with a server-generated key issued to {}", issued.getSerialNumber().toString(16), serial);
        return new GeneratedKey(pair.getPrivate().getEncoded(), EstEncoding.certsOnly(List.of(issued)));
    }

    // ------------------------------------------------------------------ checks

    /** The serial of a pledge allowed to enroll: IDevID at TLS, a voucher obtained here, not denied, audit clean. */
    private String enrollingPledge(List<X509Certificate> tlsChain) throws RegistrarException {
        if (tlsChain.isEmpty()) {
            throw RegistrarException.unauthorized("client-certificate-required",
                    "enrollment requires the pledge's IDevID as TLS client certificate");
        }
        X509Certificate client = tlsChain.get(0);
        String serial = DeviceCertificates.serialNumber(client).orElseThrow(() -> RegistrarException.forbidden(
                "no-serial-number", "the TLS client certificate has no subject serialNumber"));
        Optional<Device> device = store.device(serial);
        if (device.isEmpty() || device.get().vouchers() == 0) {
            throw RegistrarException.forbidden("no-voucher",
                    "enrollment requires a voucher obtained by this registrar for this device");
        }
        boolean sameKey = device.get().idevid().map(id -> MessageDigest.isEqual(id.getPublicKey().getEncoded(),
                client.getPublicKey().getEncoded())).orElse(false);
        if (!sameKey) {
            throw RegistrarException.forbidden("client-certificate-mismatch",
                    "the TLS client certificate is not the IDevID the voucher was obtained for");
        }
        checkDeviceAllowed(device.get());
        checkCertificateLimit(serial, device.get().certificates());
        return serial;
    }

    /**
     * Refuses a device that was already issued {@link EstSettings#maxLdevidsPerDevice} LDevIDs: 403, not 429, because
     * the count never goes down by waiting; the operator raises {@code est.maxLdevidsPerDevice} if the device is
     * legitimate. Checked before signing, and again atomically when the certificate is recorded.
     */
    private void checkCertificateLimit(String serial, long issued) throws RegistrarException {
        if (issued >= settings.maxLdevidsPerDevice()) {
            throw ldevidLimit(serial);
        }
    }

    private RegistrarException ldevidLimit(String serial) {
        LOG.warn("LDevID limit reached for {} ({} issued)", serial, settings.maxLdevidsPerDevice());
        return RegistrarException.forbidden("ldevid-limit", "device '" + serial + "' was already issued "
                + settings.maxLdevidsPerDevice() + " LDevIDs, the most this domain issues to one device");
    }

    /**
     * The operator's current word on the device, checked on every EST request (not only at voucher time): not denied,
     * its manufacturer still known and trusted (distrusting a manufacturer stops new LDevIDs for its devices, including
     * re-enrollment of devices enrolled before), and no audit-log violation.
     */
    private void checkDeviceAllowed(Device device) throws RegistrarException {
        if (device.approval() == Approval.DENIED) {
            throw RegistrarException.forbidden("device-denied", "device '" + device.serial() + "' is denied");
        }
        if (device.manufacturer().isPresent()) {
            String name = device.manufacturer().get();
            Optional<Manufacturer> manufacturer = store.manufacturer(name);
            if (manufacturer.isEmpty() || !manufacturer.get().trusted()) {
                throw RegistrarException.forbidden("manufacturer-distrusted", "devices of manufacturer '" + name
                        + "' are no longer accepted in this domain: no LDevID is issued to them");
            }
        }
        if (device.auditViolated()) {
            throw RegistrarException.forbidden("audit-log-violation",
                    "the device's MASA audit-log violates the domain's policy (RFC 8995 5.8.3)");
        }
    }

    private PKCS10CertificationRequest csr(byte[] body, Optional<ChannelBinding> binding) throws RegistrarException {
        checkSize(body, settings.maxCsrBytes()); // an oversized body is a 413 whatever it holds
        PKCS10CertificationRequest csr;
        try {
            csr = judgedCsr(body, settings.maxCsrBytes());
        } catch (RegistrarException e) {
            if (isCertificate(body)) {
                throw RegistrarException.badRequest("certificate-body", "the body is a certificate, not a PKCS#10"
                        + " certification request (RFC 7030 4.2.1); the self-signed certificate of nqminds brski is"
                        + " accepted only with compat nqminds");
            }
            throw e;
        }
        checkPopLinking(csr, binding, settings.requirePopLinking());
        return csr;
    }

    /** Whether a body that is no CSR is a certificate instead (the nqminds enrollment request, without compat). */
    private static boolean isCertificate(byte[] body) {
        try {
            return SelfSignedRequest.parse(EstEncoding.decodeBody(body, "CSR")).isPresent();
        } catch (RegistrarException e) {
            return false;
        }
    }

    /** The CSR in an EST body, its key certifiable and its signature verified (possession of the key). */
    static PKCS10CertificationRequest judgedCsr(byte[] body, int maxBytes) throws RegistrarException {
        checkSize(body, maxBytes);
        PKCS10CertificationRequest csr = EstEncoding.pkcs10(body);
        checkKey(csr.getSubjectPublicKeyInfo());
        boolean valid;
        try {
            valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Crypto.provider())
                    .build(csr.getSubjectPublicKeyInfo()));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw RegistrarException.badRequest("csr-bad-signature",
                    "the CSR signature does not verify with its public key (no proof of possession)");
        }
        return csr;
    }

    private byte[] requestDer(byte[] body) throws RegistrarException {
        checkSize(body, settings.maxCsrBytes());
        return EstEncoding.decodeBody(body, "CSR");
    }

    private static void checkSize(byte[] body, int maxBytes) throws RegistrarException {
        if (body.length > maxBytes) {
            throw RegistrarException.tooLarge("CSR exceeds the limit of " + maxBytes + " bytes");
        }
    }

    /**
     * The nqminds enrollment request, when {@code body} is one: an X.509 certificate whose signature verifies with its
     * own public key (its proof of possession). Its names, validity and extensions are ignored.
     *
     * @return empty when the body is not a certificate (then it is judged as a CSR)
     * @throws RegistrarException 400 {@code certificate-bad-signature}, {@code unsupported-key}
     */
    private Optional<SelfSignedRequest> selfSignedCertificate(byte[] body) throws RegistrarException {
        Optional<SelfSignedRequest> request = SelfSignedRequest.parse(requestDer(body));
        if (request.isEmpty()) {
            return request;
        }
        checkKey(request.get().publicKey());
        if (!request.get().selfSignatureValid()) {
            throw RegistrarException.badRequest("certificate-bad-signature", "the certificate's signature does not"
                    + " verify with its own public key: it is not self-signed (no proof of possession)");
        }
        return request;
    }

    /**
     * RFC 7030 section 3.5: a CSR whose challengePassword holds the base64 TLS channel binding (tls-unique on TLS 1.2;
     * tls-exporter, RFC 9266, on TLS 1.3) was made for this TLS connection; any other value means the CSR was made
     * elsewhere (relayed or replayed) and is refused. Any challengePassword is judged as such a binding: this registrar
     * knows no other use for it. A CSR without one is accepted unless {@code required}
     * ({@link EstSettings#requirePopLinking()}).
     */
    static void checkPopLinking(PKCS10CertificationRequest csr, Optional<ChannelBinding> binding, boolean required)
            throws RegistrarException {
        Attribute[] passwords = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword);
        if (passwords.length == 0) {
            if (required) {
                throw RegistrarException.badRequest("pop-linking-required", "this registrar requires the TLS channel"
                        + " binding (tls-unique on TLS 1.2, tls-exporter on TLS 1.3), base64, in the CSR's"
                        + " challengePassword (RFC 7030 3.5; see /csrattrs)");
            }
            return;
        }
        if (passwords.length != 1 || passwords[0].getAttrValues().size() != 1
                || !(passwords[0].getAttrValues().getObjectAt(0) instanceof ASN1String password)) {
            throw RegistrarException.badRequest("pop-linking-failed",
                    "the CSR's challengePassword must be a single string (RFC 2985 5.4.1)");
        }
        ChannelBinding expected = binding.orElseThrow(() -> RegistrarException.badRequest("pop-linking-unverifiable",
                "the CSR carries a challengePassword (RFC 7030 3.5) but this registrar cannot read this connection's"
                        + " channel binding to check it: TLS 1.3 tls-exporter is not exposed by its TLS implementation;"
                        + " send the CSR over TLS 1.2 (tls-unique)"));
        byte[] claimed;
        try {
            claimed = Base64.getDecoder().decode(password.getString().trim());
        } catch (IllegalArgumentException e) {
            claimed = new byte[0];
        }
        if (!expected.matches(claimed)) {
            throw RegistrarException.badRequest("pop-linking-failed", "the CSR's challengePassword is not this TLS"
                    + " connection's " + expected.type() + " channel binding (RFC 7030 3.5): the CSR was not made"
                    + " on this connection");
        }
    }

    /** The key sizes certified: EC P-256 or P-384, or RSA of {@value #MIN_RSA_BITS} to {@value #MAX_RSA_BITS} bits. */
    private static final String KEYS_CERTIFIED = "only EC P-256 and P-384 or RSA keys of 2048 to 8192 bits are"
            + " certified";
    static final int MIN_RSA_BITS = 2048;
    /** Larger moduli buy no security worth their cost and make every signature check a CPU sink for the verifier. */
    static final int MAX_RSA_BITS = 8192;
    /** RSA sizes {@code /serverkeygen} generates: a larger key costs seconds of CPU per request. */
    private static final List<Integer> GENERATED_RSA_BITS = List.of(2048, 3072, 4096);

    static void checkKey(SubjectPublicKeyInfo spki) throws RegistrarException {
        ASN1ObjectIdentifier algorithm = spki.getAlgorithm().getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            Object curve = spki.getAlgorithm().getParameters();
            if (SECObjectIdentifiers.secp256r1.equals(curve) || SECObjectIdentifiers.secp384r1.equals(curve)) {
                return;
            }
            throw RegistrarException.badRequest("unsupported-key", KEYS_CERTIFIED);
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            int bits = rsaBits(spki);
            if (bits >= MIN_RSA_BITS && bits <= MAX_RSA_BITS) {
                return;
            }
            throw RegistrarException.badRequest("unsupported-key", "the CSR's RSA key has " + bits + " bits; "
                    + KEYS_CERTIFIED);
        }
        throw RegistrarException.badRequest("unsupported-key", KEYS_CERTIFIED);
    }

    private static int rsaBits(SubjectPublicKeyInfo spki) throws RegistrarException {
        try {
            return org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus().bitLength();
        } catch (IOException | RuntimeException e) {
            throw RegistrarException.badRequest("unsupported-key", "the CSR's RSA key is malformed");
        }
    }

    /** A new key pair of the type and size of {@code requested} (already judged by {@link #checkKey}). */
    private KeyPair generateLike(SubjectPublicKeyInfo requested) throws RegistrarException {
        try {
            if (PKCSObjectIdentifiers.rsaEncryption.equals(requested.getAlgorithm().getAlgorithm())) {
                int bits = rsaBits(requested);
                if (!GENERATED_RSA_BITS.contains(bits)) {
                    throw RegistrarException.badRequest("unsupported-key", "server-side key generation makes RSA"
                            + " keys of 2048, 3072 or 4096 bits, not " + bits);
                }
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", Crypto.provider());
                generator.initialize(bits, random);
                return generator.generateKeyPair();
            }
            String curve = SECObjectIdentifiers.secp384r1.equals(requested.getAlgorithm().getParameters())
                    ? "secp384r1" : "secp256r1";
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Crypto.provider());
            generator.initialize(new ECGenParameterSpec(curve), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a key like the CSR's", e);
        }
    }

    /**
     * The LDevID subject: the CSR's subject when its serialNumber is the device's; a CSR without serialNumber gets the
     * device's appended; a different serialNumber is refused (403).
     */
    static X500Name ldevidSubject(X500Name requested, String serial) throws RegistrarException {
        boolean found = false;
        for (RDN rdn : requested.getRDNs(BCStyle.SERIALNUMBER)) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (!atv.getType().equals(BCStyle.SERIALNUMBER)) {
                    continue;
                }
                if (!(atv.getValue() instanceof ASN1String s) || !s.getString().equals(serial)) {
                    throw RegistrarException.forbidden("csr-serial-mismatch",
                            "the CSR's serialNumber is not the device's serial-number");
                }
                found = true;
            }
        }
        if (found) {
            return requested;
        }
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (RDN rdn : requested.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                builder.addRDN(atv);
            }
        }
        builder.addRDN(BCStyle.SERIALNUMBER, serial);
        return builder.build();
    }

    private X509Certificate issue(String serial, X500Name subject, SubjectPublicKeyInfo key) throws RegistrarException {
        Instant now = clock.instant();
        Instant notAfter = now.plus(settings.ldevidValidity());
        Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        X509Certificate certificate;
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                    new BigInteger(159, random).setBit(158), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(notAfter), subject, key);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                    | KeyUsage.keyAgreement | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(ca.certificate()));
            certificate = new JcaX509CertificateConverter().setProvider(Crypto.provider())
                    .getCertificate(builder.build(ca.newSigner()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue an LDevID: " + e.getMessage(), e);
        }
        if (!store.recordCertificate(serial, certificate, settings.maxLdevidsPerDevice())) {
            throw ldevidLimit(serial); // a concurrent request took the last one; this certificate is discarded
        }
        return certificate;
    }
}
