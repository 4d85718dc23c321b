package org.brski.cli.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.brski.pki.HeldCertificate;
import org.brski.pledge.Pledge;
import org.brski.pledge.PledgeException;
import org.brski.pledge.PledgeListener;
import org.brski.pledge.PledgeOptions;

/**
 * Onboards pledges against one registrar on a fixed pool of {@code concurrency} threads and times each onboarding and
 * its phases. Bounded: nothing starts after the deadline, and waiting for the batch ends at the deadline plus one
 * exchange timeout; pledges that did not finish count as failures.
 */
final class BenchRunner {
    /** Bound on each HTTP exchange of a pledge. */
    static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(30);

    private final URI registrar;
    private final HeldCertificate manufacturerCa;
    private final int concurrency;

    BenchRunner(URI registrar, HeldCertificate manufacturerCa, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.registrar = registrar;
        this.manufacturerCa = manufacturerCa;
        this.concurrency = concurrency;
    }

    /** The outcome of one batch: each onboarding in input order, the wall time and the process CPU time it took. */
    record Batch(List<Onboarding> runs, long wallNanos, long cpuNanos) {
    }

    /**
     * Onboards each of {@code idevids} once.
     *
     * @param deadlineNanos {@link System#nanoTime()} after which no onboarding starts
     */
    Batch run(List<HeldCertificate> idevids, long deadlineNanos) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, idevids.size())),
                r -> {
                    Thread t = new Thread(r, "bench-pledge");
                    t.setDaemon(true);
                    return t;
                });
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        try {
            List<Future<Onboarding>> futures = new ArrayList<>();
            for (HeldCertificate idevid : idevids) {
                futures.add(pool.submit(() -> System.nanoTime() - deadlineNanos > 0
                        ? Onboarding.notRun(serial(idevid), "not started: the time limit passed")
                        : onboard(idevid)));
            }
            pool.shutdown();
            List<Onboarding> runs = new ArrayList<>();
            long waitUntil = deadlineNanos + EXCHANGE_TIMEOUT.multipliedBy(2).toNanos();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    runs.add(futures.get(i).get(Math.max(1, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    runs.add(Onboarding.notRun(serial(idevids.get(i)), "did not finish before the time limit"));
                } catch (java.util.concurrent.ExecutionException e) {
                    runs.add(Onboarding.notRun(serial(idevids.get(i)), "crashed: " + e.getCause()));
                }
            }
            long wall = System.nanoTime() - start;
            return new Batch(runs, wall, processCpuNanos() - cpuStart);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One onboarding; never throws for a protocol failure. */
    Onboarding onboard(HeldCertificate idevid) {
        AtomicLong connected = new AtomicLong(-1);
        AtomicLong requestCreated = new AtomicLong(-1);
        AtomicLong voucherReceived = new AtomicLong(-1);
        AtomicLong statusSent = new AtomicLong(-1);
        AtomicLong enrolled = new AtomicLong(-1);
        PledgeListener listener = (step, outcome, message) -> {
            if (outcome == PledgeListener.Outcome.FAILED || outcome == PledgeListener.Outcome.PENDING) {
                return;
            }
            long now = System.nanoTime();
            AtomicLong mark = switch (step) {
                case CONNECT -> connected;
                case CREATE_VOUCHER_REQUEST -> requestCreated;
                case REQUEST_VOUCHER -> voucherReceived;
                case VOUCHER_STATUS -> statusSent;
                case ENROLL -> enrolled;
                default -> null;
            };
            if (mark != null) {
                mark.compareAndSet(-1, now);
            }
        };
        String serial = serial(idevid);
        long start = System.nanoTime();
        try {
            Pledge pledge = Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                    .masaAnchors(List.of(manufacturerCa.certificate()))
                    .options(PledgeOptions.builder().exchangeTimeout(EXCHANGE_TIMEOUT)
                            .listener(listener).build())
                    .build();
            pledge.onboard(registrar);
        } catch (PledgeException e) {
            return new Onboarding(serial, System.nanoTime() - start, -1, -1, -1, Optional.of("failed at "
                    + e.step().label() + " (" + e.reason().slug() + "): " + e.getMessage()));
        }
        long end = System.nanoTime();
        return new Onboarding(serial, end - start, between(start, connected.get()),
                between(requestCreated.get(), voucherReceived.get()), between(statusSent.get(), enrolled.get()),
                Optional.empty());
    }

    private static long between(long from, long to) {
        return from < 0 || to < 0 ? -1 : to - from;
    }

    private static String serial(HeldCertificate idevid) {
        return org.brski.pkix.DeviceCertificates.serialNumber(idevid.certificate()).orElse("?");
    }

    /** CPU time of every thread of this process, or -1 where the platform does not tell. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
