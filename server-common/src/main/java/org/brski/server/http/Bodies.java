package org.brski.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.brski.server.ServerException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Bounded request body reading. A declared Content-Length above the limit is refused before any byte is read; bodies
 * without one (chunked) are counted as they arrive and refused once they pass the limit. Either way: 413.
 */
public final class Bodies {
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
            throw ServerException.tooLarge(maxBytes);
        }
        int initial = declared >= 0 ? (int) declared : Math.min(maxBytes, 8192);
        byte[] buffer = new byte[Math.max(initial, 16)];
        int size = 0;
        try (InputStream in = Content.Source.asInputStream(request)) {
            while (true) {
                if (size == buffer.length) {
                    if (size > maxBytes) {
                        throw ServerException.tooLarge(maxBytes);
                    }
                    buffer = Arrays.copyOf(buffer, Math.min(Math.max(buffer.length * 2, 16), maxBytes + 1));
                }
                int n = in.read(buffer, size, buffer.length - size);
                if (n < 0) {
                    break;
                }
                size += n;
                if (size > maxBytes) {
                    throw ServerException.tooLarge(maxBytes);
                }
            }
        } catch (IOException e) {
            throw new ServerException(org.brski.voucher.Problem.of("unreadable-body", "Bad request", 400,
                    "the request body could not be read"), "request body could not be read: " + e.getMessage(), e);
        }
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    }
}
