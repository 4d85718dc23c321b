package org.brski.masa.cli;

import java.io.PrintWriter;
import org.brski.masa.MasaException;
import org.brski.server.ServerException;

/** Reports command failures on stderr with an exit code; never a stack trace for expected failures. */
final class Failures {
    /** Exit code for bad configuration or arguments. */
    static final int CONFIG = 2;
    /** Exit code for runtime failures (database, port, I/O). */
    static final int RUNTIME = 1;

    private Failures() {
    }

    static int report(PrintWriter err, ServerException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        return e instanceof org.brski.server.ConfigException ? CONFIG : RUNTIME;
    }

    static int report(PrintWriter err, MasaException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        return RUNTIME;
    }
}
