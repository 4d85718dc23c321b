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
    private final boolean tls;

    private Attempt(HttpReply reply, String failure, boolean tls) {
        this.reply = reply;
        this.failure = failure;
        this.tls = tls;
    }

    /** An HTTP answer. */
    public static Attempt replied(HttpReply reply) {
        return new Attempt(Objects.requireNonNull(reply), null, false);
    }

    /**
     * No HTTP answer.
     *
     * @param tls whether the TLS layer failed (rather than TCP, a timeout or the size bound)
     */
    public static Attempt failed(String failure, boolean tls) {
        return new Attempt(null, Objects.requireNonNull(failure), tls);
    }

    public Optional<HttpReply> reply() {
        return Optional.ofNullable(reply);
    }

    /** The transport failure, when there was no reply. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Whether the peer refused at the TLS layer with an alert (JSSE: "Received fatal alert: ..."), as opposed to a
     * connection reset, a timeout or a handshake the client gave up on.
     */
    public boolean tlsAlert() {
        return tls && failure.contains("fatal alert");
    }

    /** One line: the reply as {@link Replies#describe} puts it, or "no HTTP answer: ...". */
    public String describe() {
        return reply != null ? Replies.describe(reply) : "no HTTP answer: " + failure;
    }
}
