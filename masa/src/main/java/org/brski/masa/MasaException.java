package org.brski.masa;

import java.util.Objects;
import org.brski.voucher.Problem;

/**
 * The checked exception family of the MASA: a refused request or a failure, carrying the {@link Refusal} and the
 * detail shown to the peer in the RFC 9457 problem. The detail says what was wrong with the request and never names
 * internals; the optional log message may say more for the operator.
 */
public class MasaException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Refusal refusal;
    private final String detail;

    public MasaException(Refusal refusal, String detail) {
        this(refusal, detail, detail, null);
    }

    public MasaException(Refusal refusal, String detail, String logMessage, Throwable cause) {
        super(logMessage, cause);
        this.refusal = Objects.requireNonNull(refusal, "refusal");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public Refusal refusal() {
        return refusal;
    }

    /** The RFC 9457 problem to answer. */
    public Problem problem() {
        return Problem.of(refusal.slug(), refusal.title(), refusal.status(), detail);
    }
}
