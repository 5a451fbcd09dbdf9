package io.proxywatch.alert;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.proxywatch.alert.MailSettings.Security;
import io.proxywatch.testkit.LogLines;
import io.proxywatch.testkit.TestCollector;
import jakarta.mail.BodyPart;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mail.DefaultAuthenticator;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged alert-mail route and alert-errors configuration in a running Camel context, sending to a real SMTP
 * server (GreenMail) over plain SMTP and SMTPS, with a login; failures go to a dead-letter route defined here.
 */
class MailChannelTest {
    private static final String USER = "alice";
    /** Characters that would trip a URI: the login goes to camel-mail as a bean, never in one. */
    private static final String PASSWORD = "pw)&}-S\u00e9c ret%+=";
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final TestCollector.Tls TLS = serverCertificate();

    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[]{ServerSetupTest.SMTP, ServerSetupTest.SMTPS}))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, PASSWORD))
            .withPerMethodLifecycle(true);

    private final Queue<Exchange> deadLetters = new ConcurrentLinkedQueue<>();
    private DefaultCamelContext context;
    private final AlertStats stats = new AlertStats();

    /** GreenMail's own SMTPS certificate names no host; ours names localhost, so the client checks the name. */
    private static TestCollector.Tls serverCertificate() {
        try {
            TestCollector.Tls tls = TestCollector.Tls.generate(Files.createTempDirectory("mail-tls"));
            System.setProperty("greenmail.tls.keystore.file", tls.keystore().toString());
            System.setProperty("greenmail.tls.keystore.password", tls.password());
            System.setProperty("greenmail.tls.key.password", tls.password());
            return tls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    private static MailSettings settings(Security security, int port, String password) {
        return new MailSettings("localhost", port, USER, password, "proxywatch@example.org",
                List.of("ops@example.org", "sec@example.org"), List.of("boss@example.org"), security,
                Duration.ofSeconds(5));
    }

    private static MailSettings smtp() {
        return settings(Security.NONE, GREENMAIL.getSmtp().getPort(), PASSWORD);
    }

    private void start(MailSettings settings, Map<String, String> overrides) throws Exception {
        start(settings, overrides, true);
    }

    private void start(MailSettings settings, Map<String, String> overrides, boolean trustTestCertificate)
            throws Exception {
        context = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty("proxywatch.alert.mail.host", settings.host());
        p.setProperty("proxywatch.alert.mail.digest-interval-ms", "500");
        p.setProperty("proxywatch.alert.retry.max-redeliveries", "2");
        p.setProperty("proxywatch.alert.retry.initial-delay-ms", "50");
        p.setProperty("proxywatch.alert.retry.max-delay-ms", "200");
        p.putAll(overrides);
        context.getPropertiesComponent().setInitialProperties(p);
        context.getRegistry().bind("notificationDigest", new NotificationDigest());
        context.getRegistry().bind("alertStats", stats);
        context.getRegistry().bind("mailComposer", new MailComposer(settings));
        context.getRegistry().bind(MailSettings.LOGIN_BEAN, new DefaultAuthenticator(settings.username(),
                settings.password()));
        context.getRegistry().bind("mailTls", trustingTheTestCertificate());
        // the test certificate is not in the JVM's trust store: only that differs from what the wiring binds
        String trust = settings.security() == Security.NONE || !trustTestCertificate ? ""
                : "&sslContextParameters=#mailTls";
        context.getRegistry().bind("alertMail", context.getEndpoint(settings.camelUri() + trust));
        loadRoutesAndStart();
    }

    private void loadRoutesAndStart() throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(
                ResourceHelper.resolveResource(context, "classpath:routes/route-configurations/alert-errors.yaml"),
                ResourceHelper.resolveResource(context, "classpath:routes/alert-mail.yaml"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:alert-dead-letter").routeId("test-dead-letter").process(deadLetters::add);
            }
        });
        context.start();
    }

    private static SSLContextParameters trustingTheTestCertificate() {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + TLS.truststore());
        store.setPassword(TLS.password());
        store.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(trust);
        return tls;
    }

    private void send(Notification... notifications) {
        for (Notification n : notifications) {
            context.createProducerTemplate().sendBody("direct:alert-mail", n);
        }
    }

    private static Notification firing(String rule, String severity, String key, String summary, String... evidence) {
        return new Notification(rule, "xss", severity, AlertEvent.FIRING, key, 2, 5, T0, T0.plusSeconds(30), summary,
                List.of(evidence), false);
    }

    /** GreenMail keeps one copy per recipient; copies of one mail share its Message-ID. */
    private static List<MimeMessage> mails() {
        Map<String, MimeMessage> byId = new HashMap<>();
        for (MimeMessage m : GREENMAIL.getReceivedMessages()) {
            try {
                byId.putIfAbsent(m.getMessageID(), m);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return List.copyOf(byId.values());
    }

    private static BodyPart part(MimeMessage m, int i) throws Exception {
        return ((MimeMultipart) m.getContent()).getBodyPart(i);
    }

    @Test
    void aDigestArrivesAsOneMultipartAlternativeMailWithEscapedHtml() throws Exception {
        start(smtp(), Map.of());
        send(firing("xss-script", "high", "203.0.113.7", "payload " + SCRIPT, "GET /?q=" + SCRIPT),
                firing("sqli-union", "critical", "198.51.100.2", "union select"),
                firing("scanner-ua", "info", "192.0.2.1", "sqlmap"));

        // three recipients (two To, one Cc) of one mail
        assertThat(GREENMAIL.waitForIncomingEmail(10_000, 1)).isTrue();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> GREENMAIL.getReceivedMessages().length == 3);
        assertThat(mails()).hasSize(1);
        assertThat(stats.sent()).containsEntry("mail", 1L);
        MimeMessage mail = mails().get(0);

        assertThat(mail.getSubject())
                .isEqualTo("[proxywatch][CRITICAL] 3 incidents \u2014 sqli-union, xss-script, scanner-ua");
        assertThat(mail.getFrom()).extracting(Object::toString).containsExactly("proxywatch@example.org");
        assertThat(mail.getRecipients(RecipientType.TO)).extracting(Object::toString)
                .containsExactly("ops@example.org", "sec@example.org");
        assertThat(mail.getRecipients(RecipientType.CC)).extracting(Object::toString)
                .containsExactly("boss@example.org");

        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        assertThat(((MimeMultipart) mail.getContent()).getCount()).isEqualTo(2);
        assertThat(part(mail, 0).getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(part(mail, 1).getContentType()).startsWith("text/html").containsIgnoringCase("charset=UTF-8");
        String text = (String) part(mail, 0).getContent();
        String html = (String) part(mail, 1).getContent();
        assertThat(text).contains("payload " + SCRIPT).contains("GET /?q=" + SCRIPT);
        assertThat(html).contains("payload &lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("GET /?q=&lt;script&gt;").doesNotContain("<script");
    }

    @Test
    void aLineBreakInALogDerivedKeyAddsNoHeaderAndNoRecipient() throws Exception {
        start(smtp(), Map.of());
        send(firing("xss-script", "high", "1.2.3.4\r\nBcc: evil@x.example\r\nX-Injected: yes", "s"));

        assertThat(GREENMAIL.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage mail = mails().get(0);
        assertThat(mail.getSubject())
                .isEqualTo("[proxywatch][HIGH] xss-script \u2014 1.2.3.4 Bcc: evil@x.example X-Injected: yes");
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(mail.getHeader("X-Injected")).isNull();
        assertThat(GREENMAIL.getReceivedMessagesForDomain("x.example")).isEmpty();
        assertThat(GREENMAIL.getReceivedMessages()).hasSize(3);
    }

    @Test
    void aFullDigestIsSentWithoutWaitingForTheInterval() throws Exception {
        start(smtp(), Map.of("proxywatch.alert.mail.digest-interval-ms", "600000"));
        for (int i = 0; i < 100; i++) {
            send(firing("scanner-ua", "info", "10.0.0." + i, "sqlmap"));
        }
        assertThat(GREENMAIL.waitForIncomingEmail(10_000, 1)).isTrue();
        assertThat(mails().get(0).getSubject()).startsWith("[proxywatch][INFO] 100 incidents");
    }

    @Test
    void stoppingSendsTheDigestStillOpen() throws Exception {
        start(smtp(), Map.of("proxywatch.alert.mail.digest-interval-ms", "600000"));
        send(firing("xss-script", "high", "203.0.113.7", "s"));
        context.stop();
        assertThat(GREENMAIL.waitForIncomingEmail(10_000, 1)).isTrue();
        assertThat(mails().get(0).getSubject()).isEqualTo("[proxywatch][HIGH] xss-script \u2014 203.0.113.7");
    }

    @Test
    void smtpsDeliversOverTlsToAServerWhoseCertificateNamesTheHost() throws Exception {
        start(settings(Security.SMTPS, GREENMAIL.getSmtps().getPort(), PASSWORD), Map.of());
        send(firing("xss-script", "high", "203.0.113.7", "s"));
        assertThat(GREENMAIL.waitForIncomingEmail(10_000, 1)).isTrue();
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void starttlsNeverFallsBackToPlainTextWhenTheServerCannotUpgrade() throws Exception {
        // GreenMail's SMTP offers no STARTTLS: a required upgrade must fail, not send in clear
        start(settings(Security.STARTTLS, GREENMAIL.getSmtp().getPort(), PASSWORD), Map.of());
        send(firing("xss-script", "high", "203.0.113.7", "s"));
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.size() == 1);
        assertThat(GREENMAIL.getReceivedMessages()).isEmpty();
        assertThat(deadLetters.peek().getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))
                .hasMessageContaining("STARTTLS");
    }

    @Test
    void aDownServerMeansTheDigestIsDeadLetteredWithWhatWasNotSent() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        start(settings(Security.NONE, closedPort, PASSWORD), Map.of());
        Notification n = firing("xss-script", "high", "203.0.113.7", "s");
        send(n);

        await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters.size() == 1);
        Exchange dead = deadLetters.peek();
        assertThat(dead.getProperty("ProxywatchNotifications", List.class)).containsExactly(n);
        assertThat(dead.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))
                .hasMessageContaining("Couldn't connect");
    }

    @Test
    void aServerThatHangsUpIsTriedOncePlusTheRedeliveries() throws Exception {
        try (HangUpServer server = new HangUpServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))) {
            start(settings(Security.NONE, server.port(), PASSWORD), Map.of());
            send(firing("xss-script", "high", "203.0.113.7", "s"));

            await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters.size() == 1);
            assertThat(server.connections()).isEqualTo(1 + 2); // proxywatch.alert.retry.max-redeliveries=2
        }
    }

    @Test
    void smtpsRefusesACertificateItDoesNotTrust() throws Exception {
        // the test certificate, which the JVM's trust store does not hold (GreenMail would fail the test on the
        // aborted handshake, so a bare TLS server plays the part)
        try (HangUpServer server = new HangUpServer(tlsServerSocket())) {
            start(settings(Security.SMTPS, server.port(), PASSWORD), Map.of(), false);
            send(firing("xss-script", "high", "203.0.113.7", "s"));

            await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters.size() == 1);
            assertThat(deadLetters.peek().getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))
                    .hasStackTraceContaining("PKIX path building failed");
        }
    }

    @Test
    void aRefusedLoginIsDeadLetteredAndThePasswordNeverReachesTheLog() throws Exception {
        String wrong = "wr0ng)&}-" + PASSWORD;
        try (LogLines log = LogLines.everything()) {
            start(settings(Security.NONE, GREENMAIL.getSmtp().getPort(), wrong), Map.of());
            send(firing("xss-script", "high", "203.0.113.7", "s"));
            await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters.size() == 1);
            context.stop();

            assertThat(GREENMAIL.getReceivedMessages()).isEmpty();
            assertThat(log.text()).contains("On delivery attempt: 2") // the retries were logged...
                    .doesNotContain("wr0ng"); // ...without the password
            assertThat(context.getEndpoints().toString()).doesNotContain("wr0ng");
        }
    }

    @Test
    void withNoHostTheRouteStartsOnTheOffBeansAndSendsNothing() throws Exception {
        // what the wiring binds while proxywatch.alert.mail.host is empty: no settings, no login, a stand-in endpoint
        context = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty("proxywatch.alert.mail.host", "");
        p.setProperty("proxywatch.alert.mail.digest-interval-ms", "500");
        p.setProperty("proxywatch.alert.retry.max-redeliveries", "2");
        p.setProperty("proxywatch.alert.retry.initial-delay-ms", "50");
        p.setProperty("proxywatch.alert.retry.max-delay-ms", "200");
        context.getPropertiesComponent().setInitialProperties(p);
        context.getRegistry().bind("notificationDigest", new NotificationDigest());
        context.getRegistry().bind("alertStats", stats);
        context.getRegistry().bind("mailComposer", new MailComposer(null));
        context.getRegistry().bind("alertMail", context.getEndpoint("direct:alert-mail-disabled"));
        loadRoutesAndStart();

        send(firing("xss-script", "high", "203.0.113.7", "s"));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> GREENMAIL.getReceivedMessages().length == 0 && deadLetters.isEmpty());
    }

    private static ServerSocket tlsServerSocket() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(TLS.keystore())) {
            store.load(in, TLS.password().toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, TLS.password().toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(keys.getKeyManagers(), null, null);
        return ssl.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** Accepts connections (completing a TLS handshake if it is a TLS socket), counts them and hangs up. */
    private static final class HangUpServer implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();

        HangUpServer(ServerSocket socket) {
            this.socket = socket;
            Thread accepter = new Thread(this::serve, "hang-up-server");
            accepter.setDaemon(true);
            accepter.start();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    connections.incrementAndGet();
                    if (s instanceof SSLSocket tls) {
                        tls.startHandshake();
                    }
                } catch (IOException e) {
                    // a handshake the client refused, or the server socket closed (which ends the loop)
                }
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
