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
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.brski.pkix.TlsProvider;

/**
 * The slow-client attack of issue 13 against one HTTPS service, with few threads: slow bodies (complete headers with
 * a Content-Length, then one body byte per {@code pause}), slowloris headers (one header byte per {@code pause}) and
 * half-sent ClientHellos (a record announcing 512 bytes, then 9 of them). Attackers bind to 127.0.0.2 to 127.0.0.50
 * (Linux routes 127/8 to lo), anonymous and trusting any server, as attackers do. Records, per connection, when its
 * attack phase began (handshake done, headers sent, connection opened) and when the server was seen to close it.
 *
 * <p>Threads: six for the TLS handshakes, one that dribbles bytes into the TLS connections (a write to a closed
 * connection fails, so closing is seen within two pauses) and one selector that watches the half-hellos (closing is
 * seen at once).
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
    private int nextSource;

    SlowClientAttack(URI service, String path, Duration pause) throws Exception {
        this.target = new InetSocketAddress(service.getHost(), service.getPort());
        this.path = path;
        this.pause = pause;
        // Bouncy Castle's JSSE: the JDK's SunEC makes the attacker's own handshakes the bottleneck here (GUIDE)
        this.tls = TlsProvider.BCJSSE.context(null, new TrustManager[] {new AnyServer()}, new SecureRandom());
        this.selector = Selector.open();
        this.dribbler = new Thread(this::dribble, "attack-dribbler");
        this.watcher = new Thread(this::watch, "attack-watcher");
        dribbler.setDaemon(true);
        watcher.setDaemon(true);
        dribbler.start();
        watcher.start();
    }

    /** Opens the connections (blocking until each is in its attack phase). */
    void launch(int slowBodies, int slowloris, int halfHellos) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Held>> opened = new ArrayList<>();
            for (int i = 0; i < Math.max(slowBodies, slowloris); i++) {
                if (i < slowBodies) {
                    InetAddress source = source();
                    opened.add(pool.submit(() -> slowBody(source)));
                }
                if (i < slowloris) {
                    InetAddress source = source();
                    opened.add(pool.submit(() -> slowloris(source)));
                }
            }
            for (Future<Held> f : opened) {
                dribbled.add(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < halfHellos; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.bind(new InetSocketAddress(source(), 0));
            channel.connect(target);
            channel.write(ByteBuffer.wrap(HALF_HELLO));
            channel.configureBlocking(false);
            Held held = new Held("half-hello", channel.socket(), HALF_HELLO);
            hellos.add(held);
            channel.register(selector, SelectionKey.OP_READ, held); // Java 11+: does not wait for select()
            selector.wakeup();
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
        return new Held("slowloris", socket, headers);
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
                    h.closedAt = System.nanoTime();
                    closeQuietly(h.socket);
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
                        h.closedAt = System.nanoTime();
                        key.cancel();
                        closeQuietly(h.socket);
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

    /** Attackers do not care whom they attack. */
    private static final class AnyServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
