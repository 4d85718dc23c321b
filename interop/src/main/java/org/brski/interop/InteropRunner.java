package org.brski.interop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * worker is interrupted and abandoned). Every outcome, including exceptions, becomes a {@link CaseResult} with the
 * exchanges the case made.
 *
 * <p>Verdicts: a case whose positive control ({@link InteropCase#control()}) did not pass earlier in the run is not
 * run and is not applicable, "precondition failed"; a case the profile lists as a known deviation of its peer is
 * {@link Verdict#KNOWN_DEVIATION} instead of failing; an observation that stops the run (the peer is not something the
 * catalogue can test) makes every later case not applicable.
 */
public final class InteropRunner {
    private final InteropContext context;
    private final Map<String, String> knownDeviations;

    private InteropRunner(InteropContext context, Map<String, String> knownDeviations) {
        this.context = Objects.requireNonNull(context, "context");
        this.knownDeviations = Map.copyOf(knownDeviations);
    }

    /** A runner that treats the profile's known deviations ({@link Profile#knownDeviations()}) as such. */
    public static InteropRunner of(InteropContext context) {
        return new InteropRunner(context, context.profile().knownDeviations());
    }

    /**
     * A runner with its own list of known deviations of the peer under test (case id to what the peer does instead),
     * instead of the profile's.
     */
    public static InteropRunner of(InteropContext context, Map<String, String> knownDeviations) {
        return new InteropRunner(context, knownDeviations);
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
        Map<String, CaseResult> byId = new HashMap<>();
        Optional<String> stopped = Optional.empty();
        try {
            for (InteropCase c : cases) {
                CaseResult result;
                if (stopped.isPresent()) {
                    result = new CaseResult(c, Verdict.NOT_APPLICABLE, "not run: " + stopped.get(), Duration.ZERO);
                } else {
                    Outcome outcome = runOne(c, byId, workers);
                    result = deviation(outcome.result());
                    stopped = outcome.stop();
                }
                results.add(result);
                byId.put(c.id(), result);
                progress.accept(result);
            }
        } finally {
            workers.shutdownNow();
        }
        return new InteropReport(context.registrar().toString(), context.masa().map(Object::toString),
                context.profile(), pki, started, Duration.ofNanos(System.nanoTime() - start), results, stopped);
    }

    private record Outcome(CaseResult result, Optional<String> stop) {
        Outcome(CaseResult result) {
            this(result, Optional.empty());
        }
    }

    private Outcome runOne(InteropCase c, Map<String, CaseResult> earlier, ExecutorService workers) {
        long start = System.nanoTime();
        InteropContext forCase = context.forCase();
        if (!c.appliesTo(context.profile())) {
            return new Outcome(result(c, Verdict.NOT_APPLICABLE, "not part of the " + context.profile().cliName()
                    + " profile", start, forCase));
        }
        if (c.target() == Target.MASA && context.masa().isEmpty()) {
            return new Outcome(result(c, Verdict.NOT_APPLICABLE, "no --masa given", start, forCase));
        }
        Optional<String> unmetControl = c.control().flatMap(control -> unmetControl(control, earlier));
        if (unmetControl.isPresent()) {
            return new Outcome(result(c, Verdict.NOT_APPLICABLE, unmetControl.get(), start, forCase));
        }
        Future<Observation> future = workers.submit(() -> c.run(forCase));
        try {
            Observation o = future.get(context.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(result(c, o.met() ? Verdict.PASS : notMet(c), o.observed(), start, forCase),
                    o.stop());
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome(result(c, notMet(c), "no result within " + context.timeout().toSeconds()
                    + " s (peer hangs?)", start, forCase));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(result(c, notMet(c), "interrupted", start, forCase));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof InteropException ie && ie.isPreconditionFailure()) {
                String control = c.control().map(id -> " (positive case " + id + " passed in this run)").orElse("");
                return new Outcome(result(c, Verdict.NOT_APPLICABLE, "precondition failed: " + ie.getMessage()
                        + control, start, forCase));
            }
            if (cause instanceof InteropException ie && ie.isNotApplicable()) {
                return new Outcome(result(c, Verdict.NOT_APPLICABLE, ie.getMessage(), start, forCase));
            }
            String text = cause instanceof InteropException ? cause.getMessage()
                    : "internal error: " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
            return new Outcome(result(c, notMet(c), text == null ? cause.getClass().getSimpleName() : text, start,
                    forCase));
        }
    }

    /** Why the positive control {@code control} does not allow running a dependent case; empty when it passed. */
    private static Optional<String> unmetControl(String control, Map<String, CaseResult> earlier) {
        CaseResult result = earlier.get(control);
        if (result == null) {
            return Optional.of("precondition failed: positive case " + control + " was not run before this one"
                    + " (select cases with Catalogue.select, which keeps the positive cases they depend on)");
        }
        if (result.verdict() == Verdict.PASS) {
            return Optional.empty();
        }
        if (result.verdict() == Verdict.NOT_APPLICABLE && !result.observed().startsWith("precondition failed")) {
            return Optional.of("positive case " + control + " did not apply: " + result.observed());
        }
        return Optional.of("precondition failed: positive case " + control + " did not pass ("
                + result.verdict().label() + "): without a valid request answered first, an answer here cannot show"
                + " what this case tests");
    }

    /** A case the profile lists as a known deviation of its peer: not met is KNOWN_DEVIATION, met is noted. */
    private CaseResult deviation(CaseResult r) {
        Optional<String> known = Optional.ofNullable(knownDeviations.get(r.testCase().id()));
        if (known.isEmpty()) {
            return r;
        }
        String profile = context.profile().cliName();
        if (r.verdict() == Verdict.FAIL || r.verdict() == Verdict.DIFFERS) {
            return new CaseResult(r.testCase(), Verdict.KNOWN_DEVIATION, "known deviation of the " + profile
                    + " peer: " + known.get() + "; observed: " + r.observed(), r.elapsed(), r.exchanges());
        }
        if (r.verdict() == Verdict.PASS) {
            return new CaseResult(r.testCase(), r.verdict(), r.observed() + " (listed as a known deviation of the "
                    + profile + " peer, but met: the list may be out of date)", r.elapsed(), r.exchanges());
        }
        return r;
    }

    private static Verdict notMet(InteropCase c) {
        return c.requirement() == Requirement.REQUIRED ? Verdict.FAIL : Verdict.DIFFERS;
    }

    private static CaseResult result(InteropCase c, Verdict verdict, String observed, long start,
            InteropContext forCase) {
        return new CaseResult(c, verdict, new Observation(true, observed).observed(),
                Duration.ofNanos(System.nanoTime() - start), forCase.transcript().exchanges());
    }
}
