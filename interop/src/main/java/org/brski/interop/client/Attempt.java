package org.brski.interop.client;

import java.util.Objects;
import java.util.Optional;
import org.brski.pledge.http.HttpReply;

/**
 * The outcome of one exchange where a transport failure is itself an observation (a peer may close the connection on
 * an oversized body): either the reply or the failure text. Immutable.
 */
public final class Attempt {
    private final HttpReply reply;
    private final String failure;

    private Attempt(HttpReply reply, String failure) {
        this.reply = reply;
        this.failure = failure;
    }

    static Attempt replied(HttpReply reply) {
        return new Attempt(Objects.requireNonNull(reply), null);
    }

    static Attempt failed(String failure) {
        return new Attempt(null, Objects.requireNonNull(failure));
    }

    public Optional<HttpReply> reply() {
        return Optional.ofNullable(reply);
    }

    /** The transport failure, when there was no reply. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** One line: the reply as {@link Replies#describe} puts it, or "no HTTP answer: ...". */
    public String describe() {
        return reply != null ? Replies.describe(reply) : "no HTTP answer: " + failure;
    }
}
