package org.brski.registrar.masa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.brski.registrar.store.AuditResult;
import org.junit.jupiter.api.Test;

/** RFC 8995 5.8.3 audit-log judgement. */
class AuditLogVerifierTest {
    private static final byte[] OURS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
    private static final String OURS_B64 = Base64.getEncoder().encodeToString(OURS);
    private static final String THEIRS_B64 = Base64.getEncoder().encodeToString(new byte[20]);

    private static AuditResult verify(AuditPolicy policy, String json, Optional<String> nonce) {
        return AuditLogVerifier.of(policy, List.of(OURS)).verify(json.getBytes(StandardCharsets.UTF_8), nonce,
                Instant.now());
    }

    private static String event(String domain, String nonce) {
        return "{\"date\":\"2024-01-01T00:00:00Z\",\"domainID\":\"" + domain + "\",\"nonce\":"
                + (nonce == null ? "null" : "\"" + nonce + "\"") + ",\"assertion\":\"proximity\"}";
    }

    @Test
    void ownNoncedEventsPass() {
        AuditResult r = verify(AuditPolicy.strict(), "{\"version\":1,\"events\":[" + event(OURS_B64, "abc") + "]}",
                Optional.of("abc"));
        assertEquals(AuditResult.Outcome.PASSED, r.outcome(), r.summary());
    }

    @Test
    void base64urlDomainIdsAreRecognised() {
        String url = Base64.getUrlEncoder().withoutPadding().encodeToString(OURS);
        AuditResult r = verify(AuditPolicy.strict(), "{\"version\":\"1\",\"events\":[" + event(url, "abc") + "]}",
                Optional.empty());
        assertEquals(AuditResult.Outcome.PASSED, r.outcome(), r.summary());
    }

    @Test
    void otherDomainsViolateTheStrictPolicyButNotAPermissiveOne() {
        String log = "{\"version\":1,\"events\":[" + event(THEIRS_B64, "old") + "," + event(OURS_B64, "abc") + "]}";
        AuditResult strict = verify(AuditPolicy.strict(), log, Optional.of("abc"));
        assertEquals(AuditResult.Outcome.VIOLATION, strict.outcome());
        assertTrue(strict.summary().contains("1 voucher(s) issued to other domains"), strict.summary());
        AuditResult permissive = verify(new AuditPolicy(AuditPolicy.Mode.ENFORCE, true, false), log, Optional.of("abc"));
        assertEquals(AuditResult.Outcome.PASSED, permissive.outcome());
    }

    @Test
    void noncelessVouchersViolateUnlessAllowed() {
        String log = "{\"version\":1,\"events\":[" + event(OURS_B64, null) + "],"
                + "\"truncation\":{\"arbitrary\":\"2\"}}";
        AuditResult strict = verify(AuditPolicy.strict(), log, Optional.empty());
        assertEquals(AuditResult.Outcome.VIOLATION, strict.outcome());
        assertTrue(strict.summary().contains("nonceless"), strict.summary());
        assertTrue(strict.summary().contains("2 arbitrarily truncated"), strict.summary());
        assertEquals(AuditResult.Outcome.PASSED,
                verify(new AuditPolicy(AuditPolicy.Mode.ENFORCE, false, true), log, Optional.empty()).outcome());
    }

    @Test
    void missingOwnNonceIsReported() {
        AuditResult r = verify(AuditPolicy.strict(), "{\"version\":1,\"events\":[" + event(OURS_B64, "x") + "]}",
                Optional.of("abc"));
        assertEquals(AuditResult.Outcome.PASSED, r.outcome());
        assertTrue(r.summary().contains("not in the log"));
    }

    @Test
    void malformedLogsAreUnavailableNotViolations() {
        for (String bad : List.of("", "[]", "{\"version\":1}", "{\"events\":[{\"nonce\":null}]}", "{not json")) {
            assertEquals(AuditResult.Outcome.UNAVAILABLE, verify(AuditPolicy.strict(), bad, Optional.empty()).outcome(),
                    bad);
        }
    }
}
