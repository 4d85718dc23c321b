package org.brski.cli.demo;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.brski.pledge.Step;

/** A single terminal line redrawn with carriage returns: {@code [=====>      ]  3/5 onboarded}. */
final class ProgressBar implements Progress {
    private static final int WIDTH = 32;

    private final PrintWriter out;
    private final int pledges;
    private final Map<String, Integer> reached = new HashMap<>();
    private int done;
    private int failed;

    ProgressBar(PrintWriter out, int pledges) {
        this.out = out;
        this.pledges = pledges;
        draw("");
    }

    @Override
    public synchronized void step(String serial, Step step) {
        if (step.ordinal() < Progress.stepsPerPledge()) {
            reached.merge(serial, step.ordinal() + 1, Math::max);
        }
        draw(serial + " " + step.label());
    }

    @Override
    public synchronized void finished(PledgeOutcome outcome) {
        reached.put(outcome.serial(), Progress.stepsPerPledge());
        done++;
        if (!outcome.succeeded()) {
            failed++;
        }
        draw(outcome.serial() + (outcome.succeeded() ? " onboarded" : " FAILED"));
    }

    @Override
    public synchronized void close() {
        draw("");
        out.println();
        out.flush();
    }

    private void draw(String last) {
        int total = pledges * Progress.stepsPerPledge();
        int sum = reached.values().stream().mapToInt(Integer::intValue).sum();
        int filled = total == 0 ? WIDTH : sum * WIDTH / total;
        StringBuilder bar = new StringBuilder("=".repeat(filled));
        if (filled < WIDTH) {
            bar.append('>').append(" ".repeat(WIDTH - filled - 1));
        }
        String line = String.format(Locale.ROOT, "  onboarding [%s] %3d%%  %d/%d done%s  %s", bar,
                total == 0 ? 100 : sum * 100 / total, done, pledges, failed > 0 ? ", " + failed + " failed" : "",
                last);
        out.print("\r" + line + "\u001b[K");
        out.flush();
    }
}
