package org.brski.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.brski.interop.cases.Catalogue;
import org.brski.interop.cli.InteropCommand;
import org.brski.interop.report.JUnitXmlReport;
import org.brski.interop.report.MarkdownReport;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.server.config.Compat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * The whole catalogue against our own MASA and registrar (every required case must pass, the reports must be
 * well-formed), the nqminds dialect refused by them in the default configuration, and a broken registrar that
 * answers 200 garbage (its positive cases fail, its negative cases do not apply, exit code 1; the reports show each
 * failure's request and answer).
 */
class InteropSuiteTest {
    static TestPki pki;
    static OwnServices services;
    @TempDir
    static Path dir;
    static Path pkiDir;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.builder().pledges(4).build();
        pkiDir = dir.resolve("pki");
        PkiFiles.write(pki, pkiDir, false);
        services = OwnServices.start(PkiFiles.read(pkiDir));
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void everyRequiredCasePassesAgainstOurServicesAndTheReportsAreWellFormed() throws Exception {
        List<InteropCase> catalogue = Catalogue.all();
        assertTrue(catalogue.size() >= 40, "catalogue size " + catalogue.size());
        InteropContext context = InteropContext.of(services.registrarUri(), services.masaUri(),
                PkiFiles.read(pkiDir), Profile.DEFAULT, Duration.ofSeconds(20), Clock.systemUTC());
        List<CaseResult> streamed = new ArrayList<>();
        InteropReport report = InteropRunner.of(context).run(catalogue, pkiDir.toString(), streamed::add);

        String failures = report.results().stream().filter(r -> r.verdict() != Verdict.PASS)
                .map(r -> r.verdict() + " " + r.testCase().id() + ": " + r.observed())
                .collect(Collectors.joining("\n"));
        System.out.println(report.summaryLine() + "\n" + failures);
        for (CaseResult r : report.results()) {
            if (r.testCase().requirement() == Requirement.REQUIRED) {
                assertEquals(Verdict.PASS, r.verdict(), r.testCase().id() + ": " + r.observed());
            }
        }
        assertTrue(report.successful());
        assertEquals(catalogue.size(), streamed.size());
        assertEquals(0, report.count(Verdict.NOT_APPLICABLE), failures);

        Map<String, CaseResult> byId = report.results().stream()
                .collect(Collectors.toMap(r -> r.testCase().id(), Function.identity()));
        // Artifact properties our services are known to have, as the report records them.
        assertTrue(byId.get("voucher-verifies").observed().contains("binary DER"), byId.get("voucher-verifies")
                .observed());
        assertTrue(byId.get("voucher-pin-covers-registrar").observed().contains("domain CA"));
        assertEquals(401, status(byId.get("pvr-proximity-wrong")));
        assertTrue(byId.get("est-simpleenroll").observed().startsWith("LDevID"));
        // Encodings real peers use: every nonce form and fractional seconds are accepted by our services.
        for (String id : List.of("pvr-nonce-base64url", "pvr-nonce-digits", "pvr-created-on-fraction")) {
            assertEquals(Verdict.PASS, byId.get(id).verdict(), id + ": " + byId.get(id).observed());
        }
        assertTrue(byId.get("pvr-nonce-base64url").observed().contains("echoed as sent"));

        Path reports = dir.resolve("reports");
        JUnitXmlReport.write(report, reports);
        MarkdownReport.write(report, reports);
        Document xml = parse(reports.resolve(JUnitXmlReport.FILE));
        NodeList testcases = xml.getElementsByTagName("testcase");
        assertEquals(catalogue.size(), testcases.getLength());
        assertEquals(0, xml.getElementsByTagName("failure").getLength());
        assertEquals(2, xml.getElementsByTagName("testsuite").getLength());
        int total = 0;
        for (Element suite : elements(xml.getElementsByTagName("testsuite"))) {
            total += Integer.parseInt(suite.getAttribute("tests"));
            assertEquals("0", suite.getAttribute("failures"));
        }
        assertEquals(catalogue.size(), total);

        List<String> rows = Files.readAllLines(reports.resolve(MarkdownReport.FILE), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("| `")).toList();
        assertEquals(catalogue.size(), rows.size());
        assertTrue(rows.stream().allMatch(l -> l.split("(?<!\\\\)\\|", -1).length == 8), "6 cells per row");
        String md = Files.readString(reports.resolve(MarkdownReport.FILE));
        assertTrue(md.contains("## Preconditions") && md.contains(report.summaryLine()));
    }

    @Test
    void theNqmindsProfileNamesItsPeersDocumentedDeviationsByCaseId() {
        Set<String> ids = Catalogue.all().stream().map(InteropCase::id).collect(Collectors.toSet());
        assertTrue(Profile.DEFAULT.knownDeviations().isEmpty());
        Map<String, String> known = Profile.NQMINDS_COMPAT.knownDeviations();
        assertTrue(ids.containsAll(known.keySet()), "unknown ids: " + known.keySet().stream()
                .filter(id -> !ids.contains(id)).toList());
        for (String id : List.of("est-cacerts", "est-simpleenroll", "pvr-content-type-wrong",
                "pvr-unknown-manufacturer", "pvr-created-on-fraction")) {
            assertTrue(Profile.NQMINDS_COMPAT.knownDeviation(id).isPresent(), id);
        }
        assertTrue(Profile.NQMINDS_COMPAT.knownDeviation("voucher-verifies").isEmpty(), "our checks stay checks");
    }

    @Test
    void ourServicesRefuseTheNqmindsDialectInTheirDefaultConfiguration() {
        Set<String> ids = Set.of("voucher-positive", "voucher-verifies", "masa-voucher");
        List<InteropCase> subset = Catalogue.select(c -> ids.contains(c.id()));
        InteropContext context = InteropContext.of(services.registrarUri(), services.masaUri(), pki,
                Profile.NQMINDS_COMPAT, Duration.ofSeconds(20), Clock.systemUTC());

        InteropReport report = InteropRunner.of(context).run(subset, "in memory", r -> { });

        Map<String, CaseResult> byId = report.results().stream()
                .collect(Collectors.toMap(r -> r.testCase().id(), Function.identity()));
        assertEquals(Set.of("tls-provisional", "voucher-positive", "voucher-verifies", "masa-voucher"),
                byId.keySet(), "select keeps the positive controls");
        for (String id : List.of("voucher-positive", "masa-voucher")) {
            assertEquals(Verdict.FAIL, byId.get(id).verdict(), id + ": " + byId.get(id).observed());
            assertTrue(byId.get(id).observed().contains("HTTP 4"), byId.get(id).observed());
        }
        CaseResult verifies = byId.get("voucher-verifies");
        assertEquals(Verdict.NOT_APPLICABLE, verifies.verdict());
        assertTrue(verifies.observed().startsWith("precondition failed: positive case voucher-positive did not pass"),
                verifies.observed());
        assertFalse(report.successful());
    }

    @Test
    void theNqmindsCompatProfilePassesAgainstOurServicesStartedWithTheCompatSwitch() throws Exception {
        try (OwnServices compat = OwnServices.start(PkiFiles.read(pkiDir), Compat.NQMINDS)) {
            InteropContext context = InteropContext.of(compat.registrarUri(), compat.masaUri(), PkiFiles.read(pkiDir),
                    Profile.NQMINDS_COMPAT, Duration.ofSeconds(20), Clock.systemUTC());

            InteropReport report = InteropRunner.of(context).run(Catalogue.all(), pkiDir.toString(), r -> { });
            System.out.println("nqminds-compat: " + report.summaryLine() + report.results().stream()
                    .filter(r -> r.verdict() == Verdict.DIFFERS)
                    .map(r -> "\n  differs " + r.testCase().id() + ": " + r.observed()).collect(Collectors.joining()));

            for (CaseResult r : report.results()) {
                if (r.testCase().id().startsWith("pvr-nonce-") || r.testCase().id().equals("pvr-created-on-fraction")) {
                    assertEquals(Verdict.PASS, r.verdict(), r.testCase().id() + ": " + r.observed());
                }
                if (r.testCase().requirement() == Requirement.REQUIRED
                        && r.testCase().appliesTo(Profile.NQMINDS_COMPAT)) {
                    assertEquals(Verdict.PASS, r.verdict(), r.testCase().id() + ": " + r.observed());
                }
            }
            assertTrue(report.successful(), report.summaryLine());
            assertTrue(report.count(Verdict.NOT_APPLICABLE) > 0, "default-only cases do not apply in this profile");
        }
    }

    @Test
    void aRegistrarAnsweringGarbageFailsRequiredCasesAndExitsNonZero() throws Exception {
        try (MisbehavingRegistrar garbage = MisbehavingRegistrar.garbage(pki)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Path reports = dir.resolve("garbage-reports");
            int code = new CommandLine(new InteropCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                    .execute("--registrar", garbage.uri().toString(), "--pki", pkiDir.toString(), "--report",
                            reports.toString(), "--timeout", "5");

            assertEquals(1, code, out + "\n" + err);
            List<String> lines = out.toString().lines().toList();
            int cases = Catalogue.all().size();
            assertEquals(cases, lines.stream().filter(l -> l.matches("(PASS|FAIL|DIFFERS|N/A|KNOWN) +.*")).count());
            String last = lines.get(lines.size() - 1);
            assertTrue(last.matches("\\d+ passed, [1-9]\\d* failed, \\d+ optional differ, \\d+ not applicable, \\d+"
                    + " known peer deviations"), last);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("FAIL") && l.contains("voucher-positive")
                    && l.contains("HTTP 200 text/plain (7 bytes)")), out.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("N/A") && l.contains("pvr-bad-signature")
                    && l.contains("precondition failed: positive case voucher-positive did not pass")));
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("N/A") && l.contains("masa-voucher")));

            Document xml = parse(reports.resolve(JUnitXmlReport.FILE));
            assertEquals(cases, xml.getElementsByTagName("testcase").getLength());
            NodeList failures = xml.getElementsByTagName("failure");
            assertTrue(failures.getLength() >= 2, "voucher-positive and est-cacerts-base64 at least");
            String failureText = failures.item(0).getTextContent();
            assertTrue(failureText.contains("RFC section: ") && failureText.contains("a conforming peer: ")
                    && failureText.contains("request: ") && failureText.contains("answer: HTTP 200"), failureText);
            String md = Files.readString(reports.resolve(MarkdownReport.FILE));
            assertTrue(md.contains("### `voucher-positive`: **FAIL**"), md);
            assertTrue(md.contains("request: POST /.well-known/brski/requestvoucher"), md);
            assertTrue(md.contains("## RFC 8995 5.2") && md.contains("## Verdicts"), md);
        }
    }

    @Test
    void helpNamesThePreconditionsAndBadInputExitsWithTwo() {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new InteropCommand()).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(new StringWriter()));
        assertEquals(0, command.execute("--help"));
        assertTrue(out.toString().contains("knows every pledge listed in pki.json"), out.toString());
        assertTrue(out.toString().contains("nqminds-compat"));

        StringWriter err = new StringWriter();
        int code = new CommandLine(new InteropCommand()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err)).execute("--registrar", "http://127.0.0.1:1", "--pki", pkiDir.toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("https://"), err.toString());
    }

    private static int status(CaseResult r) {
        String observed = r.observed();
        return observed.startsWith("HTTP ") ? Integer.parseInt(observed.substring(5, 8)) : -1;
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> elements(NodeList nodes) {
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }
}
