package org.brski.registrar.voucher;

import java.net.URI;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.brski.pkix.Certificates;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.PkixException;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.masa.AuditLogVerifier;
import org.brski.registrar.masa.AuditPolicy;
import org.brski.registrar.masa.MasaClient;
import org.brski.registrar.masa.MasaEndpoint;
import org.brski.registrar.masa.MasaResponse;
import org.brski.registrar.policy.Admission;
import org.brski.registrar.policy.AdmissionPolicy;
import org.brski.registrar.policy.Manufacturer;
import org.brski.registrar.store.AuditResult;
import org.brski.registrar.store.Device;
import org.brski.registrar.store.RegistrarStore;
import org.brski.registrar.store.VoucherRecord;
import org.brski.server.ServerException;
import org.brski.server.config.Compat;
import org.brski.server.tls.TlsIdentity;
import org.brski.voucher.Assertion;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsSigner;
import org.brski.voucher.cms.CmsVerifier;
import org.brski.voucher.cms.VerifiedContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registrar's voucher flow (RFC 8995 sections 5.2-5.6, 5.8): from the bytes of a pledge voucher-request and the
 * pledge's TLS client certificate chain to the MASA's voucher. Thread-safe; holds no state outside the store.
 *
 * <p>Checks, in order: a client certificate with an X520 serialNumber; the CMS signature, by the key of that
 * certificate (compared by SubjectPublicKeyInfo, so an older IDevID of the same key may sign); the JSON; the
 * serial-number equal to the certificate's; assertion {@code proximity} and {@code proximity-registrar-cert} equal to
 * our TLS certificate (else 401, 5.2); a nonce; created-on within the window; admission policy (5.3); the MASA URL.
 * Then the registrar voucher-request is built (5.5), sent, and the voucher verified against the manufacturer's MASA
 * anchors: serial-number, nonce echo, pinned-domain-cert equal to our domain CA or our certificate. Only then is
 * anything stored.
 *
 * <p>The dialect is RFC 8995's unless {@link Compat#NQMINDS} is set ({@link #withCompat}): the body may then be base64
 * (and the voucher is answered in base64), the request root {@code ietf-voucher:voucher} (parsed leniently), an empty
 * POST is the nqminds probe ({@link VoucherOutcome.Probe}), and the MASA's voucher may lack {@code created-on}, be
 * base64 or be labelled {@code text/plain}. Without it each is refused with a problem naming it. No other check
 * depends on the switch.
 *
 * <p>Towards the MASA the dialect is the manufacturer's {@link Manufacturer#masaDialect()}: with
 * {@link Compat#NQMINDS} the registrar voucher-request is posted as base64 ({@link MasaEndpoint#requestBody}) and the
 * answer is read leniently (base64, {@code text/plain}, no {@code created-on}), as the registrar-wide switch also
 * does for every MASA. The voucher is still verified in full; the pledge gets it in the form of its own request
 * (binary for a binary request, base64 for a base64 one).
 */
public final class VoucherService {
    private static final Logger LOG = LoggerFactory.getLogger(VoucherService.class);
    /** Longest serial-number accepted. */
    public static final int MAX_SERIAL = 128;
    /** Longest nonce accepted. */
    public static final int MAX_NONCE = 512;

    private final RegistrarStore store;
    private final AdmissionPolicy policy;
    private final MasaClient masa;
    private final TlsIdentity registrar;
    private final X509Certificate domainCa;
    private final CmsSigner rvrSigner;
    private final VoucherSettings settings;
    private final AuditLogVerifier auditVerifier;
    private final Clock clock;
    private final byte[] registrarCertDer;
    private final byte[] domainCaDer;
    private final java.time.Duration masaRetryAfter;
    private final Compat compat;

    private VoucherService(RegistrarStore store, AdmissionPolicy policy, MasaClient masa, TlsIdentity registrar,
            X509Certificate domainCa, VoucherSettings settings, Clock clock, java.time.Duration masaRetryAfter,
            Compat compat) {
        this.masaRetryAfter = masaRetryAfter;
        this.compat = compat;
        this.store = store;
        this.policy = policy;
        this.masa = masa;
        this.registrar = registrar;
        this.domainCa = domainCa;
        this.settings = settings;
        this.clock = clock;
        this.rvrSigner = CmsSigner.of(registrar.privateKey(), registrar.certificate(), List.of(domainCa))
                .withClock(clock);
        this.registrarCertDer = Certificates.der(registrar.certificate());
        this.domainCaDer = Certificates.der(domainCa);
        this.auditVerifier = AuditLogVerifier.of(settings.audit(), domainIds(registrar.certificate(), domainCa));
    }

    /**
     * A voucher service.
     *
     * @param registrar the registrar's key and certificate: its TLS server certificate (what pledges put in
     *     proximity-registrar-cert) and the signer of registrar voucher-requests (EKU id-kp-cmcRA, RFC 8995 5.5)
     * @param domainCa  the domain CA: sent in the registrar voucher-request so that the MASA may pin it
     * @throws IllegalArgumentException when the registrar certificate lacks id-kp-cmcRA or the key does not match
     */
    public static VoucherService create(RegistrarStore store, AdmissionPolicy policy, MasaClient masa,
            TlsIdentity registrar, X509Certificate domainCa, VoucherSettings settings, Clock clock) {
        if (!DeviceCertificates.hasExtendedKeyUsage(registrar.certificate(), DeviceCertificates.ID_KP_CMC_RA)) {
            throw new IllegalArgumentException("the registrar certificate lacks EKU id-kp-cmcRA (RFC 8995 5.5)");
        }
        return new VoucherService(Objects.requireNonNull(store), Objects.requireNonNull(policy),
                Objects.requireNonNull(masa), Objects.requireNonNull(registrar), Objects.requireNonNull(domainCa),
                Objects.requireNonNull(settings), Objects.requireNonNull(clock), java.time.Duration.ofSeconds(30),
                Compat.NONE);
    }

    /** The same service announcing {@code retryAfter} when the MASA answers 5xx (default 30 s). */
    public VoucherService withMasaRetryAfter(java.time.Duration retryAfter) {
        return new VoucherService(store, policy, masa, registrar, domainCa, settings, clock,
                Objects.requireNonNull(retryAfter, "retryAfter"), compat);
    }

    /** The same service also accepting the pledge dialect {@code compat} (default {@link Compat#NONE}). */
    public VoucherService withCompat(Compat compat) {
        return new VoucherService(store, policy, masa, registrar, domainCa, settings, clock, masaRetryAfter,
                Objects.requireNonNull(compat, "compat"));
    }

    /** The domainIDs of this domain (RFC 8995 5.8.2): key identifiers and SPKI fingerprints of the CA and registrar. */
    public static List<byte[]> domainIds(X509Certificate registrar, X509Certificate domainCa) {
        List<byte[]> ids = new ArrayList<>();
        for (X509Certificate c : List.of(domainCa, registrar)) {
            ids.add(DeviceCertificates.keyIdentifier(c));
            ids.add(DeviceCertificates.spkiKeyIdentifier(c));
            ids.add(DeviceCertificates.spkiSha256(c));
        }
        return ids;
    }

    /**
     * Handles {@code POST /.well-known/brski/requestvoucher}.
     *
     * @param body     the request body (DER CMS; base64 with compat nqminds)
     * @param tlsChain the pledge's TLS client certificate chain, leaf first (accepted provisionally, RFC 8995 5.1)
     */
    public VoucherOutcome requestVoucher(byte[] body, List<X509Certificate> tlsChain) throws RegistrarException {
        if (body.length == 0) {
            if (compat.isProbe(body)) {
                return new VoucherOutcome.Probe();
            }
            throw RegistrarException.badRequest("empty-body", "empty voucher-request body: a CMS-signed"
                    + " voucher-request is required; an empty probe POST is answered only with compat nqminds");
        }
        PledgeRequest pledge = validatePledgeRequest(body, tlsChain);
        Admission admission = policy.admit(pledge.serial, pledge.idevid, pledge.chain);
        if (admission.held()) {
            store.recordPending(pledge.serial, admission.manufacturer().name(), pledge.idevid, sha256(pledge.der));
            LOG.info("voucher-request of {} held for approval (manufacturer {})", pledge.serial,
                    admission.manufacturer().name());
            return new VoucherOutcome.Pending(settings.pendingRetry());
        }
        MasaEndpoint endpoint = masaEndpoint(admission.manufacturer(), pledge.idevid);
        byte[] rvr = registrarVoucherRequest(pledge);
        MasaResponse response = masa.requestVoucher(endpoint, rvr);
        checkMasaStatus(response, endpoint);
        byte[] voucherBytes = response.body();
        Compat.CmsBody voucher = verifyVoucher(voucherBytes, response.contentType(), admission.manufacturer(),
                answerDialect(endpoint), pledge);
        store.recordVoucher(VoucherRecord.of(pledge.serial, clock.instant(), Optional.of(pledge.nonce),
                endpoint.baseUri(), pledge.der, rvr, voucherBytes), admission.manufacturer().name(), pledge.idevid,
                admission.approval());
        LOG.info("voucher obtained for {} from {} ({} bytes)", pledge.serial, endpoint.baseUri(), voucherBytes.length);
        if (settings.audit().mode() != AuditPolicy.Mode.OFF) {
            AuditResult audit = audit(pledge.serial, endpoint, rvr, Optional.of(pledge.nonce));
            if (audit.outcome() == AuditResult.Outcome.VIOLATION && settings.audit().mode() == AuditPolicy.Mode.ENFORCE) {
                throw RegistrarException.of(406, "audit-log-violation", "Not acceptable",
                        "the manufacturer's audit-log for this device violates the domain's policy");
            }
        }
        return new VoucherOutcome.Issued(compat.inFormOf(pledge.body, voucher, voucherBytes), VoucherCms.MEDIA_TYPE);
    }

    /**
     * Requests and judges the MASA audit-log of a device that has a voucher from this registrar (RFC 8995 5.8), and
     * stores the verdict.
     *
     * @throws RegistrarException 404 when no voucher was obtained for the device
     */
    public AuditResult audit(String serial) throws RegistrarException {
        VoucherRecord voucher = store.latestVoucher(serial).orElseThrow(() -> RegistrarException.notFound(
                "no-voucher", "no voucher was obtained for device '" + serial + "'"));
        Device device = store.device(serial).orElseThrow(() -> RegistrarException.notFound("unknown-device",
                "device '" + serial + "' is unknown"));
        Manufacturer manufacturer = device.manufacturer().flatMap(this::manufacturer).orElseThrow(() ->
                RegistrarException.notFound("unknown-manufacturer", "the device's manufacturer is no longer known"));
        MasaEndpoint endpoint = new MasaEndpoint(voucher.masaUrl(), manufacturer.effectiveMasaAnchors(),
                manufacturer.masaDialect());
        return audit(serial, endpoint, freshened(voucher.rvr()), voucher.nonce());
    }

    /**
     * The stored registrar voucher-request signed anew with created-on now. RFC 8995 5.8 asks for the same request as
     * for the voucher; the MASA judges an audit-log request's created-on like a voucher request's (a captured one must
     * not replay the log), so an audit asked for later changes that leaf only.
     */
    private byte[] freshened(byte[] storedRvr) {
        VoucherRequest stored;
        try {
            stored = VoucherCms.verifyVoucherRequest(CmsVerifier.signatureOnly(), VoucherJson.lenient(), storedRvr)
                    .artifact();
        } catch (VoucherException e) {
            throw new IllegalStateException("the stored registrar voucher-request cannot be read", e);
        }
        return VoucherCms.sign(rvrSigner, stored.toBuilder().createdOn(clock.instant().atOffset(ZoneOffset.UTC))
                .build());
    }

    private Optional<Manufacturer> manufacturer(String name) {
        try {
            return store.manufacturer(name);
        } catch (RegistrarException e) {
            return Optional.empty();
        }
    }

    private AuditResult audit(String serial, MasaEndpoint endpoint, byte[] rvr, Optional<String> nonce)
            throws RegistrarException {
        AuditResult result;
        try {
            MasaResponse response = masa.requestAuditLog(endpoint, rvr);
            if (response.status() == 200) {
                result = auditVerifier.verify(response.body(), nonce, clock.instant());
            } else {
                result = new AuditResult(AuditResult.Outcome.UNAVAILABLE, "MASA answered HTTP " + response.status(),
                        "", clock.instant());
            }
        } catch (RegistrarException e) {
            result = new AuditResult(AuditResult.Outcome.UNAVAILABLE, "MASA unreachable", "", clock.instant());
        }
        store.recordAudit(serial, result);
        if (result.outcome() == AuditResult.Outcome.VIOLATION) {
            LOG.warn("audit-log of {} violates policy: {}", serial, result.summary());
        } else {
            LOG.info("audit-log of {}: {} ({})", serial, result.outcome(), result.summary());
        }
        return result;
    }

    // ------------------------------------------------------------------ pledge voucher-request (5.2)

    /** A validated pledge voucher-request. */
    private record PledgeRequest(String serial, X509Certificate idevid, List<X509Certificate> chain, byte[] der,
            VoucherRequest request, String nonce, Compat.CmsBody body) {
    }

    private PledgeRequest validatePledgeRequest(byte[] body, List<X509Certificate> tlsChain)
            throws RegistrarException {
        if (tlsChain.isEmpty()) {
            throw RegistrarException.unauthorized("client-certificate-required",
                    "a TLS client certificate (the pledge's IDevID) is required");
        }
        X509Certificate idevid = tlsChain.get(0);
        List<X509Certificate> chain = tlsChain.subList(1, tlsChain.size());
        String serial = DeviceCertificates.serialNumber(idevid).orElseThrow(() -> RegistrarException.forbidden(
                "no-serial-number", "the TLS client certificate has no subject serialNumber (not an IDevID)"));
        if (serial.isEmpty() || serial.length() > MAX_SERIAL) {
            throw RegistrarException.forbidden("bad-serial-number", "the IDevID serialNumber is empty or longer than "
                    + MAX_SERIAL + " characters");
        }
        if (body.length > settings.maxRequestBytes()) {
            throw RegistrarException.tooLarge("request body exceeds the limit of " + settings.maxRequestBytes() + " bytes");
        }
        Compat.CmsBody decoded;
        byte[] der;
        VerifiedContent cms;
        VoucherRequest request;
        try {
            decoded = compat.voucherBody(body);
            der = decoded.der();
            cms = CmsVerifier.signatureOnly().withMaxSize(settings.maxRequestBytes())
                    .withAdditionalCertificates(List.of(idevid)).verify(der);
        } catch (VoucherException e) {
            throw fromVoucher(e, "pledge voucher-request");
        } catch (ServerException e) {
            throw new RegistrarException(e.problem());
        }
        if (!MessageDigest.isEqual(cms.signer().getPublicKey().getEncoded(), idevid.getPublicKey().getEncoded())) {
            throw RegistrarException.forbidden("signer-mismatch", "the pledge voucher-request is not signed by the key"
                    + " of the TLS client certificate");
        }
        try {
            compat.checkRequestRoot(cms.content());
            request = compat.requestParser(settings.lenientJson()).parseVoucherRequest(cms.content());
        } catch (VoucherException e) {
            throw fromVoucher(e, "pledge voucher-request");
        } catch (ServerException e) {
            throw new RegistrarException(e.problem());
        }
        if (!request.serialNumber().equals(serial)) {
            throw RegistrarException.forbidden("serial-number-mismatch", "serial-number '" + clip(request.serialNumber())
                    + "' differs from the IDevID serialNumber");
        }
        if (request.assertion().orElse(null) != Assertion.PROXIMITY) {
            throw RegistrarException.unauthorized("assertion-not-proximity",
                    "the pledge voucher-request must assert 'proximity' (RFC 8995 5.2)");
        }
        byte[] proximity = request.proximityRegistrarCert().orElseThrow(() -> RegistrarException.unauthorized(
                "proximity-registrar-cert-missing", "proximity-registrar-cert is missing (RFC 8995 5.2)"));
        if (!MessageDigest.isEqual(proximity, registrarCertDer)) {
            throw RegistrarException.unauthorized("proximity-registrar-cert-mismatch",
                    "proximity-registrar-cert is not this registrar's TLS certificate");
        }
        String nonce = request.nonce().orElseThrow(() -> RegistrarException.badRequest("nonce-missing",
                "the pledge voucher-request carries no nonce (RFC 8995 5.2)"));
        if (nonce.length() > MAX_NONCE) {
            throw RegistrarException.badRequest("nonce-too-long", "nonce longer than " + MAX_NONCE + " characters");
        }
        Optional<OffsetDateTime> createdOn = request.createdOn();
        if (createdOn.isEmpty() && settings.requireCreatedOn()) {
            throw RegistrarException.badRequest("created-on-missing", "created-on is required by this registrar");
        }
        if (createdOn.isPresent()) {
            Instant created = createdOn.get().toInstant();
            Instant now = clock.instant();
            if (created.isBefore(now.minus(settings.createdOnMaxAge())) && !heldBefore(serial, der)) {
                throw RegistrarException.forbidden("stale-request", "created-on " + createdOn.get()
                        + " is older than " + settings.createdOnMaxAge().toSeconds() + " seconds");
            }
            if (created.isAfter(now.plus(settings.createdOnSkew()))) {
                throw RegistrarException.forbidden("future-request", "created-on " + createdOn.get()
                        + " lies in the future");
            }
        }
        return new PledgeRequest(serial, idevid, List.copyOf(chain), der, request, nonce, decoded);
    }

    /** RFC 8995 5.6: a pledge resends the very request it was answered 202 for, however long the approval took. */
    private boolean heldBefore(String serial, byte[] der) throws RegistrarException {
        return store.wasHeld(serial, sha256(der));
    }

    private static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    private static RegistrarException fromVoucher(VoucherException e, String what) {
        org.brski.voucher.Problem p = e.problem();
        return new RegistrarException(org.brski.voucher.Problem.of(e.reason().slug(), p.title(), p.status(),
                what + ": " + p.detail()));
    }

    // ------------------------------------------------------------------ registrar voucher-request (5.5)

    private byte[] registrarVoucherRequest(PledgeRequest pledge) {
        VoucherRequest.Builder rvr = VoucherRequest.builder()
                .createdOn(clock.instant().atOffset(ZoneOffset.UTC))
                .assertion(Assertion.PROXIMITY)
                .serialNumber(pledge.serial)
                .nonce(pledge.nonce)
                .priorSignedVoucherRequest(pledge.der);
        DeviceCertificates.authorityKeyIdentifier(pledge.idevid).ifPresent(rvr::idevidIssuer);
        return VoucherCms.sign(rvrSigner, rvr.build());
    }

    private MasaEndpoint masaEndpoint(Manufacturer manufacturer, X509Certificate idevid) throws RegistrarException {
        Optional<URI> uri = manufacturer.masaUrl();
        if (uri.isEmpty()) {
            try {
                uri = DeviceCertificates.masaBaseUri(idevid);
            } catch (PkixException e) {
                throw RegistrarException.forbidden("bad-masa-url", "the IDevID's MASA URL is not usable and no MASA is"
                        + " configured for manufacturer '" + manufacturer.name() + "'");
            }
        }
        URI base = uri.orElseThrow(() -> RegistrarException.forbidden("unknown-masa", "the IDevID names no MASA and"
                + " none is configured for manufacturer '" + manufacturer.name() + "'"));
        if (base.toString().length() > Manufacturer.MAX_MASA_URL) {
            // refused before the MASA is asked: the voucher could not be recorded with it
            throw RegistrarException.forbidden("bad-masa-url", "the IDevID's MASA URL is longer than "
                    + Manufacturer.MAX_MASA_URL + " characters and no MASA is configured for manufacturer '"
                    + manufacturer.name() + "'");
        }
        return new MasaEndpoint(base, manufacturer.effectiveMasaAnchors(), manufacturer.masaDialect());
    }

    /**
     * The dialect a MASA's voucher answer is read in: nqminds when the manufacturer's MASA speaks it, and also for every
     * MASA when the registrar-wide switch is on (as before per-manufacturer dialects existed).
     */
    private Compat answerDialect(MasaEndpoint endpoint) {
        return compat == Compat.NQMINDS || endpoint.dialect() == Compat.NQMINDS ? Compat.NQMINDS : Compat.NONE;
    }

    // ------------------------------------------------------------------ MASA voucher (5.6)

    private void checkMasaStatus(MasaResponse response, MasaEndpoint endpoint) throws RegistrarException {
        int status = response.status();
        if (status == 200) {
            return;
        }
        LOG.warn("MASA {} refused the voucher-request: HTTP {} {}", endpoint.baseUri(), status, response.bodyForLog());
        if (status >= 500) {
            throw RegistrarException.unavailable("masa-unavailable", "the manufacturer's MASA failed; retry later",
                    "MASA answered HTTP " + status, null, masaRetryAfter);
        }
        int relayed = switch (status) {
            case 401, 403 -> 403;
            case 404 -> 404;
            case 406, 415 -> 406;
            case 413 -> 413; // the pledge's request, wrapped in ours, is too large for the MASA: the pledge's to fix
            default -> 502;
        };
        throw new RegistrarException(org.brski.voucher.Problem.of("masa-refused",
                relayed == 502 ? "Bad gateway" : "Refused by the MASA", relayed,
                "the manufacturer's MASA refused the voucher-request (HTTP " + status + ")"
                        + (status == 413 ? ": the pledge voucher-request is too large for it" : "")));
    }

    /** Verifies the MASA's voucher (5.6); returns it decoded. */
    private Compat.CmsBody verifyVoucher(byte[] body, Optional<String> contentType, Manufacturer manufacturer,
            Compat dialect, PledgeRequest pledge) throws RegistrarException {
        String hint = dialect == Compat.NONE ? " (a MASA speaking the nqminds dialect needs masaDialect nqminds for"
                + " manufacturer '" + manufacturer.name() + "')" : "";
        if (contentType.isPresent() && dialect.voucherResponseTypes(VoucherCms.MEDIA_TYPE).stream()
                .noneMatch(contentType.get().split(";", 2)[0].trim()::equalsIgnoreCase)) {
            throw invalidVoucher("the MASA answered Content-Type " + clip(contentType.get()) + hint);
        }
        Compat.CmsBody decoded;
        Voucher voucher;
        try {
            decoded = dialect.voucherBody(body);
            voucher = VoucherCms.verifyVoucher(CmsVerifier.trusting(manufacturer.effectiveMasaAnchors())
                    .withClock(clock).withMaxSize(settings.maxVoucherBytes()), VoucherJson.lenient(), decoded.der())
                    .artifact();
            dialect.checkVoucherCreatedOn(voucher);
        } catch (VoucherException e) {
            throw invalidVoucher(e.getMessage());
        } catch (ServerException e) {
            throw invalidVoucher(e.problem().detail() + hint);
        }
        if (!voucher.serialNumber().equals(pledge.serial)) {
            throw invalidVoucher("voucher serial-number '" + clip(voucher.serialNumber()) + "' is not the pledge's");
        }
        if (!voucher.nonce().map(pledge.nonce::equals).orElse(false)) {
            throw invalidVoucher("voucher nonce does not echo the pledge's nonce");
        }
        byte[] pinned = voucher.pinnedDomainCert();
        if (!MessageDigest.isEqual(pinned, domainCaDer) && !MessageDigest.isEqual(pinned, registrarCertDer)) {
            throw invalidVoucher("voucher pinned-domain-cert is neither this domain's CA nor this registrar");
        }
        return decoded;
    }

    private static RegistrarException invalidVoucher(String why) {
        LOG.warn("MASA voucher rejected: {}", why);
        return RegistrarException.badGateway("masa-voucher-invalid",
                "the voucher from the manufacturer's MASA failed verification: " + why, "MASA voucher invalid: " + why);
    }

    private static String clip(String value) {
        String clean = value.replaceAll("[^\\x20-\\x7E]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }

    /** The registrar certificate (TLS server, RVR signer). */
    public X509Certificate registrarCertificate() {
        return registrar.certificate();
    }
}
