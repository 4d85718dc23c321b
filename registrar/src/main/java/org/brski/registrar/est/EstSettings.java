package org.brski.registrar.est;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the EST server.
 *
 * @param ldevidValidity how long issued LDevIDs are valid
 * @param maxCsrBytes    largest (base64) CSR body accepted
 * @param serverKeyGen   whether {@code /serverkeygen} is offered
 */
public record EstSettings(Duration ldevidValidity, int maxCsrBytes, boolean serverKeyGen) {
    public EstSettings {
        Objects.requireNonNull(ldevidValidity, "ldevidValidity");
        if (ldevidValidity.isNegative() || ldevidValidity.isZero()) {
            throw new IllegalArgumentException("LDevID validity must be positive");
        }
        if (maxCsrBytes < 1024) {
            throw new IllegalArgumentException("maxCsrBytes must be at least 1024");
        }
    }

    /** One year LDevIDs, 16 KiB CSRs, server-side key generation on. */
    public static EstSettings defaults() {
        return new EstSettings(Duration.ofDays(365), 16 * 1024, true);
    }
}
