package io.proxywatch.ship;

import io.proxywatch.testkit.TestCollector;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hc.client5.http.socket.LayeredConnectionSocketFactory;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactory;
import org.apache.hc.core5.ssl.SSLContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LazyTlsHttpComponentTest {
    private CamelContext camel;
    private TestCollector server;

    @BeforeEach
    void camel() throws Exception {
        camel = new DefaultCamelContext();
        camel.addComponent("http", new LazyTlsHttpComponent());
        camel.addComponent("https", new LazyTlsHttpComponent());
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theTlsFactoryIsMadeAtItsFirstUseOnlyAndOnceAcrossThreads() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Supplier<LayeredConnectionSocketFactory> factory = () -> {
            made.incrementAndGet();
            return new SSLConnectionSocketFactory(SSLContexts.createDefault());
        };
        var lazy = new LazyTlsHttpComponent.OnFirstUse(factory);
        assertFalse(lazy.isMade());
        assertEquals(0, made.get());

        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    seen.add(lazy.delegate());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, made.get());
        assertEquals(8, seen.size());
        seen.forEach(s -> assertSame(seen.get(0), s));
        assertTrue(lazy.isMade());
    }

    @Test
    void plainHttpEndpointsSendAsCamelHttpDoes() throws Exception {
        server = TestCollector.builder().keepRecords(true).start();
        ProducerTemplate producer = camel.createProducerTemplate();
        // the body is no valid batch: what counts here is that the request arrived over plain HTTP
        producer.sendBody(server.url() + "?throwExceptionOnFailure=false", "{}");
        assertEquals(1, server.requests().size());
        assertEquals("POST", server.requests().get(0).method());
    }

    /** No sslContextParameters: the JDK's trust store decides, so a self-signed collector is refused, not trusted. */
    @Test
    void httpsWithoutOwnTlsSettingsVerifiesTheServerAgainstTheJdkTrustStore(@TempDir Path dir) throws Exception {
        server = TestCollector.builder().https(TestCollector.Tls.generate(dir)).start();
        String url = server.url();
        assertTrue(url.startsWith("https://"), url);
        ProducerTemplate producer = camel.createProducerTemplate();
        var e = assertThrows(CamelExecutionException.class, () -> producer.sendBody(url, "{}"));
        SSLException tls = causeOf(e, SSLException.class);
        assertNotNull(tls, "expected a TLS failure, got " + e.getCause());
        assertTrue(String.valueOf(tls.getMessage()).contains("PKIX"), tls.getMessage());
        assertEquals(0, server.requests().size());
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
