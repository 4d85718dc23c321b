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
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
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

    /** {@code GET /csrattrs}: DER CsrAttrs (RFC 7030 4.5.2). */
    public byte[] csrAttributes() {
        return EstEncoding.csrAttributes();
    }

    /** Whether {@code /serverkeygen} is offered. */
    public boolean serverKeyGenEnabled() {
        return settings.serverKeyGen();
    }

    /** {@code POST /simpleenroll}: the new LDevID as DER certs-only PKCS#7 (RFC 7030 4.2). */
    public byte[] simpleEnroll(byte[] body, List<X509Certificate> tlsChain) throws RegistrarException {
        return enroll(body, tlsChain).certsOnly();
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
     */
    public Enrolled enroll(byte[] body, List<X509Certificate> tlsChain) throws RegistrarException {
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
        PKCS10CertificationRequest csr = csr(body);
        X500Name subject = ldevidSubject(csr.getSubject(), serial);
        X509Certificate issued = issue(serial, subject, csr.getSubjectPublicKeyInfo());
        LOG.info("LDevID {} issued to {} by simpleenroll", issued.getSerialNumber().toString(16), serial);
        return new Enrolled(issued, false);
    }

    /** {@code POST /simplereenroll}: a renewed LDevID (RFC 7030 4.2.2), same subject, for a client holding one. */
    public byte[] simpleReenroll(byte[] body, List<X509Certificate> tlsChain) throws RegistrarException {
        Device device = ldevidClient(tlsChain, "re-enrollment");
        X509Certificate current = tlsChain.get(0);
        checkCertificateLimit(device.serial(), device.certificates());
        PKCS10CertificationRequest csr = csr(body);
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
     * {@code POST /serverkeygen} (RFC 7030 4.4): the registrar generates an EC P-256 key for the pledge and certifies it
     * with the CSR's subject. The key is returned unencrypted, protected by TLS only (4.4.2), and never logged.
     */
    public GeneratedKey serverKeyGen(byte[] body, List<X509Certificate> tlsChain) throws RegistrarException {
        if (!settings.serverKeyGen()) {
            throw RegistrarException.notFound("not-offered", "server-side key generation is not offered");
        }
        String serial = enrollingPledge(tlsChain);
        PKCS10CertificationRequest csr = csr(body);
        X500Name subject = ldevidSubject(csr.getSubject(), serial);
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Crypto.provider());
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
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

    private PKCS10CertificationRequest csr(byte[] body) throws RegistrarException {
        byte[] der = requestDer(body);
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            if (SelfSignedRequest.parse(der).isPresent()) {
                throw RegistrarException.badRequest("certificate-body", "the body is a certificate, not a PKCS#10"
                        + " certification request (RFC 7030 4.2.1); the self-signed certificate of nqminds brski is"
                        + " accepted only with compat nqminds");
            }
            throw RegistrarException.badRequest("malformed-csr", "the body is not a PKCS#10 certification request");
        }
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
        if (body.length > settings.maxCsrBytes()) {
            throw RegistrarException.tooLarge("CSR exceeds the limit of " + settings.maxCsrBytes() + " bytes");
        }
        return EstEncoding.decodeBody(body, "CSR");
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

    private static void checkKey(SubjectPublicKeyInfo spki) throws RegistrarException {
        ASN1ObjectIdentifier algorithm = spki.getAlgorithm().getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            Object curve = spki.getAlgorithm().getParameters();
            if (SECObjectIdentifiers.secp256r1.equals(curve) || SECObjectIdentifiers.secp384r1.equals(curve)) {
                return;
            }
            throw RegistrarException.badRequest("unsupported-key", "only EC P-256 and P-384 or RSA-2048+ keys are"
                    + " certified");
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            try {
                org.bouncycastle.asn1.pkcs.RSAPublicKey rsa = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(
                        spki.parsePublicKey());
                if (rsa.getModulus().bitLength() >= 2048) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                throw RegistrarException.badRequest("unsupported-key", "the CSR's RSA key is malformed");
            }
        }
        throw RegistrarException.badRequest("unsupported-key", "only EC P-256 and P-384 or RSA-2048+ keys are"
                + " certified");
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
