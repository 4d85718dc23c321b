package org.brski.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.brski.interop.cases.Catalogue;
import org.brski.interop.report.MarkdownReport;
import org.brski.pki.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runner's verdicts for every kind of outcome, the catalogue's invariants and report escaping. */
class InteropRunnerTest {
    static TestPki pki;

    @BeforeAll
    static void pki() {
        pki = TestPki.builder().pledges(1).build();
    }

    static InteropContext context(Profile profile, URI masa, Duration timeout) {
        return InteropContext.of(URI.create("https://127.0.0.1:1"), masa, pki, profile, timeout, Clock.systemUTC());
    }

    @Test
    void eachOutcomeBecomesAVerdict() {
        CountDownLatch never = new CountDownLatch(1);
        List<InteropCase> cases = List.of(
                InteropCase.required("met", "RFC 8995 5.2", "t", "e", c -> Observation.met("fine")),
                InteropCase.required("unmet", "RFC 8995 5.2", "t", "e", c -> Observation.unmet("HTTP 200")),
                InteropCase.optional("differs", "RFC 8995 5.3", "t", "e", c -> Observation.unmet("HTTP 403")),
                InteropCase.required("precondition", "RFC 8995 5.9", "t", "e", c -> {
                    throw new InteropException("precondition: no voucher");
                }),
                InteropCase.required("not-applicable", "RFC 8995 5.9", "t", "e", c -> {
                    throw InteropException.notApplicable("fewer than two pledges");
                }),
                InteropCase.required("bug", "RFC 8995 5.9", "t", "e", c -> {
                    throw new IllegalStateException("boom");
                }),
                InteropCase.required("hangs", "RFC 8995 5.1", "t", "e", c -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Observation.met("woke up");
                }),
                InteropCase.required("masa-only", "RFC 8995 5.5", "t", "e", c -> Observation.met("x")).atMasa(),
                InteropCase.required("compat-only", "RFC 8995 6", "t", "e", c -> Observation.met("x"))
                        .onlyIn(Profile.NQMINDS_COMPAT));

        InteropReport report = InteropRunner.of(context(Profile.DEFAULT, null, Duration.ofMillis(300)))
                .run(cases, "test", r -> { });

        List<Verdict> verdicts = report.results().stream().map(CaseResult::verdict).toList();
        assertEquals(List.of(Verdict.PASS, Verdict.FAIL, Verdict.DIFFERS, Verdict.FAIL, Verdict.NOT_APPLICABLE,
                Verdict.FAIL, Verdict.FAIL, Verdict.NOT_APPLICABLE, Verdict.NOT_APPLICABLE), verdicts);
        assertTrue(report.results().get(5).observed().contains("internal error: IllegalStateException: boom"));
        assertTrue(report.results().get(6).observed().startsWith("no result within"));
        assertEquals("no --masa given", report.results().get(7).observed());
        assertFalse(report.successful());
        assertEquals("1 passed, 4 failed, 1 optional differ, 3 skipped", report.summaryLine());
    }

    @Test
    void onlyOptionalDifferencesLeaveTheRunSuccessful() {
        InteropReport report = InteropRunner.of(context(Profile.DEFAULT, null, Duration.ofSeconds(5))).run(List.of(
                InteropCase.required("met", "RFC 8995 5.2", "t", "e", c -> Observation.met("fine")),
                InteropCase.optional("differs", "RFC 8995 5.3", "t", "e", c -> Observation.unmet("HTTP 403"))),
                "test", r -> { });
        assertTrue(report.successful());
    }

    @Test
    void theCatalogueHasAtLeastFortyUniqueCasesEachCitingAnRfc() {
        List<InteropCase> all = Catalogue.all();
        assertTrue(all.size() >= 40, "size " + all.size());
        Set<String> ids = new HashSet<>();
        for (InteropCase c : all) {
            assertTrue(ids.add(c.id()), c.id());
            assertTrue(c.section().startsWith("RFC "), c.id() + ": " + c.section());
            assertFalse(c.expected().isBlank(), c.id());
        }
        assertTrue(all.stream().filter(c -> c.requirement() == Requirement.REQUIRED).count() >= 40);
        assertTrue(all.stream().anyMatch(c -> c.requirement() == Requirement.OPTIONAL));
        assertTrue(all.stream().anyMatch(c -> c.target() == Target.MASA));
        assertTrue(all.stream().anyMatch(c -> !c.appliesTo(Profile.NQMINDS_COMPAT)), "dialect refusals");
    }

    @Test
    void caseIdsAndProfilesAreChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> InteropCase.required("Bad Id", "RFC 8995 5.2", "t", "e", c -> Observation.met("x")));
        assertEquals(Profile.NQMINDS_COMPAT, Profile.parse("NQMINDS-compat"));
        assertEquals(Profile.DEFAULT, Profile.parse("default"));
        assertThrows(IllegalArgumentException.class, () -> Profile.parse("lenient"));
    }

    @Test
    void observationsAreOneBoundedPrintableLineAndCellsAreEscaped() {
        Observation o = Observation.unmet("line1\r\nline2\u0000" + "x".repeat(1000));
        assertFalse(o.observed().contains("\n"));
        assertTrue(o.observed().startsWith("line1 line2?"));
        assertEquals(Observation.MAX_LENGTH + 3, o.observed().length());
        InteropReport report = new InteropReport("https://r", java.util.Optional.empty(), Profile.DEFAULT, "p",
                java.time.Instant.EPOCH, Duration.ZERO, List.of(new CaseResult(InteropCase.required("pipe",
                        "RFC 8995 5.2", "a|b", "c", c -> o), Verdict.FAIL, "x | y", Duration.ZERO)));
        String md = MarkdownReport.render(report);
        assertTrue(md.contains("| `pipe` | RFC 8995 5.2 | required | a\\|b: c | x \\| y | **FAIL** |"), md);
    }
}
