package org.brski.interop.cases;

import static org.brski.interop.InteropCase.optional;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.brski.interop.InteropCase;
import org.brski.interop.InteropContext;
import org.brski.interop.InteropException;
import org.brski.interop.Observation;
import org.brski.interop.client.Artifacts;
import org.brski.interop.client.PeerSession;
import org.brski.interop.client.Replies;
import org.brski.pki.HeldCertificate;
import org.brski.pledge.http.HttpReply;

/**
 * Status telemetry cases (RFC 8995 5.7 voucher_status, 5.9.4 enrollstatus). The RFC lets the registrar answer 200
 * or simply 404 and the pledge ignores the answer, so every telemetry case is optional.
 */
final class TelemetryCases {
    private static final String SUCCESS = "{\"version\":1,\"status\":true}";
    private static final String FAILURE = "{\"version\":1,\"status\":false,\"reason\":\"interop: voucher refused\","
            + "\"reason-context\":{\"case\":\"voucher-status-failure\"}}";
    private static final String MALFORMED = "{\"version\":1,\"status\":";

    private TelemetryCases() {
    }

    static List<InteropCase> all() {
        return List.of(
                optional("voucher-status-success", "RFC 8995 5.7", "voucher_status {version 1, status true}",
                        "200", c -> voucherStatus(c, SUCCESS, 200)),
                optional("voucher-status-failure", "RFC 8995 5.7",
                        "voucher_status with status false, reason and reason-context", "200",
                        c -> voucherStatus(c, FAILURE, 200)),
                optional("voucher-status-malformed", "RFC 8995 5.7", "voucher_status with truncated JSON",
                        "400", c -> voucherStatus(c, MALFORMED, 400)),
                optional("enroll-status-ldevid", "RFC 8995 5.9.4",
                        "enrollstatus success over a new TLS connection with the new LDevID", "200",
                        TelemetryCases::enrollStatus),
                optional("enroll-status-malformed", "RFC 8995 5.9.4", "enrollstatus with a JSON array", "400",
                        TelemetryCases::enrollStatusMalformed));
    }

    private static Observation voucherStatus(InteropContext c, String json, int expected) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.obtainVoucher(c, s, pledge);
            return Expect.status(s.attempt("POST", Flows.VOUCHER_STATUS, PeerSession.headers(Flows.JSON, null),
                    json.getBytes(StandardCharsets.UTF_8)), expected);
        }
    }

    private static Observation enrollStatus(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        HeldCertificate ldevid;
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.obtainVoucher(c, s, pledge);
            KeyPair keys = Flows.newKey(c, pledge);
            String serial = Flows.serial(pledge);
            HttpReply reply = s.post(Flows.SIMPLE_ENROLL, Flows.PKCS10, Flows.PKCS7,
                    Artifacts.base64(Artifacts.der(Artifacts.csr("interop " + serial, serial, keys)), false));
            if (reply.status() != 200) {
                throw new InteropException("precondition (enrollment): " + Replies.describe(reply));
            }
            X509Certificate certificate = EstCases.issuedFor(reply, keys);
            List<X509Certificate> cacerts = Flows.certsOnly(s.get(Flows.CACERTS, Flows.PKCS7));
            List<X509Certificate> issuers = cacerts.stream()
                    .filter(ca -> ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())).toList();
            try {
                ldevid = HeldCertificate.of(keys.getPrivate(), certificate, issuers.isEmpty() ? List.of()
                        : issuers.subList(0, 1));
            } catch (IllegalArgumentException e) {
                throw new InteropException("precondition (LDevID usable as TLS identity): " + e.getMessage(), e);
            }
        }
        try (PeerSession s = c.registrarSession(ldevid)) {
            return Expect.status(s.attempt("POST", Flows.ENROLL_STATUS, PeerSession.headers(Flows.JSON, null),
                    SUCCESS.getBytes(StandardCharsets.UTF_8)), 200);
        }
    }

    private static Observation enrollStatusMalformed(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.obtainVoucher(c, s, pledge);
            return Expect.status(s.attempt("POST", Flows.ENROLL_STATUS, PeerSession.headers(Flows.JSON, null),
                    "[1,2,3]".getBytes(StandardCharsets.UTF_8)), 400);
        }
    }
}
