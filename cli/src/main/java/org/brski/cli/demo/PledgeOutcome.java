package org.brski.cli.demo;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.brski.pledge.OnboardingResult;

/**
 * How one pledge's onboarding ended.
 *
 * @param serial      the pledge's serial-number (RFC 8995 2.3.1)
 * @param result      the onboarding state when it succeeded
 * @param voucherTime connect, voucher-request, voucher verification and voucher_status (5.1 to 5.7)
 * @param enrollTime  cacerts, csrattrs, simpleenroll and enrollstatus (5.9)
 * @param failure     the step and reason when it failed
 */
record PledgeOutcome(String serial, Optional<OnboardingResult> result, Duration voucherTime, Duration enrollTime,
        Optional<String> failure) {
    PledgeOutcome {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(voucherTime, "voucherTime");
        Objects.requireNonNull(enrollTime, "enrollTime");
        Objects.requireNonNull(failure, "failure");
    }

    boolean succeeded() {
        return result.isPresent();
    }
}
