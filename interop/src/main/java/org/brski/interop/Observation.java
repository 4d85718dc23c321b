package org.brski.interop;

import java.util.Objects;
import java.util.Optional;

/**
 * What a case saw and whether it met the case's expectation. Immutable.
 *
 * @param met      whether the peer behaved as expected
 * @param observed a one-line description of what was seen (status, media type, artifact properties, problem text)
 * @param stop     why the whole run stops after this case (the peer is not what the suite can test, e.g. a pre-RFC
 *                 BRSKI draft); empty for every ordinary observation
 */
public record Observation(boolean met, String observed, Optional<String> stop) {
    /** Longest observation kept; peers may answer with anything. */
    public static final int MAX_LENGTH = 400;

    public Observation {
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(stop, "stop");
        String flat = observed.replaceAll("[\\r\\n\\t]+", " ").replaceAll("[^\\x20-\\x7E]", "?");
        observed = flat.length() > MAX_LENGTH ? flat.substring(0, MAX_LENGTH) + "..." : flat;
    }

    public Observation(boolean met, String observed) {
        this(met, observed, Optional.empty());
    }

    /** The expectation was met. */
    public static Observation met(String observed) {
        return new Observation(true, observed);
    }

    /** The expectation was not met. */
    public static Observation unmet(String observed) {
        return new Observation(false, observed);
    }

    /** Met when {@code condition} holds. */
    public static Observation of(boolean condition, String observed) {
        return new Observation(condition, observed);
    }

    /** Not met, and nothing after this case can say anything about the peer: the run stops, {@code why} says so. */
    public static Observation stopRun(String observed, String why) {
        return new Observation(false, observed, Optional.of(why));
    }
}
