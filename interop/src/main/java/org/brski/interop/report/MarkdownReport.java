package org.brski.interop.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brski.interop.CaseResult;
import org.brski.interop.InteropReport;
import org.brski.interop.Verdict;

/**
 * The Markdown report: a header naming the peers, profile, result and (when the run stopped) why, what the verdicts
 * mean, the preconditions, then one section per RFC section (the first one a case cites, to two levels: "RFC 8995
 * 5.2") with a table of its cases (case, RFC section, requirement, expected, observed, result) followed by the details
 * of each case not met: RFC section, what was sent, what a conforming peer does, what was observed, and every request
 * with its answer.
 */
public final class MarkdownReport {
    /** The file name in the report directory. */
    public static final String FILE = "interop-report.md";
    /** What each verdict means, for the report's legend. */
    static final Map<Verdict, String> LEGEND = legend();
    private static final Pattern SECTION = Pattern.compile("RFC (\\d+) (Appendix [A-Z]|[0-9]+(?:\\.[0-9]+)?)");

    private MarkdownReport() {
    }

    private static Map<Verdict, String> legend() {
        Map<Verdict, String> legend = new LinkedHashMap<>();
        legend.put(Verdict.PASS, "the peer did what the case expects, for the reason the case tests (a refusal counts"
                + " only after the endpoint's positive case passed, as a 4xx other than 404/405 unless the RFC names"
                + " them, with a problem naming the reason when one is sent)");
        legend.put(Verdict.FAIL, "a required case was not met; the run fails");
        legend.put(Verdict.DIFFERS, "an optional case was not met: behaviour the RFCs leave open or only recommend");
        legend.put(Verdict.NOT_APPLICABLE, "the case says nothing about this peer in this run, and the reason says why"
                + " (another profile, a credential or --masa not given, or \"precondition failed\": its positive case"
                + " did not pass, or the answer cannot show the refusal was for the reason tested: a 404/405, a"
                + " connection reset or TLS alert, a problem naming another reason)");
        legend.put(Verdict.KNOWN_DEVIATION, "not met, but the profile lists it as a documented deviation of that peer;"
                + " reported apart, does not fail the run");
        return legend;
    }

    /** The report as Markdown text. */
    public static String render(InteropReport report) {
        StringBuilder md = new StringBuilder();
        md.append("# BRSKI interop report\n\n");
        md.append("- Registrar: `").append(report.registrar()).append("`\n");
        md.append("- MASA: ").append(report.masa().map(m -> "`" + m + "`").orElse("not tested directly")).append('\n');
        md.append("- Profile: `").append(report.profile().cliName()).append("`\n");
        md.append("- PKI: `").append(report.pki()).append("`\n");
        md.append("- Started: ").append(report.started()).append(", took ")
                .append(report.elapsed().toMillis()).append(" ms\n");
        md.append("- Result: **").append(report.summaryLine()).append("**\n");
        report.stopped().ifPresent(why -> md.append("\n> **Stopped:** ").append(cell(why)).append('\n'));
        md.append("\n## Verdicts\n\n");
        LEGEND.forEach((verdict, meaning) -> md.append("- ").append(result(verdict)).append(": ").append(meaning)
                .append('\n'));
        md.append("\n## Preconditions\n\n");
        for (String p : InteropReport.PRECONDITIONS) {
            md.append("- ").append(p).append('\n');
        }
        groups(report.results()).forEach((section, results) -> section(md, section, results));
        return md.toString();
    }

    /** Writes {@value #FILE} into {@code dir}. */
    public static Path write(InteropReport report, Path dir) throws ReportException {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, render(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReportException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** The results by the first RFC section their case cites, to two levels, in RFC and section order. */
    static Map<String, List<CaseResult>> groups(List<CaseResult> results) {
        Map<String, List<CaseResult>> groups = new TreeMap<>(Comparator.comparing(MarkdownReport::sortKey));
        for (CaseResult r : results) {
            groups.computeIfAbsent(group(r.testCase().section()), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    /** {@code RFC 8995 5.9.3, RFC 7030 4.2.1} groups as {@code RFC 8995 5.9}. */
    static String group(String section) {
        Matcher m = SECTION.matcher(section);
        return m.find() ? "RFC " + m.group(1) + " " + m.group(2) : section;
    }

    private static String sortKey(String group) {
        Matcher m = SECTION.matcher(group);
        if (!m.matches()) {
            return "~" + group;
        }
        StringBuilder key = new StringBuilder(String.format("%06d", Integer.parseInt(m.group(1))));
        for (String part : m.group(2).split("\\.")) {
            key.append(' ').append(part.matches("\\d+") ? String.format("%04d", Integer.parseInt(part)) : "~" + part);
        }
        return key.toString();
    }

    private static void section(StringBuilder md, String section, List<CaseResult> results) {
        md.append("\n## ").append(section).append("\n\n");
        md.append("| Case | RFC section | Requirement | Expected | Observed | Result |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (CaseResult r : results) {
            md.append("| `").append(r.testCase().id()).append("` | ").append(cell(r.testCase().section()))
                    .append(" | ").append(r.testCase().requirement().label())
                    .append(" | ").append(cell(r.testCase().title() + ": " + r.testCase().expected()))
                    .append(" | ").append(cell(r.observed()))
                    .append(" | ").append(result(r.verdict())).append(" |\n");
        }
        for (CaseResult r : results) {
            if (CaseDetails.shown(r)) {
                details(md, r);
            }
        }
    }

    private static void details(StringBuilder md, CaseResult r) {
        md.append("\n### `").append(r.testCase().id()).append("`: ").append(result(r.verdict())).append("\n\n");
        for (String[] fact : CaseDetails.facts(r)) {
            md.append("- ").append(fact[0]).append(": ").append(inline(fact[1])).append('\n');
        }
        md.append('\n');
        for (String line : CaseDetails.exchanges(r)) {
            md.append("    ").append(line).append('\n');
        }
    }

    private static String result(Verdict verdict) {
        return switch (verdict) {
            case PASS -> "pass";
            case FAIL -> "**FAIL**";
            case DIFFERS -> "differs";
            case NOT_APPLICABLE -> "not applicable";
            case KNOWN_DEVIATION -> "known peer deviation";
        };
    }

    /** A table cell: no pipes, no line breaks. */
    static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
    }

    /** Untrusted text in a list item: one line, no Markdown or HTML it could inject. */
    private static String inline(String text) {
        return text.replaceAll("[\\r\\n]+", " ").replaceAll("([\\\\`*_\\[\\]<>#|])", "\\\\$1");
    }
}
