package org.brski.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.brski.server.ServerException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Bounded request body reading. A declared Content-Length above the limit is refused without storing any byte; bodies
 * without one (chunked) are counted as they arrive and refused once they pass the limit. Either way: 413. The rest of a
 * refused body, up to {@link #MAX_DISCARD} bytes, is read and thrown away first: a server that answers and closes while
 * the client is still sending resets the connection, and the client may never see the 413 (Tomcat's "swallow" limit
 * serves the same purpose).
 */
public final class Bodies {
    /** Most bytes of a refused body read and discarded so that the client can read the answer. */
    public static final long MAX_DISCARD = 1024 * 1024;

    private Bodies() {
    }

    /**
     * Reads the whole body of {@code request}, blocking (call from a blocking handler).
     *
     * @throws ServerException 413 when the body is larger than {@code maxBytes}; 400 when the body cannot be read
     */
    public static byte[] read(Request request, int maxBytes) throws ServerException {
        long declared = request.getLength();
        if (declared > maxBytes) {
            if (declared <= MAX_DISCARD) {
                discard(request, declared);
            }
            throw ServerException.tooLarge(maxBytes);
        }
        int initial = declared >= 0 ? (int) declared : Math.min(maxBytes, 8192);
        byte[] buffer = new byte[Math.max(initial, 16)];
        int size = 0;
        try (InputStream in = Content.Source.asInputStream(request)) {
            while (true) {
                if (size == buffer.length) {
                    if (size > maxBytes) {
                        throw tooLarge(in, size, maxBytes);
                    }
                    buffer = Arrays.copyOf(buffer, Math.min(Math.max(buffer.length * 2, 16), maxBytes + 1));
                }
                int n = in.read(buffer, size, buffer.length - size);
                if (n < 0) {
                    break;
                }
                size += n;
                if (size > maxBytes) {
                    throw tooLarge(in, size, maxBytes);
                }
            }
        } catch (IOException e) {
            throw new ServerException(org.brski.voucher.Problem.of("unreadable-body", "Bad request", 400,
                    "the request body could not be read"), "request body could not be read: " + e.getMessage(), e);
        }
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    }

    /** 413, after discarding what is left of the body (up to {@link #MAX_DISCARD} in all). */
    private static ServerException tooLarge(InputStream in, long alreadyRead, int maxBytes) {
        skip(in, MAX_DISCARD - alreadyRead);
        return ServerException.tooLarge(maxBytes);
    }

    private static void discard(Request request, long declared) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            skip(in, declared);
        } catch (IOException e) {
            // closing failed: the 413 is still the answer
        }
    }

    private static void skip(InputStream in, long atMost) {
        byte[] sink = new byte[8192];
        long left = atMost;
        try {
            while (left > 0) {
                int n = in.read(sink, 0, (int) Math.min(sink.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException e) {
            // the client went away: the 413 is still the answer
        }
    }
}
