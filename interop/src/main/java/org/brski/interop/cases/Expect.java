package org.brski.interop.cases;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.brski.interop.Observation;
import org.brski.interop.client.Attempt;
import org.brski.pledge.http.HttpReply;

/** Judging answers: status classes and codes, and refusals where a closed connection also counts. */
final class Expect {
    private Expect() {
    }

    /** Met on exactly {@code status}. */
    static Observation status(Attempt attempt, int status) {
        return Observation.of(attempt.reply().map(r -> r.status() == status).orElse(false), attempt.describe());
    }

    /** Met on any of {@code statuses}. */
    static Observation statusIn(Attempt attempt, int... statuses) {
        boolean met = attempt.reply().map(r -> Arrays.stream(statuses).anyMatch(s -> s == r.status())).orElse(false);
        return Observation.of(met, attempt.describe());
    }

    /** Met on a 4xx answer. */
    static Observation clientError(Attempt attempt) {
        return Observation.of(attempt.reply().map(r -> r.status() / 100 == 4).orElse(false), attempt.describe());
    }

    /** Met on a 4xx answer or when the peer closed the connection without answering (oversized bodies). */
    static Observation refusedOrClosed(Attempt attempt) {
        return Observation.of(attempt.reply().map(r -> r.status() / 100 == 4).orElse(true), attempt.describe());
    }

    /** Met on a 2xx answer. */
    static Observation success(Attempt attempt) {
        return Observation.of(attempt.reply().map(r -> r.status() / 100 == 2).orElse(false), attempt.describe());
    }

    /** Met on 200 with the given media type. */
    static Observation ok(HttpReply reply, String mediaType) {
        return Observation.of(reply.status() == 200 && reply.mediaType().equalsIgnoreCase(mediaType),
                org.brski.interop.client.Replies.describe(reply));
    }

    /** "401, 403" for texts. */
    static String list(int... statuses) {
        return Arrays.stream(statuses).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    }
}
