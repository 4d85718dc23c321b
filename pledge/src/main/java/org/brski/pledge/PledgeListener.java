package org.brski.pledge;

/**
 * Receives the progress of onboarding, one event per step outcome, e.g. to print it (the CLI) or to blink an LED while
 * a registrar answers 202 (RFC 8995 section 5.6 recommends local feedback). Called on the onboarding thread; an
 * implementation must not block for long. Messages never carry key material.
 */
@FunctionalInterface
public interface PledgeListener {
    /** How a step ended, or that it waits. */
    enum Outcome { OK, PENDING, WARNING, FAILED }

    /** A listener that ignores everything. */
    PledgeListener NONE = (step, outcome, message) -> { };

    /** One event: {@code step} reached {@code outcome}; {@code message} says what happened. */
    void event(Step step, Outcome outcome, String message);
}
