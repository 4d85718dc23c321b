package org.brski.interop.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.brski.interop.InteropException;
import org.brski.interop.Observation;
import org.brski.interop.client.Attempt;
import org.brski.pledge.http.HttpReply;
import org.junit.jupiter.api.Test;

/** A refusal counts only when it is for the reason the case tests. */
class RefusalTest {
    private static final Refusal SIGNATURE = Refusal.because("the signature", Refusal.SIGNATURE);

    private static Attempt reply(int status, String type, String body) {
        return Attempt.replied(HttpReply.of(status, Map.of("Content-Type", List.of(type)),
                body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String notApplicable(Refusal refusal, Attempt attempt) {
        InteropException e = assertThrows(InteropException.class, () -> refusal.judge(attempt));
        assertTrue(e.isPreconditionFailure(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void a4xxWhoseProblemNamesTheReasonOrNothingSpecificIsTheRefusal() throws InteropException {
        assertTrue(SIGNATURE.judge(reply(403, "application/problem+json",
                "{\"type\":\"urn:x:bad-signature\",\"title\":\"Forbidden\",\"status\":403}")).met());
        assertTrue(SIGNATURE.judge(reply(400, "application/problem+json",
                "{\"type\":\"about:blank\",\"detail\":\"the CMS signature does not verify\"}")).met());
        // A problem that says nothing specific, and a body that is no problem, are not judged.
        assertTrue(SIGNATURE.judge(reply(403, "application/problem+json", "{\"type\":\"about:blank\","
                + "\"title\":\"Forbidden\"}")).met());
        assertTrue(SIGNATURE.judge(reply(400, "text/plain", "cannot parse")).met());
        assertTrue(SIGNATURE.judge(reply(400, "application/problem+json", "not json")).met());
    }

    @Test
    void aProblemNamingAnotherReasonIsNoEvidence() {
        String why = notApplicable(SIGNATURE, reply(403, "application/problem+json",
                "{\"type\":\"urn:x:unknown-manufacturer\",\"detail\":\"no trust anchor for this IDevID\"}"));
        assertTrue(why.contains("do not name the signature"), why);
    }

    @Test
    void a404Or405ShowsNothingUnlessTheRfcNamesIt() throws InteropException {
        assertTrue(notApplicable(SIGNATURE, reply(404, "text/html", "Not Found")).contains("may be missing"));
        assertTrue(notApplicable(SIGNATURE, reply(405, "text/plain", "")).contains("method may be unsupported"));
        assertTrue(SIGNATURE.alsoStatus(404).judge(reply(404, "text/plain", "")).met());
        assertTrue(SIGNATURE.exactly(404).judge(reply(404, "text/plain", "")).met());
        assertFalse(SIGNATURE.exactly(404).judge(reply(403, "text/plain", "")).met());
    }

    @Test
    void anythingButA4xxIsNoRefusal() throws InteropException {
        Observation accepted = SIGNATURE.judge(reply(200, "application/voucher-cms+json", ""));
        assertFalse(accepted.met());
        assertTrue(accepted.observed().contains("accepted: no refusal"), accepted.observed());
        assertFalse(SIGNATURE.judge(reply(500, "text/plain", "NullPointerException")).met());
        assertFalse(SIGNATURE.judge(reply(302, "text/plain", "")).met());
        assertFalse(SIGNATURE.exactly(401).judge(reply(403, "text/plain", "")).met());
    }

    @Test
    void aTransportFailureIsNoRefusalAndATlsAlertOnlyWhereTheRfcAllowsOne() throws InteropException {
        Attempt reset = Attempt.failed("transport: POST /x: Connection reset", false);
        Attempt alert = Attempt.failed("tls: POST /x: TLS failed: Received fatal alert: bad_certificate", true);
        Attempt handshake = Attempt.failed("tls: POST /x: TLS failed: Remote host terminated the handshake", true);
        assertTrue(notApplicable(SIGNATURE, reset).contains("a transport failure is not a refusal"));
        assertTrue(notApplicable(SIGNATURE, alert).contains("a transport failure is not a refusal"));
        Refusal atTls = SIGNATURE.orTlsAlert();
        Observation refused = atTls.judge(alert);
        assertTrue(refused.met());
        assertEquals("refused at the TLS layer: tls: POST /x: TLS failed: Received fatal alert: bad_certificate",
                refused.observed());
        notApplicable(atTls, reset);
        notApplicable(atTls, handshake);
    }
}
