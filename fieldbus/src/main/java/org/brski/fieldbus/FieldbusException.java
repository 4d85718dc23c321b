package org.brski.fieldbus;

import java.util.Objects;

/**
 * The checked exception family of the fieldbus module: every refusal names its {@link #reason() reason}, a stable
 * token that tests, logs and reports use. Messages never contain key material.
 */
public class FieldbusException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public FieldbusException(String reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public FieldbusException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** A stable, lower-case, hyphenated token such as {@code weak-key} or {@code replayed-counter}. */
    public String reason() {
        return reason;
    }
}
