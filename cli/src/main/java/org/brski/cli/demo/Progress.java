package org.brski.cli.demo;

import java.io.PrintWriter;
import org.brski.pledge.Step;

/**
 * Shows the pledges' progress while they onboard: a redrawn bar on a terminal, plain lines otherwise (logs, CI).
 * Called from the onboarding threads; implementations are thread-safe.
 */
interface Progress {
    /** A pledge completed {@code step}. */
    void step(String serial, Step step);

    /** A pledge finished, successfully or not. */
    void finished(PledgeOutcome outcome);

    /** Ends the display (the bar's line is completed). */
    void close();

    /** A bar when {@code terminal}, else one line per finished pledge. */
    static Progress of(PrintWriter out, int pledges, boolean terminal) {
        return terminal ? new ProgressBar(out, pledges) : new ProgressLines(out, pledges);
    }

    /** The steps of one onboarding that count towards progress: connect (5.1) to enrollstatus (5.9.4). */
    static int stepsPerPledge() {
        return Step.ENROLL_STATUS.ordinal() + 1;
    }
}
