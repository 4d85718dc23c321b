package org.brski.server;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.brski.server.http.Bodies;
import org.brski.server.http.BeforeBody;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Wraps every route of an {@link HttpsServer} so that a slow client cannot hold a request thread: the route may first
 * refuse the request from its line, headers and TLS peer ({@link BeforeBody}); then the body is read without blocking,
 * under the {@link ConnectionGuard}'s minimum rate, into memory (at most {@link Bodies#MAX_DISCARD} + 1 bytes); only
 * then does the route's (blocking) handler run, reading the body from memory. A declared Content-Length above
 * {@link Bodies#MAX_DISCARD} is left unread for the route to refuse.
 */
final class GuardedRoute extends Handler.Wrapper {
    private static final int MAX_BUFFERED = (int) Bodies.MAX_DISCARD + 1;

    private final ConnectionGuard guard;

    GuardedRoute(Handler route, ConnectionGuard guard) {
        super(route);
        this.guard = guard;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        ConnectionGuard.Track track = guard.track(request.getConnectionMetaData().getConnection().getEndPoint());
        // when the response is complete, the connection waits for the next request (Callback.from runs this either way)
        Callback done = track == null ? callback
                : Callback.from(() -> track.enter(ConnectionGuard.Phase.WAITING), callback);
        if (track != null) {
            track.enter(ConnectionGuard.Phase.HANDLING);
        }
        if (getHandler() instanceof BeforeBody gate && gate.refuseBeforeBody(request, response, done)) {
            return true;
        }
        long declared = request.getLength();
        if (declared > Bodies.MAX_DISCARD) {
            return handleRoute(request, response, done);
        }
        if (track != null) {
            track.startBody();
        }
        new BodyReader(request, response, done, track, declared).run();
        return true;
    }

    private boolean handleRoute(Request request, Response response, Callback callback) throws Exception {
        if (!super.handle(request, response, callback)) {
            Response.writeError(request, response, callback, 404);
        }
        return true;
    }

    /** Reads the body as it arrives, demanding more instead of blocking; then runs the route. */
    private final class BodyReader implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final ConnectionGuard.Track track;
        private byte[] buffer;
        private int size;

        BodyReader(Request request, Response response, Callback callback, ConnectionGuard.Track track,
                long declared) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.track = track;
            this.buffer = new byte[(int) Math.max(0, Math.min(declared, MAX_BUFFERED))];
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    // usually the guard closed a too slow body: expected under attack, not worth a stack trace
                    callback.failed(new QuietException.Exception("request body not received",
                            chunk.getFailure()));
                    return;
                }
                boolean last = chunk.isLast();
                append(chunk.getByteBuffer());
                chunk.release();
                if (last || size >= MAX_BUFFERED) {
                    break;
                }
            }
            if (track != null) {
                track.enter(ConnectionGuard.Phase.HANDLING);
            }
            try {
                handleRoute(new BufferedRequest(request, Arrays.copyOf(buffer, size)), response, callback);
            } catch (Throwable x) { // Handler.handle declares Exception; Jetty reports failures through the callback
                callback.failed(x);
            }
        }

        private void append(ByteBuffer bytes) {
            int n = Math.min(bytes.remaining(), MAX_BUFFERED - size);
            if (track != null) {
                track.received(bytes.remaining());
            }
            if (size + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(MAX_BUFFERED, Math.max(size + n, buffer.length * 2 + 1024)));
            }
            bytes.get(buffer, size, n);
            size += n;
        }
    }

    /** The request with its body already in memory: reads never wait. */
    private static final class BufferedRequest extends Request.Wrapper {
        private Content.Chunk content;

        BufferedRequest(Request request, byte[] body) {
            super(request);
            this.content = Content.Chunk.from(ByteBuffer.wrap(body), true);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = content;
            content = Content.Chunk.EOF;
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }

        @Override
        public boolean consumeAvailable() {
            content = Content.Chunk.EOF;
            return true;
        }
    }
}
