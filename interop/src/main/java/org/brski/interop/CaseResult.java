package org.brski.interop;

import java.time.Duration;
import java.util.Objects;

/**
 * One case's result. Immutable.
 *
 * @param testCase the case
 * @param verdict  its outcome
 * @param observed what was seen (or why it was skipped or could not complete)
 * @param elapsed  how long the case ran
 */
public record CaseResult(InteropCase testCase, Verdict verdict, String observed, Duration elapsed) {
    public CaseResult {
        Objects.requireNonNull(testCase, "testCase");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Whether this result fails the run (a required case that was not met). */
    public boolean failsRun() {
        return verdict == Verdict.FAIL;
    }
}
