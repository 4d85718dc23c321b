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
import java.util.Map;
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
        assertEquals("1 passed, 4 failed, 1 optional differ, 3 not applicable, 0 known peer deviations",
                report.summaryLine());
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
    void aCaseRunsOnlyAfterItsPositiveControlPassedAndSaysWhichOneOtherwise() {
        List<InteropCase> cases = List.of(
                InteropCase.required("good", "RFC 8995 5.2", "t", "e", c -> Observation.met("200")),
                InteropCase.required("bad", "RFC 8995 5.2", "t", "e", c -> Observation.unmet("HTTP 404")),
                InteropCase.required("after-good", "RFC 8995 5.2", "t", "e", c -> Observation.met("403")).needs("good"),
                InteropCase.required("after-bad", "RFC 8995 5.2", "t", "e", c -> {
                    throw new AssertionError("must not run");
                }).needs("bad"),
                InteropCase.required("ambiguous", "RFC 8995 5.2", "t", "e", c -> {
                    throw InteropException.preconditionFailed("HTTP 404 does not show a refusal");
                }).needs("good"),
                InteropCase.required("orphan", "RFC 8995 5.2", "t", "e", c -> Observation.met("x")).needs("absent"),
                InteropCase.required("masa-root", "RFC 8995 5.5", "t", "e", c -> Observation.met("x")).atMasa(),
                InteropCase.required("after-masa", "RFC 8995 5.5", "t", "e", c -> Observation.met("x")).atMasa()
                        .needs("masa-root"));

        InteropReport report = InteropRunner.of(context(Profile.DEFAULT, null, Duration.ofSeconds(5)))
                .run(cases, "test", r -> { });

        List<Verdict> verdicts = report.results().stream().map(CaseResult::verdict).toList();
        assertEquals(List.of(Verdict.PASS, Verdict.FAIL, Verdict.PASS, Verdict.NOT_APPLICABLE,
                Verdict.NOT_APPLICABLE, Verdict.NOT_APPLICABLE, Verdict.NOT_APPLICABLE, Verdict.NOT_APPLICABLE),
                verdicts);
        assertTrue(report.results().get(3).observed().startsWith("precondition failed: positive case bad did not"
                + " pass (fail)"), report.results().get(3).observed());
        assertEquals("precondition failed: HTTP 404 does not show a refusal (positive case good passed in this run)",
                report.results().get(4).observed());
        assertTrue(report.results().get(5).observed().contains("absent was not run"));
        assertEquals("no --masa given", report.results().get(7).observed());
        assertThrows(IllegalArgumentException.class, () -> cases.get(0).needs("good"));
    }

    @Test
    void aKnownDeviationOfThePeerIsReportedApartAndDoesNotFailTheRun() {
        List<InteropCase> cases = List.of(
                InteropCase.required("deviates", "RFC 7030 4.1", "t", "e", c -> Observation.unmet("HTTP 404")),
                InteropCase.optional("deviates-optional", "RFC 7030 4.1", "t", "e", c -> Observation.unmet("406")),
                InteropCase.required("fixed", "RFC 7030 4.1", "t", "e", c -> Observation.met("200")),
                InteropCase.required("other", "RFC 7030 4.1", "t", "e", c -> Observation.met("200")));
        Map<String, String> known = Map.of("deviates", "the peer has no /cacerts", "deviates-optional", "no 406",
                "fixed", "the peer had no /cacerts");

        InteropReport report = InteropRunner.of(context(Profile.DEFAULT, null, Duration.ofSeconds(5)), known)
                .run(cases, "test", r -> { });

        assertEquals(List.of(Verdict.KNOWN_DEVIATION, Verdict.KNOWN_DEVIATION, Verdict.PASS, Verdict.PASS),
                report.results().stream().map(CaseResult::verdict).toList());
        assertEquals("known deviation of the default peer: the peer has no /cacerts; observed: HTTP 404",
                report.results().get(0).observed());
        assertTrue(report.results().get(2).observed().endsWith("(listed as a known deviation of the default peer, but"
                + " met: the list may be out of date)"));
        assertTrue(report.successful());
        assertEquals("2 passed, 0 failed, 0 optional differ, 0 not applicable, 2 known peer deviations",
                report.summaryLine());
        String md = MarkdownReport.render(report);
        assertTrue(md.contains("| `deviates` | RFC 7030 4.1 | required | t: e | known deviation of the default peer:"),
                md);
        assertTrue(md.contains("### `deviates`: known peer deviation"), md);
    }

    @Test
    void everyProfilesKnownDeviationsNameCasesOfTheCatalogue() {
        Set<String> ids = new HashSet<>();
        Catalogue.all().forEach(c -> ids.add(c.id()));
        for (Profile profile : Profile.values()) {
            for (String id : profile.knownDeviations().keySet()) {
                assertTrue(ids.contains(id), profile + " lists unknown case " + id);
                assertFalse(profile.knownDeviations().get(id).isBlank(), id);
            }
        }
        assertTrue(Profile.DEFAULT.knownDeviations().isEmpty(), "RFC 8995 as written has no deviations");
    }

    @Test
    void everyControlIsAnEarlierCaseAndEveryRefusalCaseHasOne() {
        List<InteropCase> all = Catalogue.all();
        Set<String> earlier = new HashSet<>();
        for (InteropCase c : all) {
            c.control().ifPresent(control -> assertTrue(earlier.contains(control), c.id() + " needs " + control));
            earlier.add(c.id());
        }
        Set<String> roots = all.stream().filter(c -> c.control().isEmpty()).map(InteropCase::id)
                .collect(java.util.stream.Collectors.toSet());
        assertEquals(Set.of("tls-provisional", "masa-voucher"), roots, "every other case depends on a positive case");
        List<InteropCase> selected = Catalogue.select(c -> c.id().equals("est-simpleenroll-not-der"));
        assertEquals(List.of("tls-provisional", "voucher-positive", "est-simpleenroll", "est-simpleenroll-not-der"),
                selected.stream().map(InteropCase::id).toList());
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
