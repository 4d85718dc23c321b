package org.brski.interop;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.brski.interop.client.Exchange;

/**
 * One case's result. Immutable.
 *
 * @param testCase  the case
 * @param verdict   its outcome
 * @param observed  what was seen (or why it did not apply or could not complete)
 * @param elapsed   how long the case ran
 * @param exchanges the requests the case sent and their answers (the last {@link
 *                  org.brski.interop.client.Transcript#MAX}), for reports a peer's developer can act on
 */
public record CaseResult(InteropCase testCase, Verdict verdict, String observed, Duration elapsed,
        List<Exchange> exchanges) {
    public CaseResult {
        Objects.requireNonNull(testCase, "testCase");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(elapsed, "elapsed");
        exchanges = List.copyOf(exchanges);
    }

    /** A result without recorded exchanges. */
    public CaseResult(InteropCase testCase, Verdict verdict, String observed, Duration elapsed) {
        this(testCase, verdict, observed, elapsed, List.of());
    }

    /** Whether this result fails the run (a required case that was not met). */
    public boolean failsRun() {
        return verdict == Verdict.FAIL;
    }
}
