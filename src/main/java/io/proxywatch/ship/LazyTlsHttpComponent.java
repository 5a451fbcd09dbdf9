package io.proxywatch.ship;

import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.client5.http.socket.LayeredConnectionSocketFactory;
import org.apache.hc.client5.http.socket.PlainConnectionSocketFactory;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactory;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Registry;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.HostnameVerifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.function.Supplier;

/**
 * camel-http's {@code http}/{@code https} component, except that the JDK's default TLS context is built at the first
 * https:// connection instead of when an endpoint is created. camel-http registers an https socket factory with every
 * endpoint, also an http:// one, and building that context (the TLS provider, the JDK's trust store) took 0.4 s of
 * every start-up. Endpoints given their own {@code sslContextParameters} (the collector's TLS settings) are built as
 * camel-http builds them: those are checked at start-up on purpose.
 */
public class LazyTlsHttpComponent extends HttpComponent {

    @Override
    protected Registry<ConnectionSocketFactory> createConnectionRegistry(HostnameVerifier verifier,
            SSLContextParameters tls, boolean useSystemProperties) throws GeneralSecurityException, IOException {
        if (tls != null) {
            return super.createConnectionRegistry(verifier, tls, useSystemProperties);
        }
        return RegistryBuilder.<ConnectionSocketFactory>create()
                .register("http", PlainConnectionSocketFactory.getSocketFactory())
                .register("https", new OnFirstUse(() -> new SSLConnectionSocketFactory(
                        useSystemProperties ? SSLContexts.createSystemDefault() : SSLContexts.createDefault(),
                        verifier)))
                .build();
    }

    /** The TLS socket factory, made by {@code factory} when a connection first needs it. */
    static final class OnFirstUse implements LayeredConnectionSocketFactory {
        private final Supplier<LayeredConnectionSocketFactory> factory;
        private volatile LayeredConnectionSocketFactory made;

        OnFirstUse(Supplier<LayeredConnectionSocketFactory> factory) {
            this.factory = factory;
        }

        LayeredConnectionSocketFactory delegate() {
            LayeredConnectionSocketFactory d = made;
            if (d == null) {
                synchronized (this) {
                    d = made;
                    if (d == null) {
                        d = factory.get();
                        made = d;
                    }
                }
            }
            return d;
        }

        boolean isMade() {
            return made != null;
        }

        @Override
        public Socket createSocket(HttpContext context) throws IOException {
            return delegate().createSocket(context);
        }

        @Override
        public Socket createSocket(Proxy proxy, HttpContext context) throws IOException {
            return delegate().createSocket(proxy, context);
        }

        @Override
        @SuppressWarnings("deprecation")
        public Socket connectSocket(TimeValue connectTimeout, Socket socket, HttpHost host,
                InetSocketAddress remote, InetSocketAddress local, HttpContext context) throws IOException {
            return delegate().connectSocket(connectTimeout, socket, host, remote, local, context);
        }

        @Override
        public Socket connectSocket(Socket socket, HttpHost host, InetSocketAddress remote, InetSocketAddress local,
                Timeout connectTimeout, Object attachment, HttpContext context) throws IOException {
            return delegate().connectSocket(socket, host, remote, local, connectTimeout, attachment, context);
        }

        @Override
        public Socket createLayeredSocket(Socket socket, String target, int port, HttpContext context)
                throws IOException {
            return delegate().createLayeredSocket(socket, target, port, context);
        }

        @Override
        public Socket createLayeredSocket(Socket socket, String target, int port, Object attachment,
                HttpContext context) throws IOException {
            return delegate().createLayeredSocket(socket, target, port, attachment, context);
        }
    }
}
