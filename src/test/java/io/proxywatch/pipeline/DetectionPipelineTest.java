package io.proxywatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxywatch.rules.RulesFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Detection in the running routes, on real files: threat tags in the level files, alerts.log, live rules edits. */
class DetectionPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private InProcessPipeline pipeline;
    private int lineNo;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private void start(Path rulesFile) {
        pipeline = rulesFile == null
                ? InProcessPipeline.start(dir, "proxywatch.rules.reload-interval-ms", "200")
                : InProcessPipeline.start(dir, "proxywatch.rules.reload-interval-ms", "200",
                        "proxywatch.rules.file", rulesFile.toString());
    }

    private List<JsonNode> lines(String file) throws IOException {
        return InProcessPipeline.jsonLines(dir, file);
    }

    /** A Caddy-style access line (JSON) from {@code ip} for {@code uri}, with a unique trace id. */
    private String access(String ip, String uri) {
        lineNo++;
        return "{\"level\":\"info\",\"ts\":1764072000." + lineNo + ",\"logger\":\"http.log.access\",\"msg\":\"handled request\","
                + "\"request\":{\"remote_ip\":\"" + ip + "\",\"method\":\"GET\",\"uri\":" + JSON.valueToTree(uri)
                + ",\"headers\":{\"User-Agent\":[\"Mozilla/5.0\"]}},\"status\":200,\"duration\":0.002,\"size\":12,"
                + "\"trace_id\":\"t" + lineNo + "\"}\n";
    }

    private void append(String text) throws IOException {
        InProcessPipeline.append(dir, "caddy.log", text);
    }

    private JsonNode record(String traceId) throws IOException {
        for (JsonNode n : lines("info.log")) {
            if (traceId.equals(n.path("trace_id").asText())) {
                return n;
            }
        }
        return null;
    }

    @Test
    void attacksAreTaggedInTheLevelFilesAndRaisedInAlertsLog() throws Exception {
        append(access("198.51.100.20", "/index.html")
                + access("203.0.113.9", "/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--")
                + access("203.0.113.10", "/static/..%252f..%252f..%252fetc/passwd"));
        start(null);
        await().atMost(Duration.ofSeconds(20)).until(() -> lines("info.log").size() == 3);
        assertThat(record("t1").has("threat")).isFalse();
        assertThat(record("t2").path("threat").path("category").asText()).isEqualTo("sqli");
        assertThat(record("t2").path("threat").path("severity").asText()).isEqualTo("high");
        assertThat(record("t3").path("threat").path("category").asText()).isIn("path_traversal", "sensitive_path");

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("alerts.log").size() >= 2);
        List<JsonNode> alerts = lines("alerts.log");
        assertThat(alerts).extracting(a -> a.path("key").asText()).contains("203.0.113.9", "203.0.113.10");
        JsonNode sqli = alerts.stream().filter(a -> a.path("key").asText().equals("203.0.113.9")).findFirst().orElseThrow();
        assertThat(sqli.path("category").asText()).isEqualTo("sqli");
        assertThat(sqli.path("state").asText()).isEqualTo("firing");
        assertThat(sqli.path("count").asLong()).isEqualTo(1);
        assertThat(sqli.path("evidence").get(0).asText()).contains("UNION%20SELECT");
    }

    /** The collector gets the threat tag with the record, as the level files do; an untagged record has none. */
    @Test
    void shippedRecordsCarryTheirThreat() throws Exception {
        try (io.proxywatch.testkit.TestCollector collector = io.proxywatch.testkit.TestCollector.builder()
                .keepRecords(true).start()) {
            append(access("198.51.100.20", "/index.html")
                    + access("203.0.113.9", "/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--"));
            pipeline = InProcessPipeline.start(dir, "proxywatch.ship.url", collector.url(),
                    "proxywatch.ship.batch.timeout-ms", "200");
            await().atMost(Duration.ofSeconds(20)).until(() -> collector.acceptedRecords() == 2);
            assertThat(JSON.readTree(collector.record("t1")).has("threat")).isFalse();
            JsonNode threat = JSON.readTree(collector.record("t2")).path("threat");
            assertThat(threat.path("category").asText()).isEqualTo("sqli");
            assertThat(threat.path("severity").asText()).isEqualTo("high");
            assertThat(threat.path("rule").asText()).isEqualTo("sqli-union-select")
                    .isEqualTo(record("t2").path("threat").path("rule").asText());
        }
    }

    /**
     * Padded past the maximum line size with a large header, an attack's line is cut before its status: the
     * request before the cut is still checked, tagged and raised, and its client counted by the rate rules.
     */
    @Test
    void aRequestPaddedPastTheLineSizeIsStillChecked() throws Exception {
        String pad = "\\\"".repeat(3_000); // 3,000 quotes, each written \" by the proxy: 6 KB
        lineNo++;
        append("{\"level\":\"info\",\"ts\":1764072000." + lineNo + ",\"logger\":\"http.log.access\","
                + "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.9\",\"method\":\"GET\","
                + "\"uri\":\"/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--\",\"headers\":{\"X-Pad\":[\""
                + pad + "\"]}},\"status\":200,\"trace_id\":\"t" + lineNo + "\"}\n"
                + access("198.51.100.20", "/index.html"));
        pipeline = InProcessPipeline.start(dir, "proxywatch.input.max-line-bytes", "4096");
        await().atMost(Duration.ofSeconds(20)).until(() -> lines("info.log").size() == 2
                && lines("alerts.log").size() == 1);
        JsonNode cut = lines("info.log").get(0);
        assertThat(cut.path("truncated").asBoolean()).isTrue();
        assertThat(cut.path("client_ip").asText()).isEqualTo("203.0.113.9");
        assertThat(cut.path("threat").path("category").asText()).isEqualTo("sqli");
        assertThat(record("t" + lineNo).has("threat")).as("the line after the cut one").isFalse();
        assertThat(lines("alerts.log")).singleElement().satisfies(a -> {
            assertThat(a.path("key").asText()).isEqualTo("203.0.113.9");
            assertThat(a.path("category").asText()).isEqualTo("sqli");
            assertThat(a.path("state").asText()).isEqualTo("firing");
            assertThat(a.path("count").asLong()).isEqualTo(1);
        });
    }

    /**
     * A 36 KB query of {@code select a select a ...} overflowed the stack inside a signature's regex; the failed
     * chunk was read again from its offset, failed again, and no line after it was ever written. One request from
     * anyone stopped the pipeline.
     */
    @Test
    void aQueryBuiltToOverflowTheRegexesDoesNotStopThePipeline() throws Exception {
        append(access("198.51.100.20", "/index.html")
                + access("203.0.113.7", "/search?q=" + "select%20a%20".repeat(3000))
                + access("203.0.113.9", "/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--"));
        start(null);
        await().atMost(Duration.ofSeconds(20)).until(() -> lines("info.log").size() == 3);
        assertThat(record("t2").path("query").asText()).hasSizeGreaterThan(36_000);
        assertThat(record("t2").has("threat")).isFalse();
        assertThat(record("t3").path("threat").path("category").asText()).isEqualTo("sqli");
    }

    /** The alert stage is a queue beside the pipeline: lines keep reaching the level files while it is stalled. */
    @Test
    void aStalledAlertStageDoesNotHoldUpTheLevelFiles() throws Exception {
        start(null);
        append(access("198.51.100.20", "/index.html"));
        await().atMost(Duration.ofSeconds(20)).until(() -> lines("info.log").size() == 1);
        pipeline.main().getCamelContext().getRouteController().suspendRoute("alert-events");

        append(access("203.0.113.9", "/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--")
                + access("198.51.100.21", "/about"));
        // a request-reply hand-off would wait up to seda's 30 s timeout for the stalled stage
        await().atMost(Duration.ofSeconds(10)).until(() -> lines("info.log").size() == 3);
        assertThat(lines("alerts.log")).isEmpty();

        pipeline.main().getCamelContext().getRouteController().resumeRoute("alert-events");
        await().atMost(Duration.ofSeconds(10)).until(() -> lines("alerts.log").size() == 1);
        assertThat(lines("alerts.log").get(0).path("key").asText()).isEqualTo("203.0.113.9");
    }

    @Test
    void rulesEditsApplyLiveKeepWindowCountsAndAnInvalidEditIsIgnored() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                rate:
                  rules:
                    - {id: ip-burst, key: ip, limit: 10, window: 60s}
                signatures:
                  - {id: canary-a, category: sensitive_path, in: [path], pattern: 'canary-alpha'}
                """);
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            burst.append(access("192.0.2.77", "/page/" + i));
        }
        append(burst.toString() + access("192.0.2.1", "/canary-alpha") + access("192.0.2.1", "/canary-beta"));
        start(rules);
        await().atMost(Duration.ofSeconds(20)).until(() -> lines("info.log").size() == 10);
        assertThat(record("t9").path("threat").path("rule").asText()).isEqualTo("canary-a");
        assertThat(record("t10").has("threat")).isFalse();
        assertThat(lines("info.log")).noneMatch(n -> n.path("threat").path("category").asText().equals("rate"));

        RulesFile rulesFile = pipeline.bean("rulesFile", RulesFile.class);
        Files.writeString(rules, """
                rate:
                  rules:
                    - {id: ip-burst, key: ip, limit: 9, window: 60s}
                signatures:
                  - {id: canary-b, category: sensitive_path, in: [path], pattern: 'canary-beta'}
                """);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> rulesFile.current().signatures().get(0).id().equals("canary-b"));
        // the 8 requests counted before the edit still count: the 10th from that address is past the new limit of 9
        append(access("192.0.2.77", "/page/8") + access("192.0.2.77", "/page/9")
                + access("192.0.2.1", "/canary-alpha") + access("192.0.2.1", "/canary-beta"));
        await().atMost(Duration.ofSeconds(20)).until(() -> lines("info.log").size() == 14);
        assertThat(record("t11").has("threat")).isFalse();
        assertThat(record("t12").path("threat").path("rule").asText()).isEqualTo("ip-burst");
        assertThat(record("t13").has("threat")).isFalse();
        assertThat(record("t14").path("threat").path("rule").asText()).isEqualTo("canary-b");

        // a broken edit (an unclosed group) is rejected; the rules in force stay
        Files.writeString(rules, """
                signatures:
                  - {id: broken, category: sqli, in: [query], pattern: 'union (select'}
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> rulesFile.lastRejection() != null);
        assertThat(rulesFile.lastRejection()).contains("signatures[0].pattern");
        append(access("192.0.2.1", "/canary-beta"));
        await().atMost(Duration.ofSeconds(20)).until(() -> lines("info.log").size() == 15);
        assertThat(record("t15").path("threat").path("rule").asText()).isEqualTo("canary-b");
        assertThat(rulesFile.current().signatures()).extracting(r -> r.id()).containsExactly("canary-b");
    }
}
