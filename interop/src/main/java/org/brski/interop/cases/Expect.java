package org.brski.interop.cases;

import org.brski.interop.Observation;
import org.brski.interop.client.Attempt;
import org.brski.interop.client.Replies;
import org.brski.pledge.http.HttpReply;

/**
 * Judging answers of positive cases: a 404 on an endpoint the case needs is a finding, "endpoint missing". Refusals
 * are judged by {@link Refusal}.
 */
final class Expect {
    private Expect() {
    }

    /** Met on exactly {@code status}. */
    static Observation status(Attempt attempt, int status) {
        return attempt.reply().map(r -> r.status() == status ? Observation.met(Replies.describe(r)) : unexpected(r))
                .orElseGet(() -> Observation.unmet(attempt.describe()));
    }

    /** Met on 200 with the given media type. */
    static Observation ok(HttpReply reply, String mediaType) {
        return reply.status() == 200 && reply.mediaType().equalsIgnoreCase(mediaType)
                ? Observation.met(Replies.describe(reply)) : unexpected(reply);
    }

    /** Not met: the answer as seen, "endpoint missing" first when it is a 404. */
    static Observation unexpected(HttpReply reply) {
        return Observation.unmet(describe(reply));
    }

    /** The answer as seen, "endpoint missing" first when it is a 404. */
    static String describe(HttpReply reply) {
        return (reply.status() == 404 ? "endpoint missing: " : "") + Replies.describe(reply);
    }
}
