package org.brski.interop.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.brski.interop.CaseResult;
import org.brski.interop.InteropReport;
import org.brski.interop.Requirement;
import org.brski.interop.Verdict;

/**
 * The Markdown report: a header naming the peers, profile and preconditions, then one table for the required cases
 * and one for the optional cases (case, RFC section, requirement, expected, observed, result).
 */
public final class MarkdownReport {
    /** The file name in the report directory. */
    public static final String FILE = "interop-report.md";

    private MarkdownReport() {
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
        md.append("- Result: **").append(report.summaryLine()).append("**\n\n");
        md.append("## Preconditions\n\n");
        for (String p : InteropReport.PRECONDITIONS) {
            md.append("- ").append(p).append('\n');
        }
        table(md, "Required cases", report.results().stream()
                .filter(r -> r.testCase().requirement() == Requirement.REQUIRED).toList());
        table(md, "Optional cases (peers may legitimately differ)", report.results().stream()
                .filter(r -> r.testCase().requirement() == Requirement.OPTIONAL).toList());
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

    private static void table(StringBuilder md, String title, List<CaseResult> results) {
        md.append("\n## ").append(title).append("\n\n");
        md.append("| Case | RFC section | Requirement | Expected | Observed | Result |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (CaseResult r : results) {
            md.append("| `").append(r.testCase().id()).append("` | ").append(cell(r.testCase().section()))
                    .append(" | ").append(r.testCase().requirement().label())
                    .append(" | ").append(cell(r.testCase().title() + ": " + r.testCase().expected()))
                    .append(" | ").append(cell(r.observed()))
                    .append(" | ").append(result(r.verdict())).append(" |\n");
        }
    }

    private static String result(Verdict verdict) {
        return switch (verdict) {
            case PASS -> "pass";
            case FAIL -> "**FAIL**";
            case DIFFERS -> "differs";
            case SKIPPED -> "skipped";
        };
    }

    /** A table cell: no pipes, no line breaks. */
    static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
    }
}
