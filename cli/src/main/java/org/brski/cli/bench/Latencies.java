package org.brski.cli.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Summary of a set of durations in nanoseconds: count, mean and nearest-rank percentiles (the smallest sample with at
 * least p% of the samples at or below it, so every reported figure is a measured value).
 *
 * @param count  samples
 * @param meanMs mean in milliseconds
 * @param p50Ms  median
 * @param p95Ms  95th percentile
 * @param p99Ms  99th percentile
 * @param maxMs  largest sample
 */
public record Latencies(int count, double meanMs, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    private static final double NANOS_PER_MS = 1_000_000.0;

    /** The summary of {@code nanos}; all zero when empty. */
    public static Latencies of(Collection<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Latencies(0, 0, 0, 0, 0, 0);
        }
        double mean = Arrays.stream(sorted).average().orElse(0);
        return new Latencies(sorted.length, mean / NANOS_PER_MS, percentile(sorted, 50) / NANOS_PER_MS,
                percentile(sorted, 95) / NANOS_PER_MS, percentile(sorted, 99) / NANOS_PER_MS,
                sorted[sorted.length - 1] / NANOS_PER_MS);
    }

    /**
     * Nearest-rank percentile of ascending {@code sorted}: element {@code ceil(p/100 * n)} (1-based).
     *
     * @throws IllegalArgumentException when {@code sorted} is empty or {@code p} is not in (0, 100]
     */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }
}
