package org.brski.interop.cases;

import static org.brski.interop.InteropCase.optional;
import static org.brski.interop.InteropCase.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.brski.interop.InteropCase;
import org.brski.interop.InteropContext;
import org.brski.interop.InteropException;
import org.brski.interop.Observation;
import org.brski.interop.Profile;
import org.brski.interop.client.Artifacts;
import org.brski.interop.client.PeerSession;
import org.brski.interop.client.Replies;
import org.brski.interop.client.VoucherCheck;
import org.brski.pki.HeldCertificate;
import org.brski.pledge.http.HttpReply;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsContentTypes;

/**
 * Cases against the MASA directly (RFC 8995 5.4-5.8), the suite acting as the PKI's registrar: a registrar
 * voucher-request (RVR) wrapping a pledge voucher-request (PVR), and refusals of RVRs without id-kp-cmcRA, with a bad
 * signature, a foreign pledge, mismatched serial-number or nonce, a proximity certificate outside the registrar's
 * chain, wrong media types, non-CMS, oversized and nqminds-dialect bodies. Skipped without {@code --masa}.
 */
final class MasaCases {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The positive control of the MASA's {@code /requestvoucher}. */
    static final String MASA_VOUCHER = "masa-voucher";
    /** Words of a refusal of a device the MASA does not know or whose manufacturer it is not. */
    private static final Refusal UNKNOWN_DEVICE = Refusal.because("the unknown device", "device|unknown|not found"
            + "|serial|owner|regist|manufacturer|trust|idevid|issuer|certificate|pledge|prior|" + Refusal.SIGNATURE)
            .alsoStatus(404);

    private MasaCases() {
    }

    static List<InteropCase> all() {
        return List.of(
                required(MASA_VOUCHER, "RFC 8995 5.5, 5.6", "correct RVR for a known pledge",
                        "200 voucher: signer chains to the manufacturer CA, serial-number and nonce echoed, pin covers"
                                + " the registrar (a 404 means the endpoint is missing)",
                        c -> voucher(c, CmsContentTypes.ANIMA_JSON_VOUCHER)).atMasa(),
                optional("masa-voucher-id-data", "RFC 8995 Appendix C", "RVR with eContentType id-data",
                        "200 voucher", c -> voucher(c, CmsContentTypes.DATA)).atMasa().needs(MASA_VOUCHER),
                required("masa-audit-log", "RFC 8995 5.8, 5.8.1", "POST /requestauditlog after a voucher",
                        "200 application/json with an events array (a 404 means the endpoint is missing)",
                        MasaCases::auditLog).atMasa().needs(MASA_VOUCHER),
                required("masa-rvr-no-cmcra", "RFC 8995 5.5.4", "RVR signed by a domain certificate without "
                        + "id-kp-cmcRA", "4xx naming the signer's certificate", MasaCases::noCmcRa).atMasa()
                        .needs(MASA_VOUCHER),
                required("masa-rvr-bad-signature", "RFC 8995 5.5.3", "RVR whose signature does not verify",
                        "4xx naming the signature", c -> refused(c, UnaryOperator.identity(), UnaryOperator.identity(),
                                Artifacts::corruptLastByte, Flows.voucherHeaders(), Refusal.because("the signature",
                                        Refusal.SIGNATURE))).atMasa().needs(MASA_VOUCHER),
                required("masa-pvr-foreign-manufacturer", "RFC 8995 5.5, 5.5.5",
                        "PVR signed by an IDevID of another manufacturer", "4xx (404 for a device it does not know)",
                        c -> stranger(c, c.foreignPledge(), UNKNOWN_DEVICE)).atMasa().needs(MASA_VOUCHER),
                optional("masa-unknown-device", "RFC 8995 5.6", "PVR of a new IDevID the MASA has not registered",
                        "404 (device not known to the MASA)", c -> stranger(c, c.freshPledge(),
                                UNKNOWN_DEVICE.exactly(404))).atMasa().needs(MASA_VOUCHER),
                required("masa-rvr-serial-mismatch", "RFC 8995 5.5.5", "RVR serial-number differs from the PVR's",
                        "4xx naming the serial-number", c -> refused(c, UnaryOperator.identity(),
                                b -> b.serialNumber("other-serial"), UnaryOperator.identity(), Flows.voucherHeaders(),
                                Refusal.because("the serial-number", "serial"))).atMasa().needs(MASA_VOUCHER),
                required("masa-rvr-nonce-mismatch", "RFC 8995 5.5.6", "RVR nonce differs from the PVR's",
                        "4xx naming the nonce", c -> refused(c, UnaryOperator.identity(), b -> b.nonce(c.nonce()),
                                UnaryOperator.identity(), Flows.voucherHeaders(), Refusal.because("the nonce",
                                        "nonce"))).atMasa().needs(MASA_VOUCHER),
                required("masa-proximity-not-in-chain", "RFC 8995 5.5.5",
                        "PVR proximity-registrar-cert outside the RVR signer's chain",
                        "4xx naming proximity-registrar-cert", c -> refused(c, b -> b.proximityRegistrarCert(
                                Artifacts.der(c.unrelatedCertificate())), UnaryOperator.identity(),
                                UnaryOperator.identity(), Flows.voucherHeaders(), Refusal.because(
                                        "proximity-registrar-cert", "proximity|registrar|chain|certificate|domain")))
                        .atMasa().needs(MASA_VOUCHER),
                required("masa-content-type-wrong", "RFC 8995 5.5, 5.6", "RVR sent as application/json",
                        "4xx naming the media type (415 appropriate)", c -> refused(c, UnaryOperator.identity(),
                                UnaryOperator.identity(), UnaryOperator.identity(), PeerSession.headers(Flows.JSON,
                                        Flows.VOUCHER), Refusal.because("the media type", Refusal.MEDIA_TYPE)))
                        .atMasa().needs(MASA_VOUCHER),
                optional("masa-accept-unsupported", "RFC 8995 5.6", "Accept: application/json only", "406",
                        c -> refused(c, UnaryOperator.identity(), UnaryOperator.identity(), UnaryOperator.identity(),
                                PeerSession.headers(Flows.VOUCHER, Flows.JSON), Refusal.because("the Accept header",
                                        "accept|acceptable|406|" + Refusal.MEDIA_TYPE).exactly(406)))
                        .atMasa().needs(MASA_VOUCHER),
                required("masa-not-cms", "RFC 8995 5.5", "512 random bytes as RVR", "4xx naming the malformed body",
                        c -> body(c, VoucherCases.random(c, 512), Refusal.because("the malformed body",
                                Refusal.MALFORMED))).atMasa().needs(MASA_VOUCHER),
                required("masa-oversized", "RFC 8995 5.5", "1 MiB body",
                        "4xx naming the size (413); closing the connection is no answer", MasaCases::oversized)
                        .atMasa().needs(MASA_VOUCHER),
                required("masa-nqminds-dialect", "RFC 8995 3, 6",
                        "base64 RVR and PVR under the ietf-voucher:voucher root", "4xx naming the dialect",
                        MasaCases::dialect).atMasa().onlyIn(Profile.DEFAULT).needs(MASA_VOUCHER));
    }

    /** The PVR of {@code pledge} naming the PKI's registrar as proximity registrar, leaves changed by {@code tweak}. */
    private static byte[] pvr(InteropContext c, HeldCertificate pledge, String nonce,
            UnaryOperator<VoucherRequest.Builder> tweak, String root) throws InteropException {
        VoucherRequest request = tweak.apply(Artifacts.pledgeRequest(Flows.serial(pledge), nonce,
                c.registrarIdentity().certificate(), c.clock().instant())).build();
        return Artifacts.sign(pledge, Artifacts.json(request, root), CmsContentTypes.ANIMA_JSON_VOUCHER);
    }

    /** The RVR wrapping {@code pvr}, signed by {@code signer}. */
    private static byte[] rvr(InteropContext c, HeldCertificate signer, String serial, String nonce, byte[] pvr,
            UnaryOperator<VoucherRequest.Builder> tweak, String eContentType, String root) {
        VoucherRequest request = tweak.apply(Artifacts.registrarRequest(serial, nonce, pvr, c.clock().instant()))
                .build();
        return Artifacts.sign(signer, Artifacts.json(request, root), eContentType);
    }

    private static Observation voucher(InteropContext c, String eContentType) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        String nonce = c.nonce();
        String root = c.profile().requestRoot();
        byte[] der = rvr(c, c.registrarIdentity(), Flows.serial(pledge), nonce,
                pvr(c, pledge, nonce, UnaryOperator.identity(), root), UnaryOperator.identity(), eContentType, root);
        try (PeerSession s = c.masaSession()) {
            HttpReply reply = s.send("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(), c.body(der));
            if (reply.status() != 200) {
                return Expect.unexpected(reply);
            }
            VoucherCheck check = VoucherCheck.check(reply.body(), c.masaAnchors(), Flows.serial(pledge), nonce,
                    c.registrarIdentity().chainWithSelf(), c.profile().requireCreatedOn(), c.clock().instant());
            return Observation.met(check.summary());
        }
    }

    private static Observation auditLog(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        String nonce = c.nonce();
        String root = c.profile().requestRoot();
        byte[] body = c.body(rvr(c, c.registrarIdentity(), Flows.serial(pledge), nonce,
                pvr(c, pledge, nonce, UnaryOperator.identity(), root), UnaryOperator.identity(),
                CmsContentTypes.ANIMA_JSON_VOUCHER, root));
        try (PeerSession s = c.masaSession()) {
            HttpReply voucher = s.send("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(), body);
            if (voucher.status() != 200) {
                throw new InteropException("precondition (voucher): " + Replies.describe(voucher));
            }
            HttpReply log = s.send("POST", Flows.REQUEST_AUDIT_LOG, PeerSession.headers(Flows.VOUCHER, Flows.JSON),
                    body);
            if (log.status() != 200 || !log.mediaType().equals(Flows.JSON)) {
                return Expect.unexpected(log);
            }
            JsonNode root2;
            try {
                root2 = JSON.readTree(log.body());
            } catch (IOException e) {
                return Observation.unmet("not JSON: " + log.excerpt());
            }
            JsonNode events = root2 == null ? null : root2.get("events");
            return Observation.of(events != null && events.isArray(), Replies.describe(log) + ", "
                    + (events != null && events.isArray() ? events.size() + " event(s)" : "no events array"));
        }
    }

    private static Observation noCmcRa(InteropContext c) throws InteropException {
        HeldCertificate notRa = HeldCertificate.builder().commonName("Interop registrar without cmcRA")
                .extendedKeyUsage(HeldCertificate.ID_KP_SERVER_AUTH, HeldCertificate.ID_KP_CLIENT_AUTH)
                .signedBy(c.domainCa()).build();
        HeldCertificate pledge = c.knownPledge();
        String nonce = c.nonce();
        String root = c.profile().requestRoot();
        byte[] pvr = pvr(c, pledge, nonce, b -> b.proximityRegistrarCert(Artifacts.der(notRa.certificate())), root);
        byte[] der = rvr(c, notRa, Flows.serial(pledge), nonce, pvr, UnaryOperator.identity(),
                CmsContentTypes.ANIMA_JSON_VOUCHER, root);
        return body(c, c.body(der), Refusal.because("the signer's certificate", "cmc|\\bra\\b|registration authority"
                + "|eku|key.?usage|registrar|purpose|certificate|" + Refusal.SIGNATURE));
    }

    private static Observation stranger(InteropContext c, HeldCertificate pledge, Refusal refusal)
            throws InteropException {
        String nonce = c.nonce();
        String root = c.profile().requestRoot();
        byte[] der = rvr(c, c.registrarIdentity(), Flows.serial(pledge), nonce,
                pvr(c, pledge, nonce, UnaryOperator.identity(), root), UnaryOperator.identity(),
                CmsContentTypes.ANIMA_JSON_VOUCHER, root);
        try (PeerSession s = c.masaSession()) {
            return refusal.judge(s.attempt("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(), c.body(der)));
        }
    }

    /** A known pledge's RVR with PVR leaves, RVR leaves and DER changed, sent with {@code headers}: refused. */
    private static Observation refused(InteropContext c, UnaryOperator<VoucherRequest.Builder> pvrTweak,
            UnaryOperator<VoucherRequest.Builder> rvrTweak, UnaryOperator<byte[]> mangle, Map<String, String> headers,
            Refusal refusal) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        String nonce = c.nonce();
        String root = c.profile().requestRoot();
        byte[] der = mangle.apply(rvr(c, c.registrarIdentity(), Flows.serial(pledge), nonce,
                pvr(c, pledge, nonce, pvrTweak, root), rvrTweak, CmsContentTypes.ANIMA_JSON_VOUCHER, root));
        try (PeerSession s = c.masaSession()) {
            return refusal.judge(s.attempt("POST", Flows.REQUEST_VOUCHER, headers, c.body(der)));
        }
    }

    private static Observation body(InteropContext c, byte[] body, Refusal refusal) throws InteropException {
        try (PeerSession s = c.masaSession()) {
            return refusal.judge(s.attempt("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(), body));
        }
    }

    private static Observation oversized(InteropContext c) throws InteropException {
        byte[] body = VoucherCases.random(c, 1024 * 1024);
        body[0] = 0x30;
        try (PeerSession s = c.masaSession()) {
            return Refusal.because("the size", Refusal.TOO_LARGE).judge(s.attempt("POST", Flows.REQUEST_VOUCHER,
                    Flows.voucherHeaders(), body));
        }
    }

    private static Observation dialect(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        String nonce = c.nonce();
        String root = Profile.NQMINDS_COMPAT.requestRoot();
        byte[] der = rvr(c, c.registrarIdentity(), Flows.serial(pledge), nonce,
                pvr(c, pledge, nonce, UnaryOperator.identity(), root), UnaryOperator.identity(),
                CmsContentTypes.ANIMA_JSON_VOUCHER, root);
        return body(c, Artifacts.base64(der, false), DialectCases.DIALECT);
    }
}
