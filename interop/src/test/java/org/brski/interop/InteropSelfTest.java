package org.brski.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.brski.interop.MisbehavingRegistrar.Behaviour;
import org.brski.interop.cases.Catalogue;
import org.brski.interop.cli.InteropCommand;
import org.brski.interop.report.JUnitXmlReport;
import org.brski.interop.report.MarkdownReport;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The self-test of the suite: the whole catalogue against purpose-built targets that are not registrars (and, given as
 * --masa too, not MASAs): one that answers 404 to everything, one that accepts everything with the media types asked
 * for, one that resets every connection after the TLS handshake, one that answers 400 "cannot parse" to everything,
 * one that returns genuine MASA-signed vouchers with the wrong nonce, and one that speaks BRSKI draft 07. Each test
 * checks the verdicts per case: none of them may pass a case it did not earn.
 */
class InteropSelfTest {
    /** What any TLS server with the registrar's certificate earns. */
    private static final Set<String> TLS = Set.of("tls-provisional", "tls-registrar-cmcra");

    static TestPki pki;
    @TempDir
    static Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.builder().pledges(2).build();
    }

    private static Map<String, CaseResult> run(Behaviour behaviour) throws Exception {
        try (MisbehavingRegistrar target = MisbehavingRegistrar.start(pki, behaviour)) {
            InteropContext context = InteropContext.of(target.uri(), target.uri(), pki, Profile.DEFAULT,
                    Duration.ofSeconds(5), Clock.systemUTC());
            InteropReport report = InteropRunner.of(context).run(Catalogue.all(), "self-test", r -> { });
            assertFalse(report.successful(), behaviour + ": " + report.summaryLine());
            assertEquals(Catalogue.all().size(), report.results().size());
            return report.results().stream().collect(Collectors.toMap(r -> r.testCase().id(), Function.identity()));
        }
    }

    /** Every pass is in {@code earned}; prints the passes for the record. */
    private static void passesOnly(Map<String, CaseResult> results, Set<String> earned) {
        Set<String> passed = results.values().stream().filter(r -> r.verdict() == Verdict.PASS)
                .map(r -> r.testCase().id()).collect(Collectors.toSet());
        assertTrue(earned.containsAll(passed), "passes not earned: " + passed.stream().filter(p -> !earned.contains(p))
                .map(p -> p + " (" + results.get(p).observed() + ")").collect(Collectors.joining(", ")));
    }

    private static void verdict(Map<String, CaseResult> results, String id, Verdict verdict, String observed) {
        CaseResult r = results.get(id);
        assertEquals(verdict, r.verdict(), id + ": " + r.observed());
        assertTrue(r.observed().contains(observed), id + ": '" + r.observed() + "' should contain '" + observed + "'");
    }

    /** Every case that depends on {@code control} did not apply, naming it. */
    private static void dependentsNotApplicable(Map<String, CaseResult> results, String control) {
        for (CaseResult r : results.values()) {
            if (r.testCase().control().filter(control::equals).isPresent()) {
                verdict(results, r.testCase().id(), Verdict.NOT_APPLICABLE, "precondition failed: positive case "
                        + control + " did not pass");
            }
        }
    }

    /**
     * Nothing beyond TLS passes; voucher-positive fails as {@code observed} says, /cacerts and the MASA fail, and every
     * case depending on the registrar's or the MASA's voucher endpoint does not apply, naming it.
     */
    private static void notARegistrar(Map<String, CaseResult> results, String observed) {
        passesOnly(results, TLS);
        verdict(results, "voucher-positive", Verdict.FAIL, observed);
        verdict(results, "est-cacerts-base64", Verdict.FAIL, "");
        verdict(results, "masa-voucher", Verdict.FAIL, "");
        dependentsNotApplicable(results, "voucher-positive");
        dependentsNotApplicable(results, "masa-voucher");
    }

    @Test
    void aTargetAnswering404ToEverythingPassesNothingBeyondTls() throws Exception {
        Map<String, CaseResult> results = run(Behaviour.NOT_FOUND);

        notARegistrar(results, "endpoint missing: POST /.well-known/brski/requestvoucher answered HTTP 404");
        verdict(results, "tls-provisional", Verdict.PASS, "chain of");
        verdict(results, "est-cacerts-base64", Verdict.FAIL, "endpoint missing");
        verdict(results, "masa-voucher", Verdict.FAIL, "endpoint missing");
        verdict(results, "est-cacerts-accept-any", Verdict.NOT_APPLICABLE, "positive case est-cacerts-base64");
        // The failure shows what was sent and what came back.
        CaseResult positive = results.get("voucher-positive");
        assertTrue(positive.exchanges().stream().anyMatch(e -> e.request().equals(
                "POST /.well-known/brski/requestvoucher") && e.status().orElse(0) == 404
                && e.requestHeaders().get("Content-Type").equals("application/voucher-cms+json")
                && e.requestBody().contains("binary, starts 30")), positive.exchanges().toString());
    }

    @Test
    void aTargetAcceptingEverythingWithTheMediaTypesAskedForPassesNothingBeyondTls() throws Exception {
        Map<String, CaseResult> results = run(Behaviour.ACCEPTS_EVERYTHING);

        notARegistrar(results, "HTTP 200 application/voucher-cms+json (8 bytes), but no voucher for the pledge");
    }

    @Test
    void aTargetAnswering400CannotParseToEverythingPassesNoRefusal() throws Exception {
        Map<String, CaseResult> results = run(Behaviour.BAD_REQUEST);

        notARegistrar(results, "HTTP 400");
        // "cannot parse" would be the right reason for these, but the endpoint never answered a valid request.
        verdict(results, "pvr-not-cms", Verdict.NOT_APPLICABLE, "positive case voucher-positive did not pass");
        verdict(results, "masa-not-cms", Verdict.NOT_APPLICABLE, "positive case masa-voucher did not pass");
    }

    @Test
    void aTargetResettingEveryConnectionPassesNothingBeyondTheHandshake() throws Exception {
        Map<String, CaseResult> results = run(Behaviour.RESETS);

        notARegistrar(results, "no HTTP answer");
    }

    @Test
    void aTargetReturningVouchersWithTheWrongNonceFailsTheVoucherChecksAndEveryRefusal() throws Exception {
        Map<String, CaseResult> results = run(Behaviour.WRONG_NONCE);

        // A genuine MASA-signed voucher for the pledge comes back to valid requests, and a real /cacerts: earned.
        passesOnly(results, Set.of("tls-provisional", "tls-registrar-cmcra", "voucher-positive", "voucher-created-on",
                "pvr-accept-any", "pvr-accept-type-wildcard", "pvr-accept-absent", "pvr-accept-q-values",
                "pvr-content-type-case", "pvr-econtent-id-data", "pvr-cte-header-ignored", "est-cacerts-base64",
                "est-cacerts-accept-any"));
        verdict(results, "voucher-positive", Verdict.PASS, "a voucher for " + pki.serials().get(0).substring(0, 3));
        verdict(results, "voucher-verifies", Verdict.FAIL, "nonce is not the nonce sent");
        verdict(results, "voucher-pin-covers-registrar", Verdict.NOT_APPLICABLE, "positive case voucher-verifies");
        // It answers every voucher-request with a voucher: each refusal case fails, for what it accepted.
        verdict(results, "pvr-bad-signature", Verdict.FAIL, "accepted: no refusal");
        verdict(results, "pvr-proximity-wrong", Verdict.FAIL, "accepted: no refusal");
        verdict(results, "pvr-unknown-manufacturer", Verdict.FAIL, "accepted: no refusal");
        // Enrollment needs a good voucher first.
        verdict(results, "est-simpleenroll", Verdict.FAIL, "nonce");
        dependentsNotApplicable(results, "est-simpleenroll");
        verdict(results, "masa-voucher", Verdict.FAIL, "");
        dependentsNotApplicable(results, "masa-voucher");
    }

    @Test
    void aPreRfcDraftPeerIsNamedAndTheRunStops() throws Exception {
        Path pkiDir = dir.resolve("pki");
        PkiFiles.write(pki, pkiDir, false);
        Path reports = dir.resolve("draft-reports");
        try (MisbehavingRegistrar draft = MisbehavingRegistrar.start(pki, Behaviour.DRAFT_07)) {
            StringWriter out = new StringWriter();
            int code = new CommandLine(new InteropCommand()).setOut(new PrintWriter(out))
                    .setErr(new PrintWriter(new StringWriter())).execute("--registrar", draft.uri().toString(),
                            "--pki", pkiDir.toString(), "--report", reports.toString(), "--timeout", "5");

            assertEquals(1, code, out.toString());
            String text = out.toString();
            assertTrue(text.contains("stopped: the peer looks like a pre-RFC BRSKI draft (draft 07 era)"), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("PASS") && l.contains("tls-provisional")), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("FAIL") && l.contains("voucher-positive")
                    && l.contains("endpoint missing")), text);
            // Nothing after voucher-positive ran: est-cacerts-base64 would have passed on its /.well-known/est/cacerts.
            assertTrue(text.lines().anyMatch(l -> l.startsWith("N/A") && l.contains("est-cacerts-base64")
                    && l.contains("not run: the peer looks like a pre-RFC BRSKI draft")), text);
            assertEquals(2, text.lines().filter(l -> l.startsWith("PASS")).count(), text);
            assertTrue(Files.readString(reports.resolve(MarkdownReport.FILE)).contains("> **Stopped:** the peer looks"
                    + " like a pre-RFC BRSKI draft"));
            assertTrue(Files.readString(reports.resolve(JUnitXmlReport.FILE)).contains("name=\"stopped\""));
        }
    }
}
