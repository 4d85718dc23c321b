package org.brski.cli.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's own output tells the story; the services' per-request INFO lines (on stderr) would bury the progress
 * display, so the demo raises the project's loggers to WARN unless {@code --verbose}. Warnings and errors still show.
 */
final class DemoLogging {
    private DemoLogging() {
    }

    /** Shows only warnings and errors of the {@code org.brski} loggers (when logback is the backend). */
    static void quiet() {
        if (LoggerFactory.getLogger("org.brski") instanceof Logger logger) {
            logger.setLevel(Level.WARN);
        }
    }
}
