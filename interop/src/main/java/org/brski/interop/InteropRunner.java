package org.brski.interop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs a catalogue against the peers of an {@link InteropContext}, one case after the other, each on a worker thread
 * bounded by the context's timeout: a peer that hangs costs at most that long per case and cannot stall the run (the
 * worker is interrupted and abandoned). Every outcome, including exceptions, becomes a {@link CaseResult}.
 */
public final class InteropRunner {
    private final InteropContext context;

    private InteropRunner(InteropContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    public static InteropRunner of(InteropContext context) {
        return new InteropRunner(context);
    }

    /**
     * Runs {@code cases} in order, handing each result to {@code progress} as it is known.
     *
     * @param pki how the PKI is named in the report
     */
    public InteropReport run(List<InteropCase> cases, String pki, Consumer<CaseResult> progress) {
        Instant started = context.clock().instant();
        long start = System.nanoTime();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "interop-case-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<CaseResult> results = new ArrayList<>();
        try {
            for (InteropCase c : cases) {
                CaseResult result = runOne(c, workers);
                results.add(result);
                progress.accept(result);
            }
        } finally {
            workers.shutdownNow();
        }
        return new InteropReport(context.registrar().toString(), context.masa().map(Object::toString),
                context.profile(), pki, started, Duration.ofNanos(System.nanoTime() - start), results);
    }

    private CaseResult runOne(InteropCase c, ExecutorService workers) {
        long start = System.nanoTime();
        if (!c.appliesTo(context.profile())) {
            return result(c, Verdict.SKIPPED, "not part of the " + context.profile().cliName() + " profile", start);
        }
        if (c.target() == Target.MASA && context.masa().isEmpty()) {
            return result(c, Verdict.SKIPPED, "no --masa given", start);
        }
        Future<Observation> future = workers.submit(() -> c.run(context));
        try {
            Observation o = future.get(context.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return result(c, o.met() ? Verdict.PASS : notMet(c), o.observed(), start);
        } catch (TimeoutException e) {
            future.cancel(true);
            return result(c, notMet(c), "no result within " + context.timeout().toSeconds() + " s (peer hangs?)",
                    start);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return result(c, notMet(c), "interrupted", start);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof InteropException ie && ie.isNotApplicable()) {
                return result(c, Verdict.SKIPPED, ie.getMessage(), start);
            }
            String text = cause instanceof InteropException ? cause.getMessage()
                    : "internal error: " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
            return result(c, notMet(c), text == null ? cause.getClass().getSimpleName() : text, start);
        }
    }

    private static Verdict notMet(InteropCase c) {
        return c.requirement() == Requirement.REQUIRED ? Verdict.FAIL : Verdict.DIFFERS;
    }

    private static CaseResult result(InteropCase c, Verdict verdict, String observed, long start) {
        return new CaseResult(c, verdict, new Observation(true, observed).observed(),
                Duration.ofNanos(System.nanoTime() - start));
    }
}
