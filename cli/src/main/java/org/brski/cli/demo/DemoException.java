package org.brski.cli.demo;

/** A demo step that could not be carried out; the message says which and why. */
public final class DemoException extends Exception {
    DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}
