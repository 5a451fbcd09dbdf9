package io.proxywatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxywatch.alert.AlertEvent;
import io.proxywatch.alert.AlertStats;
import io.proxywatch.testkit.RobotServer;
import io.proxywatch.testkit.TestWecom;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alert stage in the running routes against a local WeCom robot that behaves like the real one (schema
 * checks, errcode in the body, 20 messages a minute): severity routing, digests under the quota, 45009 retried,
 * 93000 dead-lettered at once.
 */
class AlertRoutingTest {
    private static final String KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
    private static final Pattern DIGEST = Pattern.compile("(\\d+) incidents, (\\d+) alerts");
    private static final Pattern SINGLE = Pattern.compile("events: (\\d+) in this notification");

    @TempDir
    Path dir;

    private InProcessPipeline pipeline;
    private TestWecom wecom;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (wecom != null) {
            wecom.close();
        }
    }

    private void start(String wecomUrl, String... more) {
        List<String> settings = new java.util.ArrayList<>(List.of(
                "proxywatch.alert.wecom.url", wecomUrl,
                "proxywatch.alert.group-wait-ms", "0",
                "proxywatch.alert.digest-wait-ms", "300",
                "proxywatch.alert.retry.initial-delay-ms", "200",
                "proxywatch.alert.retry.max-delay-ms", "1000",
                // WeCom's 45009 asks for a minute: a second here, so the test shows the wait without taking it
                "proxywatch.alert.retry.max-channel-wait-ms", "1500"));
        settings.addAll(List.of(more));
        pipeline = InProcessPipeline.start(dir, settings.toArray(String[]::new));
    }

    private void raise(AlertEvent e) {
        ProducerTemplate t = pipeline.main().getCamelContext().createProducerTemplate();
        t.sendBody("seda:alert-events", List.of(e));
    }

    private static AlertEvent event(String rule, String category, String severity, String key, String evidence) {
        Instant now = Instant.now();
        return new AlertEvent(rule, category, severity, AlertEvent.FIRING, key, 1, now, now, category + " from " + key,
                List.of(evidence));
    }

    /** Alerts a message accounts for: the digest header's count, or a single message's event count. */
    private static long alertsIn(RobotServer.Message m) {
        String content = m.json().path("markdown").path("content").asText();
        Matcher d = DIGEST.matcher(content);
        if (d.find()) {
            return Long.parseLong(d.group(2));
        }
        Matcher s = SINGLE.matcher(content);
        assertThat(s.find()).as(content).isTrue();
        return Long.parseLong(s.group(1));
    }

    private List<JsonNode> deadLetters() throws IOException {
        return InProcessPipeline.jsonLinesOf(dir.resolve("data").resolve("alert-dead-letter.log"));
    }

    @Test
    void highGoesToWecomWithTheLogLineEscapedAndWarningDoesNot() throws Exception {
        wecom = TestWecom.start(KEY);
        start(wecom.url());
        raise(event("xss-script", "xss", "high", "203.0.113.9",
                "203.0.113.9 - - \"GET /?q=<script>alert(1)</script> HTTP/1.1\" 200 0 \"-\" \"<font color=red>@all</font>\""));
        raise(event("scanner-ua", "scanner", "warning", "198.51.100.4", "nikto"));
        List<RobotServer.Message> got = wecom.awaitAccepted(1, Duration.ofSeconds(15));
        String content = got.get(0).json().path("markdown").path("content").asText();
        assertThat(content).contains("203.0.113.9").doesNotContain("<script>").doesNotContain("<font")
                .doesNotContain("@all");
        assertThat(got.get(0).json().path("msgtype").asText()).isEqualTo("markdown");
        // the warning went to mail, which is off here: nothing more reaches the robot
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> wecom.accepted().size() == 1);
        assertThat(wecom.rejected()).isEmpty();
        assertThat(pipeline.bean("alertStats", AlertStats.class).sent()).containsExactly(java.util.Map.entry("wecom", 1L));
    }

    @Test
    void aBurstOf500AlertsStaysWithinTheQuotaAndEveryAlertIsAccountedFor() throws Exception {
        wecom = TestWecom.start(KEY);
        start(wecom.url());
        // ten waves of 50, each raised once the previous one has been delivered: a burst spread over seconds, so
        // several digests form, paced by what the robot received rather than by sleeping
        for (int wave = 0; wave < 10; wave++) {
            for (int i = wave * 50; i < wave * 50 + 50; i++) {
                raise(event("sqli-union", "sqli", "high", "10.9." + (i / 250) + "." + (i % 250), "line " + i));
            }
            long raised = wave * 50L + 50;
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> wecom.accepted().stream().mapToLong(AlertRoutingTest::alertsIn).sum() >= raised);
        }
        assertThat(wecom.accepted().stream().mapToLong(AlertRoutingTest::alertsIn).sum()).isEqualTo(500);
        assertThat(wecom.accepted().size()).isLessThanOrEqualTo(TestWecom.PER_MINUTE);
        assertThat(wecom.rejectedCodes()).doesNotContain(45009L);
    }

    @Test
    void rateLimitedAnswersAreRetriedUntilAccepted() throws Exception {
        wecom = TestWecom.start(KEY);
        wecom.failNext(2);
        start(wecom.url());
        raise(event("cmd-injection", "cmd_injection", "critical", "192.0.2.50", "; cat /etc/passwd"));
        List<RobotServer.Message> got = wecom.awaitAccepted(1, Duration.ofSeconds(20));
        assertThat(got).hasSize(1);
        assertThat(wecom.rejectedCodes()).containsExactly(45009L, 45009L);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aRateLimitedMessageWaitsAsLongAsTheRobotAsksNotTheBackOff() throws Exception {
        wecom = TestWecom.start(KEY);
        wecom.failNext(1);
        start(wecom.url());
        raise(event("cmd-injection", "cmd_injection", "critical", "192.0.2.51", "; id"));
        Instant accepted = wecom.awaitAccepted(1, Duration.ofSeconds(20)).get(0).at();
        assertThat(wecom.rejected()).hasSize(1);
        assertThat(Duration.between(wecom.rejected().get(0).at(), accepted).toMillis())
                .as("the back-off alone would retry after 200 ms").isGreaterThanOrEqualTo(1400);
    }

    @Test
    void aRobotThatKeepsFailingIsDeadLetteredAfterItsRetries() throws Exception {
        wecom = TestWecom.start(KEY);
        wecom.failNext(1000);
        start(wecom.url(), "proxywatch.alert.retry.max-redeliveries", "2",
                "proxywatch.alert.retry.max-channel-wait-ms", "100");
        raise(event("cmd-injection", "cmd_injection", "critical", "192.0.2.52", "; id"));
        await().atMost(Duration.ofSeconds(15)).until(() -> !deadLetters().isEmpty());
        assertThat(wecom.rejectedCodes()).containsExactly(45009L, 45009L, 45009L);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> wecom.rejectedCodes().size() == 3);
        assertThat(deadLetters().get(0).path("notifications").get(0).path("key").asText()).isEqualTo("192.0.2.52");
    }

    /** A digest waiting out the robot's named wait when proxywatch stops is written to the dead letters, not lost. */
    @Test
    void aDigestWaitingOutARateLimitAtStopIsDeadLettered() throws Exception {
        wecom = TestWecom.start(KEY);
        wecom.failNext(1);
        start(wecom.url(), "proxywatch.alert.retry.max-channel-wait-ms", "60000", "camel.main.shutdown-timeout", "2");
        raise(event("cmd-injection", "cmd_injection", "critical", "192.0.2.53", "; id"));
        await().atMost(Duration.ofSeconds(15)).until(() -> wecom.rejected().size() == 1);
        pipeline.close();
        pipeline = null;
        // written as the interrupted wait unwinds, which may be just after the stop returns
        await().atMost(Duration.ofSeconds(10)).until(() -> !deadLetters().isEmpty());
        assertThat(deadLetters()).singleElement().satisfies(d ->
                assertThat(d.path("notifications").get(0).path("key").asText()).isEqualTo("192.0.2.53"));
    }

    @Test
    void aSteadyStreamOfAlertsIsSentWhileItLasts() throws Exception {
        wecom = TestWecom.start(KEY);
        start(wecom.url());
        // an alert every 150 ms for 4 s: never a 300 ms pause for a digest to wait for
        long end = System.currentTimeMillis() + 4000;
        int i = 0;
        while (System.currentTimeMillis() < end) {
            raise(event("sqli-union", "sqli", "high", "10.8.0." + i++, "line"));
            Thread.sleep(150);
        }
        assertThat(wecom.accepted()).as("digests went out during the stream").hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void anInvalidKeyIsNotRetriedAndTheMessageIsDeadLettered() throws Exception {
        wecom = TestWecom.start(KEY);
        start(wecom.url("wrong-key-0000"));
        raise(event("path-traversal", "path_traversal", "high", "192.0.2.60", "GET /../../etc/passwd"));
        await().atMost(Duration.ofSeconds(15)).until(() -> !deadLetters().isEmpty());
        assertThat(wecom.rejectedCodes()).containsExactly(93000L);
        JsonNode dead = deadLetters().get(0);
        assertThat(dead.path("channel").asText()).isEqualTo("wecom");
        assertThat(dead.path("error").asText()).contains("93000").doesNotContain("wrong-key-0000");
        assertThat(dead.path("notifications").get(0).path("key").asText()).isEqualTo("192.0.2.60");
        AlertStats stats = pipeline.bean("alertStats", AlertStats.class);
        assertThat(stats.deadLettered()).containsEntry("wecom", 1L);
    }
}
