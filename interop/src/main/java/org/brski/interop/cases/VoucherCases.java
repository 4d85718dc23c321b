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
import org.brski.voucher.Assertion;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsContentTypes;

/**
 * Registrar cases of RFC 8995 sections 5.1 to 5.6: TLS, the positive voucher flow and its checks, the media type
 * and encoding variants, and refusals of bad pledge voucher-requests.
 */
final class VoucherCases {
    private VoucherCases() {
    }

    static List<InteropCase> all() {
        return List.of(
                required("tls-provisional", "RFC 8995 5.1", "TLS 1.2+ with an IDevID as client certificate",
                        "handshake completes; the registrar presents a certificate chain", VoucherCases::tls),
                optional("tls-registrar-cmcra", "RFC 8995 5.5, 5.6.2", "registrar TLS certificate EKU",
                        "the TLS certificate carries id-kp-cmcRA (the key that signs registrar voucher-requests)",
                        VoucherCases::cmcRa),
                required("voucher-positive", "RFC 8995 5.2, 5.6", "correct pledge voucher-request of a known pledge",
                        "200 application/voucher-cms+json", c -> accepted(c, Flows.voucherHeaders())),
                required("voucher-verifies", "RFC 8995 5.6.1, RFC 8366 5.3", "voucher checks of a pledge",
                        "CMS signer chains to the manufacturer CA; serial-number and nonce echo the request",
                        VoucherCases::verifies),
                required("voucher-pin-covers-registrar", "RFC 8995 5.6.2",
                        "pinned-domain-cert against the registrar's TLS certificate",
                        "the TLS certificate equals the pin (registrar pinned) or validates to it (domain CA pinned)",
                        VoucherCases::pin),
                required("voucher-binary-der", "RFC 8995 6, RFC 8366 8.3", "voucher response encoding",
                        "binary DER CMS, no base64", VoucherCases::binary).onlyIn(Profile.DEFAULT),
                required("voucher-created-on", "RFC 8366 5.3", "voucher leaves",
                        "created-on present (mandatory in RFC 8366)", VoucherCases::createdOn)
                        .onlyIn(Profile.DEFAULT),
                optional("voucher-econtent-type", "RFC 8366 5.3", "voucher CMS eContentType",
                        "id-ct-animaJSONVoucher (1.2.840.113549.1.9.16.1.40)", VoucherCases::eContentType),
                required("pvr-accept-any", "RFC 8995 5.2, RFC 9110 12.5.1", "Accept: */*",
                        "200 application/voucher-cms+json", c -> accepted(c, PeerSession.headers(Flows.VOUCHER,
                                "*/*"))),
                optional("pvr-accept-type-wildcard", "RFC 8995 5.2, RFC 9110 12.5.1", "Accept: application/*",
                        "200 application/voucher-cms+json", c -> accepted(c, PeerSession.headers(Flows.VOUCHER,
                                "application/*"))),
                optional("pvr-accept-absent", "RFC 8995 5.2, RFC 9110 12.5.1", "no Accept header",
                        "200 application/voucher-cms+json", c -> accepted(c, PeerSession.headers(Flows.VOUCHER,
                                null))),
                optional("pvr-accept-q-values", "RFC 9110 12.5.1", "Accept with q-values",
                        "200 application/voucher-cms+json", c -> accepted(c, PeerSession.headers(Flows.VOUCHER,
                                "application/json;q=0.1, application/voucher-cms+json;q=0.9"))),
                optional("pvr-content-type-case", "RFC 9110 8.3.1", "Content-Type in mixed case",
                        "200 (media types compare case-insensitively)", c -> accepted(c, PeerSession.headers(
                                "Application/Voucher-CMS+JSON", Flows.VOUCHER))),
                optional("pvr-econtent-id-data", "RFC 8995 3, Appendix C", "voucher-request with eContentType id-data",
                        "200 (id-data as in the RFC 8995 Appendix C examples)", VoucherCases::idData),
                optional("pvr-base64-body", "RFC 8995 6", "base64 voucher-request with Content-Transfer-Encoding",
                        "4xx: BRSKI bodies are binary (tolerating base64 is a compat choice)", VoucherCases::base64)
                        .onlyIn(Profile.DEFAULT),
                optional("pvr-cte-header-ignored", "RFC 8995 6",
                        "binary DER voucher-request sent with a stray Content-Transfer-Encoding: base64",
                        "200 (the header SHOULD be ignored in BRSKI)", VoucherCases::strayCte)
                        .onlyIn(Profile.DEFAULT),
                optional("pvr-accept-unsupported", "RFC 8995 5.6", "Accept: application/json only",
                        "406", c -> refused(c, PeerSession.headers(Flows.VOUCHER, Flows.JSON), 406)),
                required("pvr-content-type-wrong", "RFC 8995 5.2, 5.6", "Content-Type: application/json",
                        "4xx (415 appropriate)", c -> refused(c, PeerSession.headers(Flows.JSON, Flows.VOUCHER), 0)),
                optional("pvr-content-type-wrong-415", "RFC 8995 5.6", "Content-Type: application/json",
                        "415", c -> refused(c, PeerSession.headers(Flows.JSON, Flows.VOUCHER), 415)),
                optional("pvr-content-type-absent", "RFC 8995 5.2", "no Content-Type header",
                        "4xx (415 appropriate)", c -> refused(c, PeerSession.headers(null, Flows.VOUCHER), 0)),
                required("pvr-method-get", "RFC 8995 5.2, RFC 9110 15.5.6", "GET /requestvoucher",
                        "4xx (405 appropriate)", VoucherCases::get),
                required("pvr-bad-signature", "RFC 8995 5.6", "voucher-request whose signature does not verify",
                        "4xx (403 appropriate)", c -> refusedDer(c, UnaryOperator.identity(),
                                Artifacts::corruptLastByte, 0)),
                required("pvr-signer-not-tls-client", "RFC 8995 5.2, 5.3",
                        "voucher-request signed by another pledge's key than the TLS client certificate",
                        "4xx", VoucherCases::otherSigner),
                required("pvr-serial-mismatch", "RFC 8995 5.2, 5.5.5", "serial-number differs from the IDevID's",
                        "4xx", c -> refusedDer(c, b -> b.serialNumber("not-" + b.build().serialNumber()),
                                UnaryOperator.identity(), 0)),
                optional("pvr-nonce-missing", "RFC 8995 5.2", "voucher-request without nonce",
                        "4xx (the pledge MUST send a nonce)", c -> refusedDer(c, b -> b.nonce(null),
                                UnaryOperator.identity(), 0)),
                optional("pvr-nonce-replayed", "RFC 8995 5.2, 5.6", "a voucher-request replayed after it succeeded",
                        "4xx (403 for a stale request)", VoucherCases::replay),
                optional("pvr-created-on-stale", "RFC 8995 5.2, 5.6", "created-on one day in the past",
                        "4xx (403 for a stale request)", c -> refusedDer(c, b -> b.createdOn(
                                OffsetDateTime.now(c.clock()).minusDays(1).withOffsetSameInstant(ZoneOffset.UTC)),
                                UnaryOperator.identity(), 0)),
                optional("pvr-created-on-future", "RFC 8995 5.2, 5.6", "created-on one day in the future",
                        "4xx", c -> refusedDer(c, b -> b.createdOn(OffsetDateTime.now(c.clock()).plusDays(1)
                                .withOffsetSameInstant(ZoneOffset.UTC)), UnaryOperator.identity(), 0)),
                required("pvr-proximity-wrong", "RFC 8995 5.2",
                        "proximity-registrar-cert is another certificate than the registrar's",
                        "401 (MUST, on-path attacker)", c -> refusedDer(c, b -> b.proximityRegistrarCert(
                                Artifacts.der(c.unrelatedCertificate())), UnaryOperator.identity(), 401)),
                required("pvr-proximity-missing", "RFC 8995 5.2", "no proximity-registrar-cert",
                        "4xx (401 appropriate)", c -> refusedDer(c, b -> b.proximityRegistrarCert(null),
                                UnaryOperator.identity(), 0)),
                required("pvr-assertion-logged", "RFC 8995 5.2", "assertion 'logged' instead of 'proximity'",
                        "4xx (401 appropriate)", c -> refusedDer(c, b -> b.assertion(Assertion.LOGGED),
                                UnaryOperator.identity(), 0)),
                required("pvr-unknown-manufacturer", "RFC 8995 5.3",
                        "IDevID of a manufacturer generated for this run", "4xx", c -> foreign(c, 0)),
                optional("pvr-unknown-manufacturer-404", "RFC 8995 5.3",
                        "IDevID of a manufacturer generated for this run", "404 (SHOULD; 403 MAY)",
                        c -> foreign(c, 404)),
                required("pvr-not-cms", "RFC 8995 5.2, 5.6", "512 random bytes as voucher-request", "4xx",
                        c -> refusedBody(c, random(c, 512))),
                required("pvr-truncated-cms", "RFC 8995 5.2, 5.6", "the first half of a signed voucher-request",
                        "4xx", c -> refusedDer(c, UnaryOperator.identity(), Artifacts::truncated, 0)),
                required("pvr-unsigned-json", "RFC 8995 5.2", "bare voucher-request JSON, not CMS", "4xx",
                        VoucherCases::unsigned),
                required("pvr-oversized", "RFC 8995 5.2", "1 MiB body", "4xx (413) or the connection closed",
                        VoucherCases::oversized),
                required("pvr-empty-body", "RFC 8995 5.2", "empty POST (the nqminds probe)", "4xx",
                        c -> refusedBody(c, new byte[0])).onlyIn(Profile.DEFAULT));
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

    private static Observation accepted(InteropContext c, Map<String, String> headers) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.Sent sent = Flows.requestVoucher(c, s, pledge, UnaryOperator.identity(), headers);
            return Expect.ok(sent.reply(), Flows.VOUCHER);
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

    private static Observation createdOn(InteropContext c) throws InteropException {
        VoucherCheck check = voucher(c);
        return Observation.of(check.voucher().createdOn().isPresent(), "created-on "
                + check.voucher().createdOn().map(Object::toString).orElse("absent"));
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
            return Expect.status(Flows.postVoucherRequest(c, s, c.body(der), Flows.voucherHeaders()), 200);
        }
    }

    private static Observation base64(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            byte[] der = Flows.pledgeRequest(c, s, pledge, c.nonce(), UnaryOperator.identity());
            Map<String, String> headers = Flows.voucherHeaders();
            headers.put("Content-Transfer-Encoding", "base64");
            Attempt attempt = s.attempt("POST", Flows.REQUEST_VOUCHER, headers, Artifacts.base64(der, false));
            return Expect.clientError(attempt);
        }
    }

    private static Observation strayCte(InteropContext c) throws InteropException {
        Map<String, String> headers = Flows.voucherHeaders();
        headers.put("Content-Transfer-Encoding", "base64");
        return accepted(c, headers);
    }

    private static Observation refused(InteropContext c, Map<String, String> headers, int status)
            throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            byte[] der = Flows.pledgeRequest(c, s, pledge, c.nonce(), UnaryOperator.identity());
            Attempt attempt = s.attempt("POST", Flows.REQUEST_VOUCHER, headers, c.body(der));
            return status == 0 ? Expect.clientError(attempt) : Expect.status(attempt, status);
        }
    }

    private static Observation get(InteropContext c) throws InteropException {
        try (PeerSession s = c.registrarSession(c.knownPledge())) {
            return Expect.clientError(s.attempt("GET", Flows.REQUEST_VOUCHER,
                    PeerSession.headers(null, Flows.VOUCHER), null));
        }
    }

    /**
     * A voucher-request of a known pledge with leaves changed by {@code tweak} and DER changed by {@code mangle},
     * expected to be refused: any 4xx when {@code status} is 0, else exactly {@code status}.
     */
    private static Observation refusedDer(InteropContext c, UnaryOperator<VoucherRequest.Builder> tweak,
            UnaryOperator<byte[]> mangle, int status) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            byte[] der = mangle.apply(Flows.pledgeRequest(c, s, pledge, c.nonce(), tweak));
            Attempt attempt = Flows.postVoucherRequest(c, s, c.body(der), Flows.voucherHeaders());
            return status == 0 ? Expect.clientError(attempt) : Expect.status(attempt, status);
        }
    }

    private static Observation refusedBody(InteropContext c, byte[] body) throws InteropException {
        try (PeerSession s = c.registrarSession(c.knownPledge())) {
            return Expect.clientError(s.attempt("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(), body));
        }
    }

    private static Observation otherSigner(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        HeldCertificate other = c.knownPledgeOtherThan(pledge);
        try (PeerSession s = c.registrarSession(pledge)) {
            VoucherRequest request = Artifacts.pledgeRequest(Flows.serial(pledge), c.nonce(), s.serverCertificate(),
                    c.clock().instant()).build();
            byte[] der = c.signedRequest(other, request);
            return Expect.clientError(Flows.postVoucherRequest(c, s, c.body(der), Flows.voucherHeaders()));
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
            return Expect.clientError(s.attempt("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(), body));
        }
    }

    private static Observation foreign(InteropContext c, int status) throws InteropException {
        HeldCertificate stranger = c.foreignPledge();
        try (PeerSession s = c.registrarSession(stranger)) {
            byte[] der = Flows.pledgeRequest(c, s, stranger, c.nonce(), UnaryOperator.identity());
            Attempt attempt = Flows.postVoucherRequest(c, s, c.body(der), Flows.voucherHeaders());
            return status == 0 ? Expect.clientError(attempt) : Expect.status(attempt, status);
        }
    }

    private static Observation unsigned(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            byte[] json = Artifacts.json(Artifacts.pledgeRequest(Flows.serial(pledge), c.nonce(),
                    s.serverCertificate(), c.clock().instant()).build(), c.profile().requestRoot());
            return Expect.clientError(s.attempt("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(), json));
        }
    }

    private static Observation oversized(InteropContext c) throws InteropException {
        try (PeerSession s = c.registrarSession(c.knownPledge())) {
            byte[] body = random(c, 1024 * 1024);
            body[0] = 0x30;
            return Expect.refusedOrClosed(s.attempt("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(), body));
        }
    }

    static byte[] random(InteropContext c, int length) {
        byte[] bytes = new byte[length];
        c.random().nextBytes(bytes);
        return bytes;
    }
}
