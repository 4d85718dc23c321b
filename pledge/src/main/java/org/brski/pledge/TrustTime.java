package org.brski.pledge;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.brski.pkix.CertPaths;
import org.brski.pkix.PkixException;

/**
 * The one place where the pledge decides what time its trust judgements use (RFC 8995 section 2.6.1).
 *
 * <ul>
 *   <li>{@link #of(Clock)} / {@link #at(Instant)}: the pledge trusts its clock and "MUST check the above time fields":
 *       certificate paths are validated at the clock's current instant, voucher {@code created-on} and
 *       {@code expires-on} are judged against it.</li>
 *   <li>{@link #untrusted()}: the pledge "does not know the current time" and ignores time stamps: {@link #now()} is
 *       empty, so no date is judged, and certificate paths are validated with
 *       {@link CertPaths#validateAtSomeTime}: signatures and path rules still hold, at an instant when every
 *       certificate of the path was valid; a path whose validity periods never overlap is refused. Freshness then
 *       comes from the voucher nonce.</li>
 * </ul>
 * Immutable and thread-safe. A clock-backed instance reads the clock on each judgement.
 */
public final class TrustTime {
    private static final TrustTime UNTRUSTED = new TrustTime(null);

    private final Clock clock;

    private TrustTime(Clock clock) {
        this.clock = clock;
    }

    /** Judge at the clock's current instant, read at each judgement. */
    public static TrustTime of(Clock clock) {
        return new TrustTime(Objects.requireNonNull(clock, "clock"));
    }

    /** Judge at a fixed instant. */
    public static TrustTime at(Instant instant) {
        return of(Clock.fixed(Objects.requireNonNull(instant, "instant"), ZoneOffset.UTC));
    }

    /** No trusted clock: no date is judged, certificate paths are validated at some instant they were valid. */
    public static TrustTime untrusted() {
        return UNTRUSTED;
    }

    /** Whether the pledge trusts its clock. */
    public boolean isTrusted() {
        return clock != null;
    }

    /** The current time to judge dates against; empty when the clock is not trusted (then dates are not judged). */
    public Optional<Instant> now() {
        return clock == null ? Optional.empty() : Optional.of(clock.instant());
    }

    /**
     * Validates {@code leaf} to one of {@code anchors}: at {@link #now()} with a trusted clock
     * ({@link CertPaths#validate}), else at an instant when the whole path was valid
     * ({@link CertPaths#validateAtSomeTime}).
     *
     * @return the validated path, leaf first, ending with the anchor
     */
    public List<X509Certificate> validate(X509Certificate leaf, Collection<X509Certificate> intermediates,
            Collection<X509Certificate> anchors) throws PkixException {
        return clock == null
                ? CertPaths.validateAtSomeTime(leaf, intermediates, anchors)
                : CertPaths.validate(leaf, intermediates, anchors, clock.instant());
    }

    /** A short note for progress messages: empty with a trusted clock. */
    String note() {
        return clock == null ? " (no trusted clock: validity dates not judged)" : "";
    }

    @Override
    public String toString() {
        return clock == null ? "TrustTime[untrusted]" : "TrustTime[" + clock + "]";
    }
}
