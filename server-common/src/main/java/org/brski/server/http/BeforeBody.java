package org.brski.server.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A route that can refuse a request from its line, headers and TLS client certificate alone. The
 * {@link org.brski.server.HttpsServer} asks before it reads the body, so that a client without the credential an
 * endpoint requires is answered at once instead of being allowed to send (slowly) a body that would be refused anyway.
 */
@FunctionalInterface
public interface BeforeBody {
    /**
     * Answers the request now when it can be refused without its body.
     *
     * @return true when the response has been completed through {@code callback} (the body is then never read); false to
     *     read the body and handle the request
     */
    boolean refuseBeforeBody(Request request, Response response, Callback callback);
}
