package org.brski.server.http;

import java.util.Optional;
import org.brski.server.tls.ChannelBinding;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Request;

/** The TLS channel binding of the connection a request arrived on (RFC 7030 3.5 proof-of-possession linking). */
public final class ChannelBindings {
    private ChannelBindings() {
    }

    /** The binding, or empty when the request did not come over TLS or the TLS implementation exposes none. */
    public static Optional<ChannelBinding> of(Request request) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint instanceof SslConnection.SslEndPoint ssl) {
            return ChannelBinding.of(ssl.getSslConnection().getSSLEngine());
        }
        return Optional.empty();
    }
}
