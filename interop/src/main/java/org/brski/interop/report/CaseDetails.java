package org.brski.interop.report;

import java.util.ArrayList;
import java.util.List;
import org.brski.interop.CaseResult;
import org.brski.interop.Verdict;
import org.brski.interop.client.Exchange;

/**
 * What a report shows of a case that was not met, so that the peer's developer can act on it without reading the
 * suite: the RFC section, what was sent, what a conforming peer does, what was observed, and every request with its
 * answer. The Markdown and JUnit XML reports carry the same text.
 */
final class CaseDetails {
    private CaseDetails() {
    }

    /** Whether the result gets details: a case that was not met (fail, optional differs, known deviation). */
    static boolean shown(CaseResult r) {
        return r.verdict() == Verdict.FAIL || r.verdict() == Verdict.DIFFERS || r.verdict() == Verdict.KNOWN_DEVIATION;
    }

    /** The key facts, one line each: {@code label: text}. */
    static List<String[]> facts(CaseResult r) {
        return List.of(
                new String[] {"verdict", r.verdict().label() + " (" + r.testCase().requirement().label() + " case)"},
                new String[] {"RFC section", r.testCase().section()},
                new String[] {"sent", r.testCase().title()},
                new String[] {"a conforming peer", r.testCase().expected()},
                new String[] {"observed", r.observed()});
    }

    /** The exchanges, each as its header line followed by its indented lines. */
    static List<String> exchanges(CaseResult r) {
        List<String> lines = new ArrayList<>();
        List<Exchange> exchanges = r.exchanges();
        for (int i = 0; i < exchanges.size(); i++) {
            lines.add("exchange " + (i + 1) + " of " + exchanges.size() + (i == exchanges.size() - 1 ? " (last)" : "")
                    + ":");
            for (String line : exchanges.get(i).lines()) {
                lines.add("  " + line);
            }
        }
        if (exchanges.isEmpty()) {
            lines.add("no request was sent");
        }
        return lines;
    }

    /** Everything as plain text (the JUnit XML form). */
    static String text(CaseResult r) {
        StringBuilder text = new StringBuilder();
        for (String[] fact : facts(r)) {
            text.append(fact[0]).append(": ").append(fact[1]).append('\n');
        }
        for (String line : exchanges(r)) {
            text.append(line).append('\n');
        }
        return text.toString();
    }
}
