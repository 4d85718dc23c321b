package org.brski.registrar.est;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the EST server.
 *
 * @param ldevidValidity how long issued LDevIDs are valid
 * @param maxCsrBytes    largest (base64) CSR body accepted
 * @param serverKeyGen   whether {@code /serverkeygen} is offered
 * @param maxLdevidsPerDevice most LDevIDs ever issued to one device (enroll, re-enroll and serverkeygen together);
 *                       beyond it EST answers 403 {@code ldevid-limit}, so that no device grows the store without bound
 * @param requirePopLinking whether every CSR must carry the TLS channel binding in its challengePassword (RFC 7030
 *                       3.5, advertised in {@code /csrattrs} per 4.5.2); without it a binding is still verified when a
 *                       CSR carries one
 */
public record EstSettings(Duration ldevidValidity, int maxCsrBytes, boolean serverKeyGen, int maxLdevidsPerDevice,
        boolean requirePopLinking) {
    /** The default {@link #maxLdevidsPerDevice}: a yearly LDevID renewed monthly for eight years still fits. */
    public static final int DEFAULT_MAX_LDEVIDS_PER_DEVICE = 100;

    public EstSettings {
        Objects.requireNonNull(ldevidValidity, "ldevidValidity");
        if (ldevidValidity.isNegative() || ldevidValidity.isZero()) {
            throw new IllegalArgumentException("LDevID validity must be positive");
        }
        if (maxCsrBytes < 1024) {
            throw new IllegalArgumentException("maxCsrBytes must be at least 1024");
        }
        if (maxLdevidsPerDevice < 1) {
            throw new IllegalArgumentException("maxLdevidsPerDevice must be at least 1");
        }
    }

    /** Settings that verify a channel binding when a CSR carries one, without requiring it. */
    public EstSettings(Duration ldevidValidity, int maxCsrBytes, boolean serverKeyGen, int maxLdevidsPerDevice) {
        this(ldevidValidity, maxCsrBytes, serverKeyGen, maxLdevidsPerDevice, false);
    }

    /** Settings with the default LDevID cap ({@value #DEFAULT_MAX_LDEVIDS_PER_DEVICE} per device). */
    public EstSettings(Duration ldevidValidity, int maxCsrBytes, boolean serverKeyGen) {
        this(ldevidValidity, maxCsrBytes, serverKeyGen, DEFAULT_MAX_LDEVIDS_PER_DEVICE);
    }

    /** One year LDevIDs, 16 KiB CSRs, server-side key generation on, at most 100 LDevIDs per device. */
    public static EstSettings defaults() {
        return new EstSettings(Duration.ofDays(365), 16 * 1024, true, DEFAULT_MAX_LDEVIDS_PER_DEVICE);
    }

    /** The same settings with another LDevID cap per device. */
    public EstSettings withMaxLdevidsPerDevice(int value) {
        return new EstSettings(ldevidValidity, maxCsrBytes, serverKeyGen, value, requirePopLinking);
    }

    /** The same settings, requiring (or not) the TLS channel binding in every CSR (RFC 7030 3.5). */
    public EstSettings withRequirePopLinking(boolean value) {
        return new EstSettings(ldevidValidity, maxCsrBytes, serverKeyGen, maxLdevidsPerDevice, value);
    }
}
