package org.brski.interop;

/**
 * A case could not complete: the peer failed a step the case needed before its actual check, the transport failed, or
 * the case does not apply to this run ({@link #notApplicable}), possibly because a precondition of the check failed
 * ({@link #preconditionFailed}).
 */
public class InteropException extends Exception {
    private static final long serialVersionUID = 1L;

    private enum Kind { FAILED, NOT_APPLICABLE, PRECONDITION_FAILED }

    private final Kind kind;

    public InteropException(String message) {
        this(message, null, Kind.FAILED);
    }

    public InteropException(String message, Throwable cause) {
        this(message, cause, Kind.FAILED);
    }

    private InteropException(String message, Throwable cause, Kind kind) {
        super(message, cause);
        this.kind = kind;
    }

    /** The case does not apply (no MASA given, another profile, no CA key to issue IDevIDs...): not applicable. */
    public static InteropException notApplicable(String why) {
        return new InteropException(why, null, Kind.NOT_APPLICABLE);
    }

    /**
     * The answer cannot show what the case tests (a refusal that may not be for the reason tested: a 404, a transport
     * failure, a problem naming another reason): not applicable, "precondition failed", never a pass.
     */
    public static InteropException preconditionFailed(String why) {
        return new InteropException(why, null, Kind.PRECONDITION_FAILED);
    }

    /** Whether this reports a case that does not apply rather than a failure. */
    public boolean isNotApplicable() {
        return kind != Kind.FAILED;
    }

    /** Whether the case does not apply because a precondition of its check failed. */
    public boolean isPreconditionFailure() {
        return kind == Kind.PRECONDITION_FAILED;
    }
}
