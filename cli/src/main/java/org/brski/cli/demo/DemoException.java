package org.brski.cli.demo;

/** A demo (or fieldbus simulation) step that could not be carried out; the message says which and why. */
public final class DemoException extends Exception {
    public DemoException(String message, Throwable cause) {
        super(message, cause);
    }

    public DemoException(String message) {
        super(message);
    }
}
