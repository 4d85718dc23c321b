package org.brski.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.brski.server.tls.TlsContexts;

/**
 * The slow-client attack of issue 13 against one HTTPS service, with few threads: slow bodies (complete headers with
 * a Content-Length, then one body byte per {@code pause}), slowloris headers (one header byte per {@code pause}) and
 * half-sent ClientHellos (a record announcing 512 bytes, then 9 of them). Attackers bind to 127.0.0.2 to 127.0.0.50
 * (Linux routes 127/8 to lo), anonymous. Records, per connection, when its
 * attack phase began (handshake done, headers sent, connection opened) and when the server was seen to close it.
 *
 * <p>The attack is kept up: a connection the server closes is replaced at once. Threads: six openers (TLS handshakes),
 * one that dribbles bytes into the TLS connections (a write to a closed connection fails, so closing is seen within
 * two pauses) and one selector that watches the half-hellos (closing is seen at once).
 */
final class SlowClientAttack implements AutoCloseable {
    /** One attack connection. */
    static final class Held {
        final String kind;
        final long phaseStart = System.nanoTime();
        volatile long closedAt;
        final Socket socket;
        final byte[] dribble;
        int next;

        Held(String kind, Socket socket, byte[] dribble) {
            this.kind = kind;
            this.socket = socket;
            this.dribble = dribble;
        }

        /** How long the server held it, or empty while open. */
        Duration held() {
            return closedAt == 0 ? null : Duration.ofNanos(closedAt - phaseStart);
        }
    }

    /** Bouncy Castle warns of every write to a connection the server closed: that is the point here. */
    private static final java.util.logging.Logger CLIENT_ALERTS =
            java.util.logging.Logger.getLogger("org.bouncycastle.jsse.provider.ProvTlsClient");

    static {
        CLIENT_ALERTS.setLevel(java.util.logging.Level.OFF);
    }

    private static final int OPENERS = 6;
    private static final byte[] HALF_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03,
            0x5a, 0x5a, 0x5a};

    private final InetSocketAddress target;
    private final String path;
    private final Duration pause;
    private final SSLContext tls;
    private final List<Held> dribbled = new CopyOnWriteArrayList<>();
    private final List<Held> hellos = new CopyOnWriteArrayList<>();
    private final Selector selector;
    private final Thread dribbler;
    private final Thread watcher;
    private volatile boolean running = true;
    private volatile boolean replacing = true;
    private final Map<String, Semaphore> targets = new ConcurrentHashMap<>();
    private final ExecutorService openers = Executors.newFixedThreadPool(OPENERS);
    private int nextSource;

    /** @param anchors what the attacker's TLS accepts as the server's issuers */
    SlowClientAttack(URI service, String path, Duration pause, List<X509Certificate> anchors) throws Exception {
        this.target = new InetSocketAddress(service.getHost(), service.getPort());
        this.path = path;
        this.pause = pause;
        // the configured provider (BCJSSE): with the JDK's SunEC the attacker's own handshakes are the bottleneck
        this.tls = TlsContexts.client(Optional.empty(), anchors);
        this.selector = Selector.open();
        this.dribbler = new Thread(this::dribble, "attack-dribbler");
        this.watcher = new Thread(this::watch, "attack-watcher");
        dribbler.setDaemon(true);
        watcher.setDaemon(true);
        dribbler.start();
        watcher.start();
    }

    /**
     * Starts the attack and keeps it up: whenever the server closes a connection, an opener replaces it, as a real
     * attacker would, until {@link #stopReplacing()}.
     */
    void start(int slowBodies, int slowloris, int halfHellos) {
        targets.put("slow-body", new Semaphore(slowBodies));
        targets.put("slowloris", new Semaphore(slowloris));
        targets.put("half-hello", new Semaphore(halfHellos));
        for (int i = 0; i < OPENERS; i++) {
            openers.submit(this::keepOpening);
        }
    }

    /** Waits until at least {@code count} attack connections are open at once; false after {@code atMost}. */
    boolean awaitOpen(long count, Duration atMost) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (open() < count) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** No more replacements: the connections still open are left to the server's deadlines. */
    void stopReplacing() throws InterruptedException {
        replacing = false;
        openers.shutdown();
        openers.awaitTermination(30, TimeUnit.SECONDS);
    }

    private void keepOpening() {
        while (replacing) {
            try {
                boolean opened = false;
                for (Map.Entry<String, Semaphore> target : targets.entrySet()) {
                    if (replacing && target.getValue().tryAcquire()) {
                        try {
                            openOne(target.getKey());
                            opened = true;
                        } catch (IOException e) {
                            target.getValue().release(); // refused or reset while opening: try again
                        }
                    }
                }
                if (!opened) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void openOne(String kind) throws IOException {
        InetAddress source = source();
        switch (kind) {
            case "slow-body" -> dribbled.add(slowBody(source));
            case "slowloris" -> dribbled.add(slowloris(source));
            default -> {
                SocketChannel channel = SocketChannel.open();
                channel.bind(new InetSocketAddress(source, 0));
                channel.connect(target);
                channel.write(ByteBuffer.wrap(HALF_HELLO));
                channel.configureBlocking(false);
                Held held = new Held("half-hello", channel.socket(), HALF_HELLO);
                hellos.add(held);
                channel.register(selector, SelectionKey.OP_READ, held); // Java 11+: does not wait for select()
                selector.wakeup();
            }
        }
    }

    private void closed(Held h) {
        h.closedAt = System.nanoTime();
        closeQuietly(h.socket);
        Semaphore permits = targets.get(h.kind);
        if (permits != null) {
            permits.release();
        }
    }

    /** Every connection opened, by kind. */
    List<Held> connections() {
        List<Held> all = new ArrayList<>(dribbled);
        all.addAll(hellos);
        return all;
    }

    /** How many are still open. */
    long open() {
        return connections().stream().filter(h -> h.closedAt == 0).count();
    }

    /** Waits until all are closed or {@code atMost} has passed. */
    void awaitClosed(Duration atMost) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (open() > 0 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
    }

    private Held slowBody(InetAddress source) throws IOException {
        SSLSocket socket = connect(source);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: " + target.getHostString() + "\r\nContent-Type: "
                + "application/voucher-cms+json\r\nContent-Length: 4000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new Held("slow-body", socket, new byte[] {0x30});
    }

    private Held slowloris(InetAddress source) throws IOException {
        SSLSocket socket = connect(source);
        byte[] headers = ("GET /healthz HTTP/1.1\r\nHost: " + target.getHostString()
                + "\r\nX-Slow: " + "a".repeat(4000)).getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(headers[0]); // the header deadline runs from the first byte
        socket.getOutputStream().flush();
        Held held = new Held("slowloris", socket, headers);
        held.next = 1;
        return held;
    }

    private SSLSocket connect(InetAddress source) throws IOException {
        Socket raw = new Socket();
        raw.bind(new InetSocketAddress(source, 0));
        raw.connect(target, 10_000);
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(raw, target.getHostString(),
                target.getPort(), true);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private synchronized InetAddress source() throws IOException {
        int last = 2 + nextSource++ % 49;
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    private void dribble() {
        while (running) {
            for (Held h : dribbled) {
                if (h.closedAt != 0) {
                    continue;
                }
                try {
                    OutputStream out = h.socket.getOutputStream();
                    out.write(h.dribble[h.next++ % h.dribble.length]);
                    out.flush();
                } catch (IOException e) {
                    closed(h);
                }
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void watch() {
        ByteBuffer sink = ByteBuffer.allocate(1024);
        while (running) {
            try {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    Held h = (Held) key.attachment();
                    int n;
                    try {
                        sink.clear();
                        n = ((SocketChannel) key.channel()).read(sink);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n < 0) {
                        key.cancel();
                        closed(h);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        replacing = false;
        openers.shutdownNow();
        dribbler.interrupt();
        try {
            watcher.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Held h : connections()) {
            closeQuietly(h.socket);
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed by the server
        }
    }
}
