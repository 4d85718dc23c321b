package org.brski.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A stable 127.0.0.1 address (port 0, chosen by the OS) in front of a service whose port changes when it is restarted:
 * each accepted connection is piped, bytes unchanged (TLS passes through), to the current {@link #target(int)}. A
 * connection the target refuses is closed at once, as the service itself would be unreachable.
 */
final class TcpForwarder implements AutoCloseable {
    private final ServerSocket server;
    private volatile int target;

    TcpForwarder() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "forwarder-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Where new connections go from now on. */
    void target(int port) {
        target = port;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            daemon(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
        } catch (IOException refused) {
            closeBoth(client, upstream);
            return;
        }
        daemon(() -> pipe(client, upstream));
        pipe(upstream, client);
    }

    private static void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException endOfEitherSide) {
            // the other direction notices the closed socket
        } finally {
            closeBoth(from, to);
        }
    }

    private static void closeBoth(Socket a, Socket b) {
        try {
            a.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            b.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "forwarder-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
