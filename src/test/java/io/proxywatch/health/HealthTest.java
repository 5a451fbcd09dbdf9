package io.proxywatch.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxywatch.tail.FileStatus;
import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock();
    private boolean shippingOn = true;
    private boolean collectorDown;
    private int spoolBatches;
    private long lastDelivered = clock.millis();
    private long backlogSince;
    private String camelStatus = "Started";
    private final List<String> routesDown = new ArrayList<>();
    private final List<FileStatus> files = new ArrayList<>();

    private final SelfHealth.Gauges gauges = new SelfHealth.Gauges() {
        public boolean shippingOn() { return shippingOn; }
        public boolean shippingBacklog() { return collectorDown || spoolBatches > 0; }
        public boolean collectorDown() { return collectorDown; }
        public long lastDeliveredMs() { return lastDelivered; }
        public long backlogSinceMs() { return backlogSince; }
        public int spoolBatches() { return spoolBatches; }
        public long spoolBytes() { return 300; }
        public long spoolMaxBytes() { return 1000; }
        public List<FileStatus> files() { return files; }
        public io.proxywatch.fleet.FleetState fleet() { return fleet; }
    };
    private io.proxywatch.fleet.FleetState fleet = io.proxywatch.fleet.FleetState.OFF;

    private final Health.Runtime runtime = new Health.Runtime() {
        public String status() { return camelStatus; }
        public boolean started() { return camelStatus.equals("Started"); }
        public boolean dead() { return camelStatus.equals("Stopped"); }
        public int routes() { return 20; }
        public List<String> routesNotStarted() { return routesDown; }
    };

    private final Health health = new Health(clock, new Health.Limits(2000, 600_000), () -> gauges, runtime,
            clock.millis());

    private static JsonNode json(HealthReport.Answer a) throws Exception {
        return JSON.readTree(a.body());
    }

    @Test
    void readyWhileShippingKeepsUp() throws Exception {
        files.add(new FileStatus("/var/log/caddy/access.log", 500, 400, 100, 9, 0, false, "UTF-8", clock.millis()));
        HealthReport.Answer a = health.all();
        assertThat(a.status()).isEqualTo(200);
        JsonNode body = json(a);
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.at("/live/status").asText()).isEqualTo("UP");
        assertThat(body.at("/ready/status").asText()).isEqualTo("UP");
        assertThat(body.at("/ready/checks")).extracting(c -> c.get("name").asText())
                .containsExactly("camel", "shipping", "spool", "files", "fleet");
        assertThat(body.at("/ready/checks")).allSatisfy(c -> {
            assertThat(c.get("status").asText()).isEqualTo("UP");
            assertThat(c.get("detail").asText()).isNotBlank();
        });
        assertThat(body.at("/ready/spool/percent").asLong()).isEqualTo(30);
        assertThat(body.at("/ready/files/0/path").asText()).isEqualTo("/var/log/caddy/access.log");
        assertThat(body.at("/ready/files/0/lag_bytes").asLong()).isEqualTo(100);
    }

    @Test
    void unreadyOnceShippingStallsPastTheLimitAndReadyAgainOnDelivery() throws Exception {
        collectorDown = true;
        spoolBatches = 3;
        clock.advance(1999);
        assertThat(health.all().status()).as("below the limit").isEqualTo(200);
        clock.advance(1);
        HealthReport.Answer a = health.all();
        assertThat(a.status()).isEqualTo(503);
        JsonNode body = json(a);
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(body.at("/ready/checks/1/name").asText()).isEqualTo("shipping");
        assertThat(body.at("/ready/checks/1/status").asText()).isEqualTo("DOWN");
        assertThat(body.at("/ready/checks/1/detail").asText()).contains("stalled").contains("collector down");
        assertThat(health.live().status()).as("a collector outage is no reason to restart").isEqualTo(200);
        assertThat(health.ready().status()).isEqualTo(503);

        lastDelivered = clock.millis(); // the collector took a spooled batch
        collectorDown = false;
        assertThat(health.all().status()).isEqualTo(200);
    }

    @Test
    void idleWithNothingWaitingIsNeverStalledAndOffIsOff() {
        clock.advance(3_600_000);
        assertThat(health.all().status()).isEqualTo(200);
        shippingOn = false;
        collectorDown = true;
        assertThat(health.report().readyCheck("shipping").detail()).startsWith("off");
        assertThat(health.all().status()).isEqualTo(200);
        Health noLimit = new Health(clock, new Health.Limits(0, 0), () -> gauges, runtime,
            clock.millis());
        shippingOn = true;
        assertThat(noLimit.all().status()).as("limit 0 turns the check off").isEqualTo(200);
        assertThat(health.all().status()).isEqualTo(503);
    }

    @Test
    void aRouteNotRunningOrCamelNotStartedIsUnready() throws Exception {
        routesDown.add("ship-replay");
        assertThat(health.all().status()).isEqualTo(503);
        assertThat(health.report().readyCheck("camel").detail()).contains("ship-replay");
        routesDown.clear();
        camelStatus = "Stopping";
        assertThat(health.ready().status()).isEqualTo(503);
        assertThat(health.live().status()).as("draining is still alive").isEqualTo(200);
        camelStatus = "Stopped";
        assertThat(health.live().status()).isEqualTo(503);
        assertThat(json(health.live()).has("ready")).isFalse();
        assertThat(json(health.ready()).has("live")).isFalse();
    }

    @Test
    void aQuietFileIsReportedStaleButDoesNotFailReadiness() throws Exception {
        files.add(new FileStatus("/var/log/caddy/access.log", 10, 10, 0, 1, 0, false, "UTF-8", clock.millis()));
        clock.advance(600_000);
        HealthReport.Answer a = health.all();
        assertThat(a.status()).isEqualTo(200);
        assertThat(json(a).at("/ready/files/0/stale").asBoolean()).isTrue();
        assertThat(json(a).at("/ready/files/0/idle_seconds").asLong()).isEqualTo(600);
    }

    @Test
    void fleetModeFallingBackToLocalWindowsIsSaidButKeepsProxywatchReady() throws Exception {
        fleet = new io.proxywatch.fleet.FleetState("local", "redis://127.0.0.1:6379/0", "edge", "pw-a", 1, 3, 10, 900,
                1200, 0, 0, 0, "Connection refused");
        HealthReport.Answer a = health.all();
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).contains("\"name\":\"fleet\"").contains("DEGRADED: Redis unreachable (Connection refused)");

        fleet = new io.proxywatch.fleet.FleetState("shared", "redis://127.0.0.1:6379/0", "edge", "pw-a", 1, 3, 11, 900,
                1200, 0, 0, 0, "");
        assertThat(health.all().body()).contains("shared through redis://127.0.0.1:6379/0").doesNotContain("DEGRADED");
    }
}
