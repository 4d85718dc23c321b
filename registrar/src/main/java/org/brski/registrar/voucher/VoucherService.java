package org.brski.registrar.voucher;

import java.net.URI;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
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
import org.brski.registrar.voucher.PledgeRequests.PledgeRequest;
import org.brski.server.ServerException;
import org.brski.server.config.Compat;
import org.brski.server.tls.TlsIdentity;
import org.brski.voucher.Assertion;
import org.brski.voucher.Nonce;
import org.brski.voucher.Rfc3339;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsSigner;
import org.brski.voucher.cms.CmsVerifier;
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
 * POST is the nqminds probe ({@link VoucherOutcome.Probe}), and the MASA's voucher may lack {@code created-on}, carry
 * both nonce and expires-on, be base64 or be labelled {@code text/plain}. Without it each is refused with a problem naming it. No other check
 * depends on the switch.
 *
 * <p>Towards the MASA the dialect is the manufacturer's {@link Manufacturer#masaDialect()}: with
 * {@link Compat#NQMINDS} the registrar voucher-request is the one nqminds brski sends (its root and leaves, a text-DN
 * idevid-issuer), posted as base64 ({@link MasaEndpoint#requestBody}), and the answer is read leniently (base64,
 * {@code text/plain}, no {@code created-on}, nonce with expires-on), for that manufacturer only: the registrar-wide
 * switch concerns the pledges and never relaxes another MASA's answer. The voucher is still verified in full; the pledge gets it in the form of its own request
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
    private final PledgeRequests pledges;

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
        this.pledges = new PledgeRequests(settings, compat, registrarCertDer, clock, store);
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
        PledgeRequest pledge = pledges.validate(body, tlsChain);
        Admission admission = policy.admit(pledge.serial(), pledge.idevid(), pledge.chain());
        if (admission.held()) {
            store.recordPending(pledge.serial(), admission.manufacturer().name(), pledge.idevid(), sha256(pledge.der()));
            LOG.info("voucher-request of {} held for approval (manufacturer {})", pledge.serial(),
                    admission.manufacturer().name());
            return new VoucherOutcome.Pending(settings.pendingRetry());
        }
        MasaEndpoint endpoint = masaEndpoint(admission.manufacturer(), pledge.idevid());
        byte[] rvr = registrarVoucherRequest(pledge, endpoint.dialect());
        MasaResponse response = masa.requestVoucher(endpoint, rvr);
        checkMasaStatus(response, endpoint);
        byte[] voucherBytes = response.body();
        Compat.CmsBody voucher = verifyVoucher(voucherBytes, response.contentType(), admission.manufacturer(),
                answerDialect(endpoint), pledge);
        store.recordVoucher(VoucherRecord.of(pledge.serial(), clock.instant(), Optional.of(pledge.nonce()),
                endpoint.baseUri(), pledge.der(), rvr, voucherBytes), admission.manufacturer().name(), pledge.idevid(),
                admission.approval());
        LOG.info("voucher obtained for {} from {} ({} bytes)", pledge.serial(), endpoint.baseUri(), voucherBytes.length);
        if (settings.audit().mode() != AuditPolicy.Mode.OFF) {
            AuditResult audit = audit(pledge.serial(), endpoint, rvr, Optional.of(pledge.nonce()));
            if (audit.outcome() == AuditResult.Outcome.VIOLATION && settings.audit().mode() == AuditPolicy.Mode.ENFORCE) {
                throw RegistrarException.of(406, "audit-log-violation", "Not acceptable",
                        "the manufacturer's audit-log for this device violates the domain's policy");
            }
        }
        return new VoucherOutcome.Issued(compat.inFormOf(pledge.body(), voucher, voucherBytes), VoucherCms.MEDIA_TYPE);
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
        // An nqminds MASA gets its own request form back unchanged: re-signing would put it under our root.
        byte[] rvr = endpoint.dialect() == Compat.NQMINDS ? voucher.rvr() : freshened(voucher.rvr());
        return audit(serial, endpoint, rvr, voucher.nonce());
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

    static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    static RegistrarException fromVoucher(VoucherException e, String what) {
        org.brski.voucher.Problem p = e.problem();
        return new RegistrarException(org.brski.voucher.Problem.of(e.reason().slug(), p.title(), p.status(),
                what + ": " + p.detail()));
    }

    // ------------------------------------------------------------------ registrar voucher-request (5.5)

    /**
     * The registrar voucher-request (5.5) in the MASA's dialect: RFC 8995's, or with {@link Compat#NQMINDS} what the
     * nqminds registrar sends (captured on the wire): the {@code ietf-voucher:voucher} root, no assertion, the
     * idevid-issuer as the issuer's DN text, {@code domain-cert-revocation-checks} false
     * ({@link VoucherJson#toVoucherRootJson}).
     */
    private byte[] registrarVoucherRequest(PledgeRequest pledge, Compat masaDialect) {
        VoucherRequest.Builder rvr = VoucherRequest.builder()
                .createdOn(Rfc3339.utcSeconds(clock.instant()))
                .serialNumber(pledge.serial())
                .nonce(pledge.nonce())
                .priorSignedVoucherRequest(pledge.der());
        masaDialect.idevidIssuer(pledge.idevid().getIssuerX500Principal(),
                DeviceCertificates.authorityKeyIdentifier(pledge.idevid())).ifPresent(rvr::idevidIssuer);
        if (masaDialect == Compat.NQMINDS) {
            return rvrSigner.sign(VoucherJson.toVoucherRootJson(rvr.build()));
        }
        return VoucherCms.sign(rvrSigner, rvr.assertion(Assertion.PROXIMITY).build());
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
     * The dialect a MASA's voucher answer is read in: the manufacturer's own ({@code masaDialect}). The registrar-wide
     * switch concerns the pledges on the listener, so it never relaxes what an RFC 8995 manufacturer's MASA may answer.
     */
    private static Compat answerDialect(MasaEndpoint endpoint) {
        return endpoint.dialect();
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
            dialect.checkVoucherFreshness(voucher);
        } catch (VoucherException e) {
            throw invalidVoucher(e.getMessage());
        } catch (ServerException e) {
            throw invalidVoucher(e.problem().detail() + hint);
        }
        if (!voucher.serialNumber().equals(pledge.serial())) {
            throw invalidVoucher("voucher serial-number '" + clip(voucher.serialNumber()) + "' is not the pledge's");
        }
        if (!Nonce.matches(voucher.nonce().orElse(null), pledge.nonce())) {
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

    static String clip(String value) {
        String clean = value.replaceAll("[^\\x20-\\x7E]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }

    /** The registrar certificate (TLS server, RVR signer). */
    public X509Certificate registrarCertificate() {
        return registrar.certificate();
    }
}
