package org.brski.cli.demo;

import java.io.PrintWriter;
import java.util.Locale;
import org.brski.pledge.Step;

/** One plain line per finished pledge, for output that is not a terminal. */
final class ProgressLines implements Progress {
    private final PrintWriter out;
    private final int pledges;
    private int done;

    ProgressLines(PrintWriter out, int pledges) {
        this.out = out;
        this.pledges = pledges;
    }

    @Override
    public void step(String serial, Step step) {
        // only whole pledges are reported
    }

    @Override
    public synchronized void finished(PledgeOutcome outcome) {
        done++;
        out.printf(Locale.ROOT, "  [%d/%d] %s %s%n", done, pledges, outcome.serial(),
                outcome.succeeded() ? "onboarded in " + Summary.seconds(outcome.voucherTime()
                        .plus(outcome.enrollTime())) : outcome.failure().orElse("failed"));
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
