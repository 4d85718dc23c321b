package org.brski.cli.demo;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.brski.pki.HeldCertificate;
import org.brski.pledge.OnboardingResult;
import org.brski.pledge.Pledge;
import org.brski.pledge.PledgeException;
import org.brski.pledge.PledgeListener;
import org.brski.pledge.PledgeOptions;
import org.brski.pledge.Step;

/**
 * One pledge onboarding with the pledge library (RFC 8995 5.1 to 5.9.4), then saving its state; the time is split
 * at the voucher_status report (5.7) into the voucher phase and the enrollment phase. Never throws for a protocol
 * failure: that becomes a {@link PledgeOutcome} naming the step.
 */
final class PledgeRun implements Callable<PledgeOutcome> {
    private final String serial;
    private final HeldCertificate idevid;
    private final HeldCertificate manufacturerCa;
    private final URI registrar;
    private final Workspace workspace;
    private final Progress progress;

    PledgeRun(String serial, HeldCertificate idevid, HeldCertificate manufacturerCa, URI registrar,
            Workspace workspace, Progress progress) {
        this.serial = serial;
        this.idevid = idevid;
        this.manufacturerCa = manufacturerCa;
        this.registrar = registrar;
        this.workspace = workspace;
        this.progress = progress;
    }

    @Override
    public PledgeOutcome call() {
        long start = System.nanoTime();
        AtomicLong voucherDone = new AtomicLong();
        Optional<OnboardingResult> result = Optional.empty();
        Optional<String> failure = Optional.empty();
        try {
            Pledge pledge = Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                    .masaAnchors(List.of(manufacturerCa.certificate()))
                    .options(PledgeOptions.builder().exchangeTimeout(Duration.ofSeconds(30))
                            .listener(listener(voucherDone)).build())
                    .build();
            OnboardingResult onboarded = pledge.onboard(registrar);
            onboarded.save(workspace.pledgeState(serial));
            result = Optional.of(onboarded);
        } catch (PledgeException e) {
            failure = Optional.of("failed at " + e.step().label() + " (" + e.reason().slug() + "): " + e.getMessage());
        }
        long end = System.nanoTime();
        long split = voucherDone.get() == 0 ? end : voucherDone.get();
        PledgeOutcome outcome = new PledgeOutcome(serial, result, Duration.ofNanos(split - start),
                Duration.ofNanos(end - split), failure);
        progress.finished(outcome);
        return outcome;
    }

    /** Reports each completed step to the progress display and notes when the voucher phase ended. */
    private PledgeListener listener(AtomicLong voucherDone) {
        return (step, outcome, message) -> {
            if (step == Step.VOUCHER_STATUS) {
                voucherDone.compareAndSet(0, System.nanoTime());
            }
            if (outcome != PledgeListener.Outcome.FAILED && outcome != PledgeListener.Outcome.PENDING) {
                progress.step(serial, step);
            }
        };
    }
}
