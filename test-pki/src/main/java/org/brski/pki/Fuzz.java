package org.brski.pki;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * A small mutation fuzzer for the parsers an attacker reaches: each run feeds a parser mutants of valid inputs (bit
 * flips, overwritten bytes with DER tags and lengths and JSON brackets, truncation, deletion, insertion and duplication
 * of slices) and random bytes, up to the parser's body limit, and fails on anything the parser throws except its own
 * checked exception: a RuntimeException would be a 500, an Error (OutOfMemoryError, StackOverflowError) a dead worker.
 *
 * <p>Deterministic: the run's seed (printed on failure) and the iteration replay a failing input. A build runs
 * {@value #DEFAULT_ITERATIONS} inputs or {@value #DEFAULT_SECONDS} s per parser, whichever ends first; a longer run
 * sets the system properties {@code brski.fuzz.iterations}, {@code brski.fuzz.seconds} and {@code brski.fuzz.seed}
 * ({@code random} for a new seed each run), e.g.
 * {@code mvn -B verify -pl voucher-lib,registrar,fieldbus -am -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbrski.fuzz.iterations=10000000 -Dbrski.fuzz.seconds=600 -Dbrski.fuzz.seed=random}.
 */
public final class Fuzz {
    /** Inputs per parser in a normal build. */
    public static final int DEFAULT_ITERATIONS = 3000;
    /** Time budget per parser in a normal build. */
    public static final int DEFAULT_SECONDS = 3;
    private static final long DEFAULT_SEED = 0x5EED_B125_1L;

    private Fuzz() {
    }

    /** A parser under test: answers, or throws its own exception type (anything else fails the run). */
    @FunctionalInterface
    public interface Target {
        void parse(byte[] input) throws Exception;
    }

    /**
     * Fuzzes {@code target} with mutants of {@code seeds} (nine in ten) and random bytes (one in ten), each at most
     * {@code maxLength} bytes; only {@code own} may be thrown.
     *
     * @return the number of inputs tried
     * @throws AssertionError naming the input, the iteration and the seed when anything else escaped
     */
    public static int run(String name, List<byte[]> seeds, int maxLength, Class<? extends Exception> own,
            Target target) {
        String seedProperty = System.getProperty("brski.fuzz.seed", "");
        long seed = seedProperty.isBlank() ? DEFAULT_SEED
                : seedProperty.equals("random") ? new Random().nextLong() : Long.decode(seedProperty);
        int iterations = Integer.getInteger("brski.fuzz.iterations", DEFAULT_ITERATIONS);
        long budget = Integer.getInteger("brski.fuzz.seconds", DEFAULT_SECONDS) * 1_000_000_000L;
        long deadline = Long.MAX_VALUE; // set once the seeds ran: the first inputs pay for class loading
        long start = System.nanoTime();
        Random random = new Random(seed);
        int i = 0;
        for (; i < iterations && System.nanoTime() < deadline; i++) {
            if (i == seeds.size()) {
                deadline = System.nanoTime() + budget;
            }
            byte[] input;
            if (i < seeds.size()) {
                input = seeds.get(i);
            } else if (random.nextInt(10) == 0) {
                input = new byte[random.nextInt(random.nextBoolean() ? 64 : maxLength + 1)];
                random.nextBytes(input);
            } else {
                input = mutate(seeds.get(random.nextInt(seeds.size())), random.nextLong(), maxLength);
            }
            try {
                target.parse(input);
            } catch (Throwable t) {
                if (own.isInstance(t)) {
                    continue;
                }
                throw new AssertionError(name + ": " + t + " escaped at iteration " + i + " of seed " + seed + " for "
                        + input.length + " bytes: " + Base64.getEncoder().encodeToString(input.length > 2048
                                ? Arrays.copyOf(input, 2048) : input), t);
            }
        }
        System.out.printf("fuzz %s: %d inputs in %.1f s, seed %d, nothing escaped%n", name, i,
                (System.nanoTime() - start) / 1e9, seed);
        return i;
    }

    /** A mutant of {@code seed} (1 to 4 operations chosen by {@code choice}), at most {@code maxLength} bytes long. */
    public static byte[] mutate(byte[] seed, long choice, int maxLength) {
        Random random = new Random(choice);
        byte[] data = seed.clone();
        int operations = 1 + random.nextInt(4);
        for (int i = 0; i < operations; i++) {
            data = once(data, random);
        }
        return data.length > maxLength ? Arrays.copyOf(data, maxLength) : data;
    }

    private static byte[] once(byte[] data, Random random) {
        if (data.length == 0) {
            byte[] fresh = new byte[1 + random.nextInt(16)];
            random.nextBytes(fresh);
            return fresh;
        }
        int at = random.nextInt(data.length);
        int span = 1 + random.nextInt(Math.min(64, data.length - at));
        switch (random.nextInt(7)) {
            case 0 -> data[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> data[at] = (byte) new int[] {0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff, 0x30, 0x31, 0xa0, 0x04,
                0x06, 0x22, 0x7b, 0x7d, 0x5b, 0x5d}[random.nextInt(17)];
            case 2 -> data = Arrays.copyOf(data, at);
            case 3 -> {
                byte[] out = new byte[data.length - span];
                System.arraycopy(data, 0, out, 0, at);
                System.arraycopy(data, at + span, out, at, data.length - at - span);
                data = out;
            }
            case 4 -> {
                byte[] inserted = new byte[span];
                random.nextBytes(inserted);
                data = splice(data, at, inserted);
            }
            case 5 -> data = splice(data, at, Arrays.copyOfRange(data, at, at + span));
            default -> {
                for (int i = at; i < at + span; i++) {
                    data[i] = (byte) random.nextInt(256);
                }
            }
        }
        return data;
    }

    private static byte[] splice(byte[] data, int at, byte[] inserted) {
        byte[] out = new byte[data.length + inserted.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(data, at, out, at + inserted.length, data.length - at);
        return out;
    }
}
