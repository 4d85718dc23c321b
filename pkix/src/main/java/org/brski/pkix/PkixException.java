package org.brski.pkix;

/** The checked exception of this module: a certificate, key or PEM input that cannot be used, and why. */
public class PkixException extends Exception {
    private static final long serialVersionUID = 1L;

    public PkixException(String message) {
        super(message);
    }

    public PkixException(String message, Throwable cause) {
        super(message, cause);
    }
}
