package org.brski.interop.report;

/** A report could not be written. */
public class ReportException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
