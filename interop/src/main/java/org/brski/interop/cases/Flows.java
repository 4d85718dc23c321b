package org.brski.interop.cases;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.brski.interop.InteropContext;
import org.brski.interop.InteropException;
import org.brski.interop.Observation;
import org.brski.interop.client.Artifacts;
import org.brski.interop.client.Attempt;
import org.brski.interop.client.PeerSession;
import org.brski.interop.client.Replies;
import org.brski.interop.client.VoucherCheck;
import org.brski.pki.HeldCertificate;
import org.brski.pledge.PledgeException;
import org.brski.pledge.Step;
import org.brski.pledge.est.EstCodec;
import org.brski.pledge.http.HttpReply;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherRequest;

/** The exchange sequences cases share: voucher-request, voucher, enrollment. */
final class Flows {
    static final String REQUEST_VOUCHER = "/.well-known/brski/requestvoucher";
    static final String VOUCHER_STATUS = "/.well-known/brski/voucher_status";
    static final String ENROLL_STATUS = "/.well-known/brski/enrollstatus";
    static final String REQUEST_AUDIT_LOG = "/.well-known/brski/requestauditlog";
    /** Where BRSKI drafts before RFC 8995 (draft 07 era) put the voucher-request (RFC 8995 8.3.1). */
    static final String DRAFT_REQUEST_VOUCHER = "/.well-known/est/requestvoucher";
    static final String CACERTS = PeerSession.CACERTS;
    static final String CSRATTRS = "/.well-known/est/csrattrs";
    static final String SIMPLE_ENROLL = "/.well-known/est/simpleenroll";
    static final String VOUCHER = VoucherCms.MEDIA_TYPE;
    static final String PKCS7 = "application/pkcs7-mime";
    static final String PKCS10 = "application/pkcs10";
    static final String CSRATTRS_TYPE = "application/csrattrs";
    static final String JSON = "application/json";

    private Flows() {
    }

    /** A voucher-request as sent and its answer. */
    record Sent(HeldCertificate pledge, String nonce, Attempt attempt, List<X509Certificate> registrarChain) {
        /** The reply; a transport failure is an {@link InteropException}. */
        HttpReply reply() throws InteropException {
            return attempt.reply().orElseThrow(() -> new InteropException(attempt.describe()));
        }
    }

    /** The standard voucher-request headers: Content-Type and Accept {@code application/voucher-cms+json}. */
    static Map<String, String> voucherHeaders() {
        return PeerSession.headers(VOUCHER, VOUCHER);
    }

    /**
     * The pledge voucher-request of {@code pledge} to the session's registrar, with leaves changed by {@code tweak},
     * signed by {@code pledge}, as DER.
     */
    static byte[] pledgeRequest(InteropContext context, PeerSession session, HeldCertificate pledge, String nonce,
            UnaryOperator<VoucherRequest.Builder> tweak) throws InteropException {
        String serial = serial(pledge);
        VoucherRequest request = tweak.apply(Artifacts.pledgeRequest(serial, nonce, session.serverCertificate(),
                context.clock().instant())).build();
        return context.signedRequest(pledge, request);
    }

    /**
     * POSTs a voucher-request body; in the nqminds dialect an empty probe POST goes first (its answer is ignored).
     */
    static Attempt postVoucherRequest(InteropContext context, PeerSession session, byte[] body,
            Map<String, String> headers) {
        if (context.profile().probeFirst()) {
            session.attempt("POST", REQUEST_VOUCHER, headers, new byte[0]);
        }
        return session.attempt("POST", REQUEST_VOUCHER, headers, body);
    }

    /** A correct voucher-request in the profile's dialect, with leaves changed by {@code tweak}. */
    static Sent requestVoucher(InteropContext context, PeerSession session, HeldCertificate pledge,
            UnaryOperator<VoucherRequest.Builder> tweak, Map<String, String> headers) throws InteropException {
        String nonce = context.nonce();
        byte[] der = pledgeRequest(context, session, pledge, nonce, tweak);
        return new Sent(pledge, nonce, postVoucherRequest(context, session, context.body(der), headers),
                session.serverChain());
    }

    /** A correct voucher-request with the standard headers. */
    static Sent requestVoucher(InteropContext context, PeerSession session, HeldCertificate pledge)
            throws InteropException {
        return requestVoucher(context, session, pledge, UnaryOperator.identity(), voucherHeaders());
    }

    /**
     * {@code POST /requestvoucher} answered 404: the endpoint is missing. When the other {@code /.well-known/brski/}
     * paths of a registrar are missing too but {@code /.well-known/est/requestvoucher} answers, the peer looks like a
     * BRSKI draft from before RFC 8995 (draft 07 era; RFC 8995 8.3.1 says earlier drafts used "/.well-known/est"):
     * nothing else in the catalogue can say anything about it, and the run stops.
     */
    static Observation missingVoucherEndpoint(PeerSession session, HttpReply reply) {
        String observed = "endpoint missing: POST " + REQUEST_VOUCHER + " answered " + Replies.describe(reply);
        for (String path : List.of(VOUCHER_STATUS, ENROLL_STATUS)) {
            Attempt other = session.attempt("POST", path, PeerSession.headers(JSON, null), "{}".getBytes(StandardCharsets.US_ASCII));
            if (other.reply().map(r -> r.status() != 404).orElse(true)) {
                return Observation.unmet(observed);
            }
        }
        Attempt draft = session.attempt("POST", DRAFT_REQUEST_VOUCHER, voucherHeaders(), new byte[0]);
        if (draft.reply().map(r -> r.status() == 404).orElse(true)) {
            return Observation.unmet(observed + "; no /.well-known/brski/ path answers");
        }
        String why = "the peer looks like a pre-RFC BRSKI draft (draft 07 era): every /.well-known/brski/ path answers"
                + " 404 but " + DRAFT_REQUEST_VOUCHER + " answers (" + draft.describe() + "); RFC 8995 (8.3.1) moved"
                + " BRSKI to /.well-known/brski/, which this suite tests, so it stops here";
        return Observation.stopRun(observed + "; " + why, why);
    }

    /** Checks a 200 voucher answer against what was sent. */
    static VoucherCheck checkVoucher(InteropContext context, Sent sent) throws InteropException {
        HttpReply reply = sent.reply();
        if (reply.status() != 200) {
            throw new InteropException("voucher-request answered " + Replies.describe(reply));
        }
        return VoucherCheck.check(reply.body(), context.masaAnchors(), serial(sent.pledge()), sent.nonce(),
                sent.registrarChain(), context.profile().requireCreatedOn(), context.clock().instant());
    }

    /**
     * Obtains and checks a voucher for {@code pledge}: a precondition of the EST and telemetry cases.
     *
     * @throws InteropException "precondition: ..." when the registrar does not deliver a good voucher
     */
    static VoucherCheck obtainVoucher(InteropContext context, PeerSession session, HeldCertificate pledge)
            throws InteropException {
        try {
            return checkVoucher(context, requestVoucher(context, session, pledge));
        } catch (InteropException e) {
            throw new InteropException("precondition (voucher for " + serial(pledge) + "): " + e.getMessage(), e);
        }
    }

    /** A new key like the pledge's. */
    static KeyPair newKey(InteropContext context, HeldCertificate pledge) {
        return EstCodec.generateLike(pledge.publicKey(), context.random());
    }

    /** The certificates of a certs-only answer, decoded with the pledge's EST codec. */
    static List<X509Certificate> certsOnly(HttpReply reply) throws InteropException {
        try {
            return EstCodec.certsOnly(Step.ENROLL, reply.body());
        } catch (PledgeException e) {
            throw new InteropException(e.getMessage(), e);
        }
    }

    /** The pledge's serial-number (its X520 serialNumber, RFC 8995 2.3.1). */
    static String serial(HeldCertificate pledge) {
        return org.brski.pkix.DeviceCertificates.serialNumber(pledge.certificate())
                .orElseThrow(() -> new IllegalArgumentException("not an IDevID: no serialNumber"));
    }
}
