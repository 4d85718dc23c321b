package org.brski.server.http;

import org.brski.voucher.Problem;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Answers every request with a 404 problem: the fallback route of {@link org.brski.server.HttpsServer}. */
public final class NotFoundHandler extends Handler.Abstract.NonBlocking {
    private static final Problem NOT_FOUND = Problem.of("not-found", "Not found", 404, "no such resource");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Responses.problem(response, callback, NOT_FOUND);
        return true;
    }
}
