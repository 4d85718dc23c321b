package org.brski.registrar.cli;

import java.io.PrintWriter;

import org.brski.registrar.RegistrarException;
import org.brski.server.ServerException;

/** Turns failures into one line on stderr and an exit code (1: refused or failed; 2: configuration). */
final class Failures {
    private Failures() {
    }

    static int report(PrintWriter err, RegistrarException e) {
        err.println("error: " + e.problem().detail() + (e.getMessage().equals(e.problem().detail()) ? ""
                : " (" + e.getMessage() + ")"));
        err.flush();
        return 1;
    }

    static int report(PrintWriter err, ServerException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        return 2;
    }
}
