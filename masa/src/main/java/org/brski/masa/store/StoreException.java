package org.brski.masa.store;

import org.brski.masa.MasaException;
import org.brski.masa.Refusal;

/** Storage failed: answered as 503 without naming the cause; the cause goes to the log. */
public class StoreException extends MasaException {
    private static final long serialVersionUID = 1L;

    public StoreException(String logMessage, Throwable cause) {
        super(Refusal.STORAGE_UNAVAILABLE, "the MASA's storage is unavailable; retry later", logMessage, cause);
    }
}
