package org.brski.interop.client;

import org.brski.pledge.http.HttpReply;

/** Readable one-line descriptions of untrusted replies for the report. */
public final class Replies {
    private Replies() {
    }

    /** {@code HTTP 403 application/problem+json (87 bytes): {"type":...}}, the body excerpt only when textual. */
    public static String describe(HttpReply reply) {
        StringBuilder s = new StringBuilder("HTTP ").append(reply.status());
        String type = reply.mediaType();
        s.append(' ').append(type.isEmpty() ? "(no Content-Type)" : type);
        s.append(" (").append(reply.length()).append(" bytes)");
        if (reply.length() > 0 && (type.contains("json") || type.startsWith("text/") || type.isEmpty())
                && reply.status() != 200) {
            s.append(": ").append(reply.excerpt());
        }
        return s.toString();
    }
}
