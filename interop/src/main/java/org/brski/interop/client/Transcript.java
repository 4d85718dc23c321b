package org.brski.interop.client;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The exchanges of one case, in order, for its report: the last {@value #MAX} are kept (a case makes a handful; the
 * one that decided is the last or close to it). Thread-safe: a case that timed out may still write to its own
 * transcript, never to the next case's.
 */
public final class Transcript {
    /** Exchanges kept per case. */
    public static final int MAX = 8;

    private final Deque<Exchange> exchanges = new ArrayDeque<>();
    private int total;

    synchronized void add(Exchange exchange) {
        if (exchanges.size() == MAX) {
            exchanges.removeFirst();
        }
        exchanges.addLast(exchange);
        total++;
    }

    /** The exchanges kept, oldest first. */
    public synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** How many exchanges the case made (more than were kept when it exceeds {@value #MAX}). */
    public synchronized int total() {
        return total;
    }
}
