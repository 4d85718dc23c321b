package org.brski.interop;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.brski.pki.HeldCertificate;
import org.brski.pledge.http.IdentityKeyManager;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** A deliberately broken "registrar": real TLS on 127.0.0.1 port 0, answering 200 garbage to every request. */
final class GarbageRegistrar implements AutoCloseable {
    private final Server server;

    private GarbageRegistrar(Server server) {
        this.server = server;
    }

    static GarbageRegistrar start(HeldCertificate tls) throws Exception {
        Server server = new Server();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new IdentityKeyManager(tls.privateKey(), tls.chainWithSelf())}, null, null);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(context);
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        secure.setSniRequired(false);
        http.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.write(true, java.nio.ByteBuffer.wrap("garbage".getBytes(StandardCharsets.US_ASCII)),
                        callback);
                return true;
            }
        });
        server.start();
        return new GarbageRegistrar(server);
    }

    URI uri() {
        return URI.create("https://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }


    @Override
    public void close() throws Exception {
        server.stop();
    }
}
