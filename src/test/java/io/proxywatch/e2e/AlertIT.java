package io.proxywatch.e2e;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.proxywatch.testkit.RobotServer;
import io.proxywatch.testkit.TestDingtalk;
import io.proxywatch.testkit.TestFeishu;
import io.proxywatch.testkit.TestWebhook;
import io.proxywatch.testkit.TestWecom;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5 end to end: the jar follows a log, an attack line in it reaches every configured channel (WeCom,
 * DingTalk, Feishu, the JSON webhook; a probe, a warning, reaches SMTP), each a real server on 127.0.0.1 speaking
 * the real protocol; and none of the secrets handed over in the environment appears in anything proxywatch prints.
 */
class AlertIT {
    private static final String WECOM_KEY = "0b1e2d3c-wecom-key-4f5a6b7c8d9e";
    private static final String DING_TOKEN = "dingtoken5e6f7a8b9c0d";
    private static final String DING_SECRET = "SECdingsecret1a2b3c4d5e6f";
    private static final String FEISHU_TOKEN = "feishutoken-7c8d-9e0f";
    private static final String FEISHU_SECRET = "feishusecret9a8b7c";
    private static final String SMTP_PASSWORD = "smtp-pass-5d4c3b2a";

    @TempDir
    Path dir;

    private final List<AutoCloseable> servers = new java.util.ArrayList<>();
    private GreenMail smtp;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : servers) {
            c.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    private <T extends AutoCloseable> T serve(T server) {
        servers.add(server);
        return server;
    }

    @Test
    void anAttackInTheLogReachesEveryChannelAndNoSecretIsPrinted() throws Exception {
        TestWecom wecom = serve(TestWecom.start(WECOM_KEY));
        TestDingtalk ding = serve(TestDingtalk.start(DING_TOKEN, DING_SECRET, Clock.systemUTC()));
        TestFeishu feishu = serve(TestFeishu.start(FEISHU_TOKEN, FEISHU_SECRET, Clock.systemUTC()));
        TestWebhook hook = serve(TestWebhook.start());
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        smtp.setUser("ops@example.com", "alerts", SMTP_PASSWORD);

        Path logs = Files.createDirectories(dir.resolve("logs"));
        try (JarProcess jar = JarProcess.builder("alert").workDir(dir)
                .property("proxywatch.input.paths", logs + "/*.log")
                .property("proxywatch.input.start-at", "beginning")
                .property("proxywatch.alert.group-wait-ms", 0)
                .property("proxywatch.alert.digest-wait-ms", 200)
                .property("proxywatch.alert.mail.digest-interval-ms", 500)
                .property("proxywatch.alert.route.high", "wecom,dingtalk,feishu,webhook")
                .property("proxywatch.alert.route.warning", "mail")
                .property("proxywatch.alert.mail.host", "127.0.0.1")
                .property("proxywatch.alert.mail.port", smtp.getSmtp().getPort())
                .property("proxywatch.alert.mail.security", "none")
                .property("proxywatch.alert.mail.username", "alerts")
                .property("proxywatch.alert.mail.from", "proxywatch@example.com")
                .property("proxywatch.alert.mail.to", "ops@example.com")
                .property("proxywatch.alert.webhook.url", hook.url())
                .env("PROXYWATCH_ALERT_WECOM_URL", wecom.url())
                .env("PROXYWATCH_ALERT_DINGTALK_URL", ding.url())
                .env("PROXYWATCH_ALERT_DINGTALK_SECRET", DING_SECRET)
                .env("PROXYWATCH_ALERT_FEISHU_URL", feishu.url())
                .env("PROXYWATCH_ALERT_FEISHU_SECRET", FEISHU_SECRET)
                .env("PROXYWATCH_ALERT_MAIL_PASSWORD", SMTP_PASSWORD)
                .start()) {
            jar.awaitOutput(") started in", Duration.ofSeconds(60));
            Files.writeString(logs.resolve("access.log"),
                    "203.0.113.9 - - [25/Nov/2026:12:00:00 +0000] \"GET /item?id=1%27%20UNION%20SELECT%20password,2%20FROM%20users--%20 HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"\n"
                            + "198.51.100.7 - - [25/Nov/2026:12:00:01 +0000] \"GET /.git/config HTTP/1.1\" 404 0 \"-\" \"Mozilla/5.0\"\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);

            for (RobotServer robot : List.<RobotServer>of(wecom, ding, feishu, hook)) {
                List<RobotServer.Message> got = robot.awaitAccepted(1, Duration.ofSeconds(30));
                assertThat(got.get(0).body()).as(robot.getClass().getSimpleName()).contains("203.0.113.9");
                assertThat(robot.rejected()).as(robot.getClass().getSimpleName()).isEmpty();
            }
            assertThat(smtp.waitForIncomingEmail(30_000, 1)).isTrue();
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertThat(mail.getSubject()).startsWith("[proxywatch][WARNING]").contains("198.51.100.7");

            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("out/alerts.log")));
            String printed = jar.output() + Files.readString(dir.resolve("out/alerts.log"));
            for (String secret : List.of(WECOM_KEY, DING_TOKEN, DING_SECRET, FEISHU_TOKEN, FEISHU_SECRET, SMTP_PASSWORD)) {
                assertThat(printed).as("output and alerts.log").doesNotContain(secret);
            }
            assertThat(jar.output()).contains("wecom ").contains("****");
        }
    }
}
