package org.brski.interop;

/**
 * A case could not complete: the peer failed a step the case needed before its actual check (a precondition), the
 * transport failed, or the case does not apply to this run ({@link #notApplicable}).
 */
public class InteropException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean notApplicable;

    public InteropException(String message) {
        this(message, null, false);
    }

    public InteropException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private InteropException(String message, Throwable cause, boolean notApplicable) {
        super(message, cause);
        this.notApplicable = notApplicable;
    }

    /** The case does not apply (no MASA given, another profile, no CA key to issue IDevIDs...): reported as skipped. */
    public static InteropException notApplicable(String why) {
        return new InteropException(why, null, true);
    }

    /** Whether this reports a case that does not apply rather than a failure. */
    public boolean isNotApplicable() {
        return notApplicable;
    }
}
