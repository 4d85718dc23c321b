package org.brski.interop.cases;

import static org.brski.interop.InteropCase.optional;
import static org.brski.interop.InteropCase.required;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.brski.interop.InteropCase;
import org.brski.interop.InteropContext;
import org.brski.interop.InteropException;
import org.brski.interop.Observation;
import org.brski.interop.Profile;
import org.brski.interop.client.Artifacts;
import org.brski.interop.client.Attempt;
import org.brski.interop.client.PeerSession;
import org.brski.interop.client.VoucherCheck;
import org.brski.pki.HeldCertificate;
import org.brski.pkix.DeviceCertificates;
import org.brski.pledge.http.HttpReply;
import org.brski.voucher.Voucher;
import org.brski.voucher.Assertion;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsContentTypes;

/**
 * Registrar cases of RFC 8995 sections 5.1 to 5.6: TLS, the positive voucher flow and its checks, the media type
 * and encoding variants, and refusals of bad pledge voucher-requests.
 */
final class VoucherCases {
    /** The TLS case every registrar case needs. */
    static final String TLS = "tls-provisional";
    /** The positive control of {@code /requestvoucher}. */
    static final String POSITIVE = "voucher-positive";
    /** The case that checked a voucher in full. */
    static final String VERIFIES = "voucher-verifies";

    private static final Refusal ACCEPT = Refusal.because("the Accept header", "accept|acceptable|406|"
            + Refusal.MEDIA_TYPE);
    private static final Refusal CONTENT_TYPE = Refusal.because("the media type", Refusal.MEDIA_TYPE);
    private static final Refusal CREATED_ON = Refusal.because("created-on", "created|stale|future|time|date|clock"
            + "|old|fresh|expire");
    private static final Refusal PROXIMITY = Refusal.because("proximity-registrar-cert", "proximity|registrar");
    private static final Refusal UNKNOWN_MANUFACTURER = Refusal.because("the unknown manufacturer",
            "manufacturer|vendor|trust|unknown|idevid|issuer|certificate|not found|authori").alsoStatus(404)
            .orTlsAlert();
    private static final Refusal NOT_CMS = Refusal.because("the malformed body", Refusal.MALFORMED);

    private VoucherCases() {
    }

    static List<InteropCase> all() {
        return List.of(
                required("tls-provisional", "RFC 8995 5.1", "TLS 1.2+ with an IDevID as client certificate",
                        "handshake completes; the registrar presents a certificate chain", VoucherCases::tls),
                optional("tls-registrar-cmcra", "RFC 8995 5.5, 5.6.2", "registrar TLS certificate EKU",
                        "the TLS certificate carries id-kp-cmcRA (the key that signs registrar voucher-requests)",
                        VoucherCases::cmcRa).needs(TLS),
                required(POSITIVE, "RFC 8995 5.2, 5.6", "correct pledge voucher-request of a known pledge",
                        "200 application/voucher-cms+json: a voucher for the pledge signed by its MASA (a 404 means"
                                + " the endpoint is missing)", VoucherCases::positive).needs(TLS),
                required(VERIFIES, "RFC 8995 5.6.1, RFC 8366 5.3", "voucher checks of a pledge",
                        "CMS signer chains to the manufacturer CA; serial-number and nonce echo the request",
                        VoucherCases::verifies).needs(POSITIVE),
                required("voucher-pin-covers-registrar", "RFC 8995 5.6.2",
                        "pinned-domain-cert against the registrar's TLS certificate",
                        "the TLS certificate equals the pin (registrar pinned) or validates to it (domain CA pinned)",
                        VoucherCases::pin).needs(VERIFIES),
                required("voucher-binary-der", "RFC 8995 6, RFC 8366 8.3", "voucher response encoding",
                        "binary DER CMS, no base64", VoucherCases::binary).onlyIn(Profile.DEFAULT).needs(VERIFIES),
                required("voucher-created-on", "RFC 8366 5.3", "voucher leaves",
                        "created-on present (mandatory in RFC 8366)", VoucherCases::createdOn)
                        .onlyIn(Profile.DEFAULT).needs(POSITIVE),
                optional("voucher-econtent-type", "RFC 8366 5.3", "voucher CMS eContentType",
                        "id-ct-animaJSONVoucher (1.2.840.113549.1.9.16.1.40)", VoucherCases::eContentType)
                        .needs(VERIFIES),
                required("pvr-accept-any", "RFC 8995 5.2, RFC 9110 12.5.1", "Accept: */*",
                        "200 application/voucher-cms+json", c -> accepted(c, PeerSession.headers(Flows.VOUCHER,
                                "*/*"))).needs(POSITIVE),
                optional("pvr-accept-type-wildcard", "RFC 8995 5.2, RFC 9110 12.5.1", "Accept: application/*",
                        "200 application/voucher-cms+json", c -> accepted(c, PeerSession.headers(Flows.VOUCHER,
                                "application/*"))).needs(POSITIVE),
                optional("pvr-accept-absent", "RFC 8995 5.2, RFC 9110 12.5.1", "no Accept header",
                        "200 application/voucher-cms+json", c -> accepted(c, PeerSession.headers(Flows.VOUCHER,
                                null))).needs(POSITIVE),
                optional("pvr-accept-q-values", "RFC 9110 12.5.1", "Accept with q-values",
                        "200 application/voucher-cms+json", c -> accepted(c, PeerSession.headers(Flows.VOUCHER,
                                "application/json;q=0.1, application/voucher-cms+json;q=0.9"))).needs(POSITIVE),
                optional("pvr-content-type-case", "RFC 9110 8.3.1", "Content-Type in mixed case",
                        "200 (media types compare case-insensitively)", c -> accepted(c, PeerSession.headers(
                                "Application/Voucher-CMS+JSON", Flows.VOUCHER))).needs(POSITIVE),
                optional("pvr-econtent-id-data", "RFC 8995 3, Appendix C", "voucher-request with eContentType id-data",
                        "200 (id-data as in the RFC 8995 Appendix C examples)", VoucherCases::idData)
                        .needs(POSITIVE),
                optional("pvr-base64-body", "RFC 8995 6", "base64 voucher-request with Content-Transfer-Encoding",
                        "4xx naming the encoding: BRSKI bodies are binary (tolerating base64 is a compat choice)",
                        VoucherCases::base64).onlyIn(Profile.DEFAULT).needs(POSITIVE),
                optional("pvr-cte-header-ignored", "RFC 8995 6",
                        "binary DER voucher-request sent with a stray Content-Transfer-Encoding: base64",
                        "200 (the header SHOULD be ignored in BRSKI)", VoucherCases::strayCte)
                        .onlyIn(Profile.DEFAULT).needs(POSITIVE),
                optional("pvr-accept-unsupported", "RFC 8995 5.6", "Accept: application/json only",
                        "406", c -> refused(c, PeerSession.headers(Flows.VOUCHER, Flows.JSON), ACCEPT.exactly(406)))
                        .needs(POSITIVE),
                required("pvr-content-type-wrong", "RFC 8995 5.2, 5.6", "Content-Type: application/json",
                        "4xx naming the media type (415 appropriate)", c -> refused(c, PeerSession.headers(Flows.JSON,
                                Flows.VOUCHER), CONTENT_TYPE)).needs(POSITIVE),
                optional("pvr-content-type-wrong-415", "RFC 8995 5.6", "Content-Type: application/json",
                        "415", c -> refused(c, PeerSession.headers(Flows.JSON, Flows.VOUCHER),
                                CONTENT_TYPE.exactly(415))).needs(POSITIVE),
                optional("pvr-content-type-absent", "RFC 8995 5.2", "no Content-Type header",
                        "4xx naming the media type (415 appropriate)", c -> refused(c, PeerSession.headers(null,
                                Flows.VOUCHER), CONTENT_TYPE)).needs(POSITIVE),
                required("pvr-method-get", "RFC 8995 5.2, RFC 9110 15.5.6", "GET /requestvoucher",
                        "4xx (405 appropriate)", VoucherCases::get).needs(POSITIVE),
                required("pvr-bad-signature", "RFC 8995 5.6", "voucher-request whose signature does not verify",
                        "4xx naming the signature (403 appropriate)", c -> refusedDer(c, UnaryOperator.identity(),
                                Artifacts::corruptLastByte, Refusal.because("the signature", Refusal.SIGNATURE)))
                        .needs(POSITIVE),
                required("pvr-signer-not-tls-client", "RFC 8995 5.2, 5.3",
                        "voucher-request signed by another pledge's key than the TLS client certificate",
                        "4xx naming the signer", VoucherCases::otherSigner).needs(POSITIVE),
                required("pvr-serial-mismatch", "RFC 8995 5.2, 5.5.5", "serial-number differs from the IDevID's",
                        "4xx naming the serial-number", c -> refusedDer(c, b -> b.serialNumber("not-"
                                + b.build().serialNumber()), UnaryOperator.identity(),
                                Refusal.because("the serial-number", "serial"))).needs(POSITIVE),
                optional("pvr-nonce-missing", "RFC 8995 5.2", "voucher-request without nonce",
                        "4xx naming the nonce (the pledge MUST send a nonce)", c -> refusedDer(c, b -> b.nonce(null),
                                UnaryOperator.identity(), Refusal.because("the nonce", "nonce"))).needs(POSITIVE),
                optional("pvr-nonce-replayed", "RFC 8995 5.2, 5.6", "a voucher-request replayed after it succeeded",
                        "4xx (403 for a stale request)", VoucherCases::replay).needs(POSITIVE),
                optional("pvr-created-on-stale", "RFC 8995 5.2, 5.6", "created-on one day in the past",
                        "4xx naming created-on (403 for a stale request)", c -> refusedDer(c, b -> b.createdOn(
                                OffsetDateTime.now(c.clock()).minusDays(1).withOffsetSameInstant(ZoneOffset.UTC)),
                                UnaryOperator.identity(), CREATED_ON)).needs(POSITIVE),
                optional("pvr-created-on-future", "RFC 8995 5.2, 5.6", "created-on one day in the future",
                        "4xx naming created-on", c -> refusedDer(c, b -> b.createdOn(OffsetDateTime.now(c.clock())
                                .plusDays(1).withOffsetSameInstant(ZoneOffset.UTC)), UnaryOperator.identity(),
                                CREATED_ON)).needs(POSITIVE),
                required("pvr-proximity-wrong", "RFC 8995 5.2",
                        "proximity-registrar-cert is another certificate than the registrar's",
                        "401 (MUST, on-path attacker)", c -> refusedDer(c, b -> b.proximityRegistrarCert(
                                Artifacts.der(c.unrelatedCertificate())), UnaryOperator.identity(),
                                PROXIMITY.exactly(401))).needs(POSITIVE),
                required("pvr-proximity-missing", "RFC 8995 5.2", "no proximity-registrar-cert",
                        "4xx naming proximity-registrar-cert (401 appropriate)", c -> refusedDer(c,
                                b -> b.proximityRegistrarCert(null), UnaryOperator.identity(), PROXIMITY))
                        .needs(POSITIVE),
                required("pvr-assertion-logged", "RFC 8995 5.2", "assertion 'logged' instead of 'proximity'",
                        "4xx naming the assertion (401 appropriate)", c -> refusedDer(c,
                                b -> b.assertion(Assertion.LOGGED), UnaryOperator.identity(),
                                Refusal.because("the assertion", "assertion|proximity|logged"))).needs(POSITIVE),
                required("pvr-unknown-manufacturer", "RFC 8995 5.3, 2.5.3",
                        "IDevID of a manufacturer generated for this run",
                        "4xx (404 SHOULD, 403 MAY), or a TLS alert (the registrar's trust anchors for pledges)",
                        c -> foreign(c, UNKNOWN_MANUFACTURER)).needs(POSITIVE),
                optional("pvr-unknown-manufacturer-404", "RFC 8995 5.3",
                        "IDevID of a manufacturer generated for this run", "404 (SHOULD; 403 MAY)",
                        c -> foreign(c, UNKNOWN_MANUFACTURER.exactly(404))).needs(POSITIVE),
                required("pvr-not-cms", "RFC 8995 5.2, 5.6", "512 random bytes as voucher-request",
                        "4xx naming the malformed body", c -> refusedBody(c, random(c, 512), NOT_CMS))
                        .needs(POSITIVE),
                required("pvr-truncated-cms", "RFC 8995 5.2, 5.6", "the first half of a signed voucher-request",
                        "4xx naming the malformed body", c -> refusedDer(c, UnaryOperator.identity(),
                                Artifacts::truncated, NOT_CMS)).needs(POSITIVE),
                required("pvr-unsigned-json", "RFC 8995 5.2", "bare voucher-request JSON, not CMS",
                        "4xx naming the missing CMS signature", VoucherCases::unsigned).needs(POSITIVE),
                required("pvr-oversized", "RFC 8995 5.2", "1 MiB body",
                        "4xx naming the size (413); closing the connection is no answer", VoucherCases::oversized)
                        .needs(POSITIVE),
                required("pvr-empty-body", "RFC 8995 5.2", "empty POST (the nqminds probe)",
                        "4xx naming the empty body", c -> refusedBody(c, new byte[0], Refusal.because(
                                "the empty body", "empty|body|missing|no content|" + Refusal.MALFORMED)))
                        .onlyIn(Profile.DEFAULT).needs(POSITIVE));
    }

    // ------------------------------------------------------------------ probes

    private static Observation tls(InteropContext c) throws InteropException {
        try (PeerSession s = c.registrarSession(c.knownPledge())) {
            Attempt first = s.attempt("GET", Flows.CACERTS, PeerSession.headers(null, Flows.PKCS7), null);
            var chain = s.serverChain();
            return Observation.met("server '" + DeviceCertificates.displayName(chain.get(0).getSubjectX500Principal())
                    + "', chain of " + chain.size() + "; first exchange: " + first.describe());
        }
    }

    private static Observation cmcRa(InteropContext c) throws InteropException {
        try (PeerSession s = c.registrarSession(c.knownPledge())) {
            boolean has = DeviceCertificates.hasExtendedKeyUsage(s.serverCertificate(),
                    DeviceCertificates.ID_KP_CMC_RA);
            return Observation.of(has, has ? "id-kp-cmcRA present" : "no id-kp-cmcRA in the TLS certificate");
        }
    }

    /**
     * The positive control of {@code /requestvoucher}: a voucher for the pledge. A 404 is "endpoint missing"; when every
     * {@code /.well-known/brski/} path is missing but {@code /.well-known/est/requestvoucher} exists, the peer looks like
     * a pre-RFC BRSKI draft and the run stops.
     */
    private static Observation positive(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.Sent sent = Flows.requestVoucher(c, s, pledge);
            HttpReply reply = sent.reply();
            if (reply.status() == 404) {
                return Flows.missingVoucherEndpoint(s, reply);
            }
            return aVoucher(c, sent);
        }
    }

    private static Observation accepted(InteropContext c, Map<String, String> headers) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            return aVoucher(c, Flows.requestVoucher(c, s, pledge, UnaryOperator.identity(), headers));
        }
    }

    /**
     * Met on 200 application/voucher-cms+json carrying a voucher signed by the pledge's MASA for its serial-number: a
     * 200 with anything else is no voucher (nonce, pin and encoding have cases of their own).
     */
    private static Observation aVoucher(InteropContext c, Flows.Sent sent) throws InteropException {
        HttpReply reply = sent.reply();
        Observation ok = Expect.ok(reply, Flows.VOUCHER);
        if (!ok.met()) {
            return ok;
        }
        try {
            Voucher voucher = VoucherCheck.signedFor(reply.body(), c.masaAnchors(), Flows.serial(sent.pledge()),
                    false, c.clock().instant()).artifact();
            return Observation.met(ok.observed() + ": a voucher for " + voucher.serialNumber() + ", assertion "
                    + voucher.assertion());
        } catch (InteropException e) {
            return Observation.unmet(ok.observed() + ", but no voucher for the pledge: " + e.getMessage());
        }
    }

    private static Observation verifies(InteropContext c) throws InteropException {
        VoucherCheck check = voucher(c);
        return Observation.met(check.summary());
    }

    private static Observation pin(InteropContext c) throws InteropException {
        return Observation.met("the registrar's TLS certificate is covered; the pin is the " + voucher(c).pinKind());
    }

    private static Observation binary(InteropContext c) throws InteropException {
        VoucherCheck check = voucher(c);
        return Observation.of(check.binaryDer(), check.binaryDer() ? "binary DER" : "text-encoded (base64 or PEM)");
    }

    /** Judged on a voucher that is merely signed for the pledge, so that another defect does not hide this one. */
    private static Observation createdOn(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.Sent sent = Flows.requestVoucher(c, s, pledge);
            if (sent.reply().status() != 200) {
                return Expect.unexpected(sent.reply());
            }
            Voucher voucher = VoucherCheck.signedFor(sent.reply().body(), c.masaAnchors(), Flows.serial(pledge),
                    false, c.clock().instant()).artifact();
            return Observation.of(voucher.createdOn().isPresent(), "created-on "
                    + voucher.createdOn().map(Object::toString).orElse("absent"));
        }
    }

    private static Observation eContentType(InteropContext c) throws InteropException {
        VoucherCheck check = voucher(c);
        return Observation.of(CmsContentTypes.ANIMA_JSON_VOUCHER.equals(check.eContentType()),
                "eContentType " + check.eContentType());
    }

    private static VoucherCheck voucher(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            return Flows.checkVoucher(c, Flows.requestVoucher(c, s, pledge));
        }
    }

    private static Observation idData(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            VoucherRequest request = Artifacts.pledgeRequest(Flows.serial(pledge), c.nonce(), s.serverCertificate(),
                    c.clock().instant()).build();
            byte[] der = Artifacts.sign(pledge, Artifacts.json(request, c.profile().requestRoot()),
                    CmsContentTypes.DATA);
            return aVoucher(c, new Flows.Sent(pledge, request.nonce().orElseThrow(), Flows.postVoucherRequest(c, s,
                    c.body(der), Flows.voucherHeaders()), s.serverChain()));
        }
    }

    private static Observation base64(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            byte[] der = Flows.pledgeRequest(c, s, pledge, c.nonce(), UnaryOperator.identity());
            Map<String, String> headers = Flows.voucherHeaders();
            headers.put("Content-Transfer-Encoding", "base64");
            Attempt attempt = s.attempt("POST", Flows.REQUEST_VOUCHER, headers, Artifacts.base64(der, false));
            return Refusal.because("the base64 encoding", Refusal.MALFORMED + "|binary").judge(attempt);
        }
    }

    private static Observation strayCte(InteropContext c) throws InteropException {
        Map<String, String> headers = Flows.voucherHeaders();
        headers.put("Content-Transfer-Encoding", "base64");
        return accepted(c, headers);
    }

    private static Observation refused(InteropContext c, Map<String, String> headers, Refusal refusal)
            throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            byte[] der = Flows.pledgeRequest(c, s, pledge, c.nonce(), UnaryOperator.identity());
            return refusal.judge(s.attempt("POST", Flows.REQUEST_VOUCHER, headers, c.body(der)));
        }
    }

    private static Observation get(InteropContext c) throws InteropException {
        try (PeerSession s = c.registrarSession(c.knownPledge())) {
            return Refusal.because("the method", "method|get\\b|post|405|not allowed").alsoStatus(405).judge(
                    s.attempt("GET", Flows.REQUEST_VOUCHER, PeerSession.headers(null, Flows.VOUCHER), null));
        }
    }

    /**
     * A voucher-request of a known pledge with leaves changed by {@code tweak} and DER changed by {@code mangle},
     * expected to be refused as {@code refusal} says.
     */
    private static Observation refusedDer(InteropContext c, UnaryOperator<VoucherRequest.Builder> tweak,
            UnaryOperator<byte[]> mangle, Refusal refusal) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            byte[] der = mangle.apply(Flows.pledgeRequest(c, s, pledge, c.nonce(), tweak));
            return refusal.judge(Flows.postVoucherRequest(c, s, c.body(der), Flows.voucherHeaders()));
        }
    }

    private static Observation refusedBody(InteropContext c, byte[] body, Refusal refusal) throws InteropException {
        try (PeerSession s = c.registrarSession(c.knownPledge())) {
            return refusal.judge(s.attempt("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(), body));
        }
    }

    private static Observation otherSigner(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        HeldCertificate other = c.knownPledgeOtherThan(pledge);
        try (PeerSession s = c.registrarSession(pledge)) {
            VoucherRequest request = Artifacts.pledgeRequest(Flows.serial(pledge), c.nonce(), s.serverCertificate(),
                    c.clock().instant()).build();
            byte[] der = c.signedRequest(other, request);
            return Refusal.because("the signer", Refusal.SIGNATURE + "|client|certificate|idevid|tls|match|key")
                    .judge(Flows.postVoucherRequest(c, s, c.body(der), Flows.voucherHeaders()));
        }
    }

    private static Observation replay(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            byte[] body = c.body(Flows.pledgeRequest(c, s, pledge, c.nonce(), UnaryOperator.identity()));
            Attempt first = Flows.postVoucherRequest(c, s, body, Flows.voucherHeaders());
            if (first.reply().map(r -> r.status() != 200).orElse(true)) {
                throw new InteropException("precondition: the first request answered " + first.describe());
            }
            return Refusal.because("the replay", "nonce|replay|stale|already|reuse|duplicate|seen|used|created")
                    .judge(s.attempt("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(), body));
        }
    }

    private static Observation foreign(InteropContext c, Refusal refusal) throws InteropException {
        HeldCertificate stranger = c.foreignPledge();
        try (PeerSession s = c.registrarSession(stranger)) {
            byte[] der = Flows.pledgeRequest(c, s, stranger, c.nonce(), UnaryOperator.identity());
            return refusal.judge(Flows.postVoucherRequest(c, s, c.body(der), Flows.voucherHeaders()));
        }
    }

    private static Observation unsigned(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            byte[] json = Artifacts.json(Artifacts.pledgeRequest(Flows.serial(pledge), c.nonce(),
                    s.serverCertificate(), c.clock().instant()).build(), c.profile().requestRoot());
            return Refusal.because("the missing CMS signature", Refusal.MALFORMED + "|" + Refusal.SIGNATURE + "|json")
                    .judge(s.attempt("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(), json));
        }
    }

    private static Observation oversized(InteropContext c) throws InteropException {
        try (PeerSession s = c.registrarSession(c.knownPledge())) {
            byte[] body = random(c, 1024 * 1024);
            body[0] = 0x30;
            return Refusal.because("the size", Refusal.TOO_LARGE).judge(s.attempt("POST", Flows.REQUEST_VOUCHER,
                    Flows.voucherHeaders(), body));
        }
    }

    static byte[] random(InteropContext c, int length) {
        byte[] bytes = new byte[length];
        c.random().nextBytes(bytes);
        return bytes;
    }
}
