package org.brski.interop.cases;

import static org.brski.interop.InteropCase.optional;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.brski.interop.InteropCase;
import org.brski.interop.InteropContext;
import org.brski.interop.InteropException;
import org.brski.interop.Observation;
import org.brski.interop.client.Attempt;
import org.brski.interop.client.PeerSession;
import org.brski.pki.HeldCertificate;

/**
 * Status telemetry cases (RFC 8995 5.7 voucher_status, 5.9.4 enrollstatus). The RFC lets the registrar answer 200
 * or simply 404 and the pledge ignores the answer, so every telemetry case is optional.
 */
final class TelemetryCases {
    private static final String SUCCESS = "{\"version\":1,\"status\":true}";
    private static final String FAILURE = "{\"version\":1,\"status\":false,\"reason\":\"interop: voucher refused\","
            + "\"reason-context\":{\"case\":\"voucher-status-failure\"}}";
    private static final String MALFORMED = "{\"version\":1,\"status\":";

    private static final String STATUS = "voucher-status-success";
    private static final String ENROLL_STATUS = "enroll-status-ldevid";
    private static final Refusal BAD_JSON = Refusal.because("the malformed JSON", "json|pars|malformed|syntax|invalid"
            + "|status|format|decod|object|array|version").exactly(400);

    private TelemetryCases() {
    }

    static List<InteropCase> all() {
        return List.of(
                optional(STATUS, "RFC 8995 5.7", "voucher_status {version 1, status true}",
                        "200 (404 is allowed: the endpoint is then missing)", c -> voucherStatus(c, SUCCESS, null))
                        .needs(VoucherCases.POSITIVE),
                optional("voucher-status-failure", "RFC 8995 5.7",
                        "voucher_status with status false, reason and reason-context", "200",
                        c -> voucherStatus(c, FAILURE, null)).needs(STATUS),
                optional("voucher-status-malformed", "RFC 8995 5.7", "voucher_status with truncated JSON",
                        "400 naming the malformed JSON", c -> voucherStatus(c, MALFORMED, BAD_JSON)).needs(STATUS),
                optional(ENROLL_STATUS, "RFC 8995 5.9.4",
                        "enrollstatus success over a new TLS connection with the new LDevID",
                        "200 (404 is allowed: the endpoint is then missing)", TelemetryCases::enrollStatus)
                        .needs(EstCases.ENROLL),
                optional("enroll-status-malformed", "RFC 8995 5.9.4", "enrollstatus with a JSON array",
                        "400 naming the malformed JSON", TelemetryCases::enrollStatusMalformed).needs(ENROLL_STATUS));
    }

    /** Posts {@code json}: 200 expected when {@code refusal} is null, else that refusal. */
    private static Observation voucherStatus(InteropContext c, String json, Refusal refusal) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.obtainVoucher(c, s, pledge);
            Attempt attempt = s.attempt("POST", Flows.VOUCHER_STATUS, PeerSession.headers(Flows.JSON, null),
                    json.getBytes(StandardCharsets.UTF_8));
            return refusal == null ? Expect.status(attempt, 200) : refusal.judge(attempt);
        }
    }

    private static Observation enrollStatus(InteropContext c) throws InteropException {
        HeldCertificate ldevid = EstCases.enrollLdevid(c, c.knownPledge());
        try (PeerSession s = c.registrarSession(ldevid)) {
            return Expect.status(s.attempt("POST", Flows.ENROLL_STATUS, PeerSession.headers(Flows.JSON, null),
                    SUCCESS.getBytes(StandardCharsets.UTF_8)), 200);
        }
    }

    private static Observation enrollStatusMalformed(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.obtainVoucher(c, s, pledge);
            return BAD_JSON.judge(s.attempt("POST", Flows.ENROLL_STATUS, PeerSession.headers(Flows.JSON, null),
                    "[1,2,3]".getBytes(StandardCharsets.UTF_8)));
        }
    }
}
