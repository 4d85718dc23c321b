package org.brski.interop;

import java.util.Locale;

/**
 * The outcome of one case. Only {@link #FAIL} fails a run; a pass is given only for behaviour the case actually saw
 * (a refusal counts only when it is for the reason the case tests, see the README's interop section).
 */
public enum Verdict {
    /** The peer behaved as the case expects, for the reason the case tests. */
    PASS("PASS"),
    /** A required case was not met: the run fails. */
    FAIL("FAIL"),
    /** An optional case saw another legitimate (or at least tolerated) behaviour; reported, not failing. */
    DIFFERS("DIFFERS"),
    /**
     * The case says nothing about the peer in this run, with the reason: another profile, a credential not given, no
     * MASA, or a precondition that failed (its positive control did not pass, or the answer cannot show that a refusal
     * was for the reason tested).
     */
    NOT_APPLICABLE("N/A"),
    /** Not met, but the profile lists it as a documented deviation of that peer: reported apart, not failing. */
    KNOWN_DEVIATION("KNOWN");

    private final String token;

    Verdict(String token) {
        this.token = token;
    }

    /** The console token: PASS, FAIL, DIFFERS, N/A, KNOWN. */
    public String token() {
        return token;
    }

    /** Words for reports: pass, fail, differs, not applicable, known peer deviation. */
    public String label() {
        return this == NOT_APPLICABLE ? "not applicable" : this == KNOWN_DEVIATION ? "known peer deviation"
                : name().toLowerCase(Locale.ROOT);
    }
}
