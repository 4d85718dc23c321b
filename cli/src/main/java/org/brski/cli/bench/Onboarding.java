package org.brski.cli.bench;

import java.util.Optional;

/**
 * One measured onboarding. Phase times come from the pledge's progress events (RFC 8995 section 5); a phase that did
 * not complete is -1.
 *
 * @param serial      the pledge
 * @param totalNanos  {@code Pledge.onboard} from call to return (TLS, voucher, status, EST, enrollstatus)
 * @param connectNanos the provisional TLS handshake and first exchange (5.1)
 * @param voucherNanos the voucher round trip: {@code /requestvoucher} through the registrar and the MASA (5.2-5.5)
 * @param enrollNanos EST enrollment: {@code /cacerts}, {@code /csrattrs}, LDevID key and {@code /simpleenroll} (5.9)
 * @param failure     why it failed, empty on success
 */
public record Onboarding(String serial, long totalNanos, long connectNanos, long voucherNanos, long enrollNanos,
        Optional<String> failure) {

    public boolean succeeded() {
        return failure.isEmpty();
    }

    /** A pledge that never started (e.g. the time limit passed first). */
    static Onboarding notRun(String serial, String why) {
        return new Onboarding(serial, -1, -1, -1, -1, Optional.of(why));
    }
}
