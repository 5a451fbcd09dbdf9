package io.proxywatch.fleet;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.detect.RateRule;
import io.proxywatch.detect.WindowStore;
import io.proxywatch.testkit.MutableClock;
import io.proxywatch.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One alert per fleet incident, decided in a real redis-server. */
class FleetAlertsTest {
    private static final RateRule BURST = new RateRule("ip-burst", "ip", 100, Duration.ofSeconds(10), "high");
    private static final String IP = "203.0.113.9";

    private static RedisServer redis;
    private final MutableClock clock = new MutableClock();
    private final String fleet = "t" + System.nanoTime();
    private final List<RedisLink> links = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void closeLinks() {
        links.forEach(RedisLink::close);
    }

    /** An instance: its link, its store (having counted {@code requests} of the burst) and its alerts. */
    private FleetAlerts instance(String name, int requests, RedisServer server) {
        RedisLink link = new RedisLink(RedisEndpoint.parse(server.url()), null, name, 1000, 1000, clock);
        links.add(link);
        FleetKeys keys = new FleetKeys(fleet);
        RedisWindowStore store = new RedisWindowStore(keys, link, name, 10_000);
        WindowStore.Window w = store.window(BURST, 1000);
        long t = System.currentTimeMillis();
        for (int i = 0; i < requests; i++) {
            w.add(42, IP, null, t);
        }
        store.endChunk();
        store.flush();
        return new FleetAlerts(keys, fleet, name, link, clock, 1000, id -> id.equals("ip-burst") ? BURST : null);
    }

    private static AlertEvent event(String rule, String category, String state) {
        Instant now = Instant.now();
        return new AlertEvent(rule, category, "high", state, IP, 1, now, now, IP + ": 101 requests in 10s (limit 100)",
                List.of("203.0.113.9 GET /"));
    }

    @Test
    void severalInstancesOverTheLimitRaiseOneAlertNamingThemAll() {
        FleetAlerts a = instance("pw-a", 40, redis);
        FleetAlerts b = instance("pw-b", 40, redis);
        FleetAlerts c = instance("pw-c", 40, redis);
        AlertEvent firing = event("ip-burst", "rate", AlertEvent.FIRING);
        AlertEvent sqli = event("sqli-union-select", "sqli", AlertEvent.FIRING);

        assertThat(a.hold(List.of(firing, sqli))).as("signature events are not the fleet's").containsExactly(sqli);
        assertThat(b.hold(List.of(firing))).isEmpty();
        assertThat(c.hold(List.of(firing))).isEmpty();
        List<AlertEvent> raised = new ArrayList<>();
        for (FleetAlerts x : List.of(a, b, c)) {
            raised.addAll(x.settle());
        }
        assertThat(raised).as("the winner waits for the others to be named").isEmpty();
        assertThat(a.won() + b.won() + c.won()).isEqualTo(1);
        assertThat(a.leftToPeers() + b.leftToPeers() + c.leftToPeers()).isEqualTo(2);

        clock.advance(1000);
        for (FleetAlerts x : List.of(a, b, c)) {
            raised.addAll(x.settle());
        }
        assertThat(raised).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AlertEvent.FIRING);
            assertThat(e.summary()).contains("120 requests in 10s across fleet '" + fleet + "' (limit 100)")
                    .endsWith("seen by pw-a, pw-b, pw-c");
        });

        // the winner resolves what it raised; the others' resolved events are dropped
        FleetAlerts winner = a.won() == 1 ? a : b.won() == 1 ? b : c;
        AlertEvent resolved = event("ip-burst", "rate", AlertEvent.RESOLVED);
        for (FleetAlerts x : List.of(a, b, c)) {
            assertThat(x.hold(List.of(resolved))).hasSize(x == winner ? 1 : 0);
        }
        try (Jedis j = redis.client()) {
            String alertKey = "pw:" + fleet + ":{" + IP + "}:ip-burst:alert";
            assertThat(j.pttl(alertKey)).as("the de-duplication key expires with the window").isBetween(1L, 10_000L);
        }
    }

    @Test
    void aResolvedEventThatComesWhileItsClaimWaitsIsToldAfterTheFiringOne() {
        FleetAlerts a = instance("pw-a", 120, redis);
        AlertEvent firing = event("ip-burst", "rate", AlertEvent.FIRING);
        AlertEvent resolved = event("ip-burst", "rate", AlertEvent.RESOLVED);
        AlertEvent peers = new AlertEvent("ip-burst", "rate", "high", AlertEvent.RESOLVED, "198.51.100.7", 1,
                Instant.now(), Instant.now(), "198.51.100.7: quiet", List.of());

        assertThat(a.hold(List.of(firing))).isEmpty();
        assertThat(a.hold(List.of(resolved))).as("held with its claim").isEmpty();
        assertThat(a.settle()).isEmpty();
        assertThat(a.hold(List.of(peers))).as("a burst this instance has no claim for is a peer's").isEmpty();
        clock.advance(1000);
        assertThat(a.settle()).extracting(AlertEvent::state).containsExactly(AlertEvent.FIRING, AlertEvent.RESOLVED);
        // told and resolved: a later resolved event of that key is nobody's here
        assertThat(a.hold(List.of(resolved))).isEmpty();
        assertThat(a.settle()).isEmpty();
    }

    @Test
    void aClaimRedisCannotDecideIsToldLocallyAtOnce() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            FleetAlerts a = instance("pw-a", 10, own);
            AlertEvent firing = event("ip-burst", "rate", AlertEvent.FIRING);
            assertThat(a.hold(List.of(firing))).isEmpty();
            own.stop();
            assertThat(a.settle()).containsExactly(firing);
            // and while Redis is known down, nothing is held at all
            assertThat(a.hold(List.of(firing))).containsExactly(firing);
        }
    }
}
