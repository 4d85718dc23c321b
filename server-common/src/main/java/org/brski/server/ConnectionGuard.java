package org.brski.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@link ConnectionLimits} on one connector: per-source connection counts when a connection opens, and, by a
 * sweep every fraction of the shortest timeout, deadlines Jetty lacks — TLS handshake completion, header completion
 * (counted from a request's first byte) and the minimum body rate of {@link GuardedRoute}'s reads. A connection past a
 * deadline is closed; its request, if any, fails. Jetty's idle timeout still covers silent connections.
 *
 * <p>Registered as a connector bean, it receives every connection's open and close (as {@link Connection.Listener})
 * and every handshake's success (as {@link SslHandshakeListener}).
 */
final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener, SslHandshakeListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    /** Where a connection is; only the first four have deadlines. */
    enum Phase { HANDSHAKE, WAITING, HEADERS, BODY, HANDLING }

    /** What the guard knows of one network connection. */
    static final class Track {
        private final EndPoint network;
        private final InetAddress source;
        private volatile Phase phase = Phase.HANDSHAKE;
        private volatile long since = System.nanoTime();
        private volatile HttpConnection http;
        private final AtomicLong bodyBytes = new AtomicLong();

        Track(EndPoint network, InetAddress source) {
            this.network = network;
            this.source = source;
        }

        void enter(Phase next) {
            since = System.nanoTime();
            phase = next;
        }

        /** Counts body bytes received while in {@link Phase#BODY}. */
        void received(long bytes) {
            bodyBytes.addAndGet(bytes);
        }

        void startBody() {
            bodyBytes.set(0);
            enter(Phase.BODY);
        }
    }

    private final ConnectionLimits limits;
    private final String name;
    private final Scheduler scheduler;
    private final Map<EndPoint, Track> tracks = new ConcurrentHashMap<>();
    private final Map<InetAddress, AtomicInteger> perSource = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> closed = new ConcurrentHashMap<>();
    private volatile Scheduler.Task sweep;

    ConnectionGuard(ConnectionLimits limits, String name, Scheduler scheduler) {
        this.limits = limits;
        this.name = name;
        this.scheduler = scheduler;
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = sweep;
        if (task != null) {
            task.cancel();
        }
        tracks.clear();
        perSource.clear();
    }

    /** How many connections were closed for each reason so far ({@code per-source}, {@code handshake}, ...). */
    Map<String, Long> closedCounts() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        closed.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof SslConnection ssl) {
            EndPoint network = ssl.getEndPoint();
            InetAddress source = address(network.getRemoteSocketAddress());
            int count = source == null ? 0 : perSource.computeIfAbsent(source, a -> new AtomicInteger()).incrementAndGet();
            tracks.put(network, new Track(network, source));
            if (count > limits.maxConnectionsPerSource()) {
                close(tracks.get(network), "per-source");
            }
        } else if (connection instanceof HttpConnection http) {
            Track track = track(http.getEndPoint());
            if (track != null) {
                track.http = http; // created with the TLS connection: the handshake is still to come
            }
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof SslConnection ssl) {
            Track track = tracks.remove(ssl.getEndPoint());
            if (track != null && track.source != null) {
                perSource.computeIfPresent(track.source, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        }
    }

    @Override
    public void handshakeSucceeded(Event event) {
        Track track = track(event.getEndPoint());
        if (track != null && track.phase == Phase.HANDSHAKE) {
            track.enter(Phase.WAITING);
        }
    }

    /** The track of the network connection under {@code endPoint} (the decrypted end point of a request), or null. */
    Track track(EndPoint endPoint) {
        EndPoint e = endPoint;
        while (e != null) {
            Track track = tracks.get(e);
            if (track != null) {
                return track;
            }
            e = e instanceof SslConnection.SslEndPoint ssl ? ssl.getSslConnection().getEndPoint()
                    : e instanceof EndPoint.Wrapper w ? w.unwrap() : null;
        }
        return null;
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            sweep = scheduler.schedule(this::sweep, interval(), TimeUnit.MILLISECONDS);
        }
    }

    /** A quarter of the shortest deadline, between 50 ms and 1 s. */
    private long interval() {
        long shortest = Math.min(Math.min(limits.handshakeTimeout().toMillis(), limits.headerTimeout().toMillis()),
                limits.bodyGrace().toMillis());
        return Math.max(50, Math.min(1000, shortest / 4));
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Track track : tracks.values()) {
                judge(track, now);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: connection sweep failed: {}", name, e.toString());
        } finally {
            schedule();
        }
    }

    private void judge(Track track, long now) {
        long elapsed = now - track.since;
        switch (track.phase) {
            case HANDSHAKE -> {
                if (elapsed > limits.handshakeTimeout().toNanos()) {
                    close(track, "handshake");
                }
            }
            case WAITING -> {
                HttpConnection http = track.http;
                if (http != null && !http.getParser().isStart()) {
                    track.enter(Phase.HEADERS); // the first byte of a request has arrived
                }
            }
            case HEADERS -> {
                HttpConnection http = track.http;
                if (http != null && http.getParser().isStart()) {
                    track.enter(Phase.WAITING); // the parser was reset after the previous response
                } else if (elapsed > limits.headerTimeout().toNanos()) {
                    close(track, "headers");
                }
            }
            case BODY -> {
                long allowed = limits.bodyGrace().toNanos()
                        + TimeUnit.SECONDS.toNanos(track.bodyBytes.get()) / limits.minBodyRate();
                if (elapsed > allowed) {
                    close(track, "body-rate");
                }
            }
            case HANDLING -> { }
            default -> throw new IllegalStateException("unknown phase " + track.phase);
        }
    }

    private void close(Track track, String reason) {
        if (track == null) {
            return;
        }
        closed.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        LOG.debug("{}: closing connection from {}: {} limit", name, track.source, reason);
        track.network.close();
    }

    private static InetAddress address(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
