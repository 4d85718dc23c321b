package org.brski.pki;

/**
 * The checked exception of this module: a test PKI that cannot be written or read, with a message that names the
 * directory or file at fault. Programming errors (bad builder arguments) are unchecked.
 */
public class PkiException extends Exception {
    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
