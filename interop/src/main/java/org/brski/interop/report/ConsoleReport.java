package org.brski.interop.report;

import java.util.Locale;
import org.brski.interop.CaseResult;

/** The console form: one line per case, e.g. {@code PASS    pvr-bad-signature [required, RFC 8995 5.6] HTTP 403 ...}. */
public final class ConsoleReport {
    private ConsoleReport() {
    }

    /** One line for a result. */
    public static String line(CaseResult r) {
        return String.format(Locale.ROOT, "%-8s %-36s [%s, %s] %s", r.verdict().token(), r.testCase().id(),
                r.testCase().requirement().label(), r.testCase().section(), r.observed());
    }
}
