package org.brski.voucher;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The RFC 3339 {@code date-and-time} we emit: whole seconds ({@code 2026-12-07T21:49:51Z}). RFC 3339 section 5.6
 * allows fractions, but nothing in BRSKI needs them and some peers cannot parse them (nqminds brski refuses a
 * voucher-request whose {@code created-on} has fractional seconds). Input keeps accepting fractions and offsets
 * ({@link VoucherJson}).
 */
public final class Rfc3339 {
    private static final DateTimeFormatter WHOLE_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);

    private Rfc3339() {
    }

    /** {@code instant} in UTC, fractions of a second dropped: the value to put in a leaf we send. */
    public static OffsetDateTime utcSeconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC);
    }

    /** {@code value} as text, in its own offset ({@code Z} for UTC), fractions of a second dropped. */
    public static String format(OffsetDateTime value) {
        return WHOLE_SECONDS.format(value.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@code instant} as UTC text with a literal {@code Z}, fractions of a second dropped. */
    public static String format(Instant instant) {
        return format(utcSeconds(instant));
    }
}
