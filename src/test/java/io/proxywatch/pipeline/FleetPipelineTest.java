package io.proxywatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxywatch.fleet.Fleet;
import io.proxywatch.testkit.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8 on the packaged routes: three proxywatch pipelines in this JVM share one redis-server, each following
 * its own proxy's log, and a burst from one address is split between them as a load balancer would.
 */
class FleetPipelineTest {
    private static final String ATTACKER = "203.0.113.77";

    @TempDir
    Path dir;

    private RedisServer redis;
    private final String fleet = "it" + System.nanoTime();
    private final List<InProcessPipeline> pipelines = new ArrayList<>();
    private int lineNo;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        pipelines.forEach(InProcessPipeline::close);
        redis.close();
    }

    private Path instanceDir(String name) {
        return dir.resolve(name);
    }

    private void startFleet(String... names) {
        for (String name : names) {
            pipelines.add(InProcessPipeline.start(instanceDir(name),
                    "proxywatch.fleet.redis-url", redis.url(),
                    "proxywatch.fleet.name", fleet,
                    "proxywatch.fleet.instance", name,
                    "proxywatch.fleet.flush-interval-ms", "100",
                    "proxywatch.fleet.alert-wait-ms", "1500"));
        }
    }

    /** {@code n} Caddy access lines from {@code ip}, stamped now (the packaged ip-burst rule: 100 in 10 s). */
    private String burst(String ip, int n) {
        StringBuilder sb = new StringBuilder();
        double now = System.currentTimeMillis() / 1000.0;
        for (int i = 0; i < n; i++) {
            lineNo++;
            sb.append("{\"level\":\"info\",\"ts\":").append(String.format("%.3f", now + i / 1000.0))
                    .append(",\"logger\":\"http.log.access\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"")
                    .append(ip).append("\",\"method\":\"GET\",\"uri\":\"/item/").append(lineNo)
                    .append("\",\"headers\":{\"User-Agent\":[\"Mozilla/5.0\"]}},\"status\":200,\"duration\":0.002,")
                    .append("\"size\":12,\"trace_id\":\"t").append(lineNo).append("\"}\n");
        }
        return sb.toString();
    }

    private void feed(String name, String text) throws IOException {
        InProcessPipeline.append(instanceDir(name), "caddy.log", text);
    }

    private int infoLines(String name) throws IOException {
        return InProcessPipeline.jsonLines(instanceDir(name), "info.log").size();
    }

    private List<JsonNode> firingRateAlerts(String ip, String... names) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String name : names) {
            for (JsonNode a : InProcessPipeline.jsonLines(instanceDir(name), "alerts.log")) {
                if (a.path("category").asText().equals("rate") && a.path("state").asText().equals("firing")
                        && a.path("key").asText().equals(ip)) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    @Test
    void threeInstancesEachSeeingAThirdOfABurstRaiseExactlyOneAlertNamingAllThree() throws Exception {
        startFleet("pw-a", "pw-b", "pw-c");
        // 300 requests in well under 10 s, 100 through each proxy: none of them alone is over the limit of 100
        for (String name : List.of("pw-a", "pw-b", "pw-c")) {
            feed(name, burst(ATTACKER, 100));
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                infoLines("pw-a") == 100 && infoLines("pw-b") == 100 && infoLines("pw-c") == 100);
        await().atMost(Duration.ofSeconds(20)).until(() -> !firingRateAlerts(ATTACKER, "pw-a", "pw-b", "pw-c").isEmpty());
        // and no second one follows from the instances that lost the claim
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> firingRateAlerts(ATTACKER, "pw-a", "pw-b", "pw-c").size() == 1);
        JsonNode alert = firingRateAlerts(ATTACKER, "pw-a", "pw-b", "pw-c").get(0);
        assertThat(alert.path("rule").asText()).isEqualTo("ip-burst");
        assertThat(alert.path("summary").asText())
                .contains("300 requests in 10s across fleet '" + fleet + "' (limit 100)")
                .endsWith("seen by pw-a, pw-b, pw-c");
        long raised = 0;
        for (InProcessPipeline p : pipelines) {
            raised += p.bean("fleet", Fleet.class).state().alertsWon();
            assertThat(p.bean("fleet", Fleet.class).state().mode()).isEqualTo("shared");
        }
        assertThat(raised).isEqualTo(1);
    }

    @Test
    void redisStoppedMidBurstLosesNoLineAndDetectionGoesOnLocally() throws Exception {
        startFleet("pw-a", "pw-b", "pw-c");
        for (String name : List.of("pw-a", "pw-b", "pw-c")) {
            feed(name, burst(ATTACKER, 50));
        }
        String counter = "pw:" + fleet + ":{" + ATTACKER + "}:ip-burst";
        try (Jedis j = redis.client()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> fleetCount(j.hgetAll(counter)) == 150);
        }

        redis.stop();
        for (String name : List.of("pw-a", "pw-b", "pw-c")) {
            feed(name, burst(ATTACKER, 50));
        }
        // a burst that pw-a alone sees must still be caught, by its own windows
        feed("pw-a", burst("198.51.100.66", 150));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                infoLines("pw-a") == 250 && infoLines("pw-b") == 100 && infoLines("pw-c") == 100);
        await().atMost(Duration.ofSeconds(10)).until(() -> pipelines.stream()
                .allMatch(p -> p.bean("fleet", Fleet.class).state().mode().equals("local")));
        for (InProcessPipeline p : pipelines) {
            assertThat(p.bean("fleet", Fleet.class).state().fallbacks()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> firingRateAlerts("198.51.100.66", "pw-a").size() == 1);
        assertThat(firingRateAlerts("198.51.100.66", "pw-a").get(0).path("summary").asText())
                .contains("requests in 10s (limit 100)").doesNotContain("fleet");
    }

    private static long fleetCount(Map<String, String> counter) {
        return counter.entrySet().stream().filter(e -> !e.getKey().startsWith("@"))
                .mapToLong(e -> Long.parseLong(e.getValue())).sum();
    }
}
