package org.brski.interop;

/** The outcome of one case. */
public enum Verdict {
    /** The expectation was met. */
    PASS,
    /** A required case was not met (or could not complete): the run fails. */
    FAIL,
    /** An optional case saw another legitimate (or at least tolerated) behaviour; reported, not failing. */
    DIFFERS,
    /** The case does not apply to this run. */
    SKIPPED
}
