package io.proxywatch.fleet;

import io.proxywatch.detect.RateRule;
import io.proxywatch.detect.WindowStore;
import io.proxywatch.testkit.LogLines;
import io.proxywatch.testkit.MutableClock;
import io.proxywatch.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shared windows against a real redis-server: counts add up across instances, keys expire, Redis failures. */
class RedisWindowStoreTest {
    private static final RateRule BURST = new RateRule("ip-burst", "ip", 100, Duration.ofSeconds(10), "high");
    private static final String IP = "203.0.113.9";
    private static final long KEY = 0x5eed_0001L;

    private static RedisServer redis;
    private final MutableClock clock = new MutableClock();
    private final String fleet = "t" + System.nanoTime();
    private final long t0 = System.currentTimeMillis();
    private final List<RedisLink> links = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void redisUp() throws Exception {
        redis.ensureRunning();
    }

    @AfterEach
    void closeLinks() {
        links.forEach(RedisLink::close);
    }

    private RedisWindowStore store(String instance, int timeoutMs, int maxPending) {
        RedisLink link = new RedisLink(RedisEndpoint.parse(redis.url()), null, "test-" + instance, timeoutMs, 1000, clock);
        links.add(link);
        return new RedisWindowStore(new FleetKeys(fleet), link, instance, maxPending);
    }

    private RedisWindowStore store(String instance) {
        return store(instance, 1000, RedisWindowStore.MAX_PENDING);
    }

    private static int count(WindowStore.Window w, int n, long timeMs) {
        int last = 0;
        for (int i = 0; i < n; i++) {
            last = w.add(KEY, IP, null, timeMs + i);
        }
        return last;
    }

    @Test
    void twoInstancesCountOneWindowAndTheOneThatTakesItOverTheLimitSeesACrossing() {
        RedisWindowStore a = store("a");
        RedisWindowStore b = store("b");
        WindowStore.Window wa = a.window(BURST, 1000);
        WindowStore.Window wb = b.window(BURST, 1000);

        assertThat(count(wa, 60, t0)).isEqualTo(60);
        a.endChunk();
        a.flush();
        assertThat(a.crossings()).isEmpty();

        assertThat(count(wb, 60, t0)).as("b knows nothing of a's requests before its flush").isEqualTo(60);
        b.endChunk();
        b.flush();
        assertThat(b.crossings()).singleElement().satisfies(c -> {
            assertThat(c.rule()).isEqualTo("ip-burst");
            assertThat(c.key()).isEqualTo(IP);
            assertThat(c.count()).isEqualTo(120);
            assertThat(c.timeMs()).isEqualTo(t0 + 59);
        });
        // from now on b counts a's 60 on top of its own
        assertThat(wb.add(KEY, IP, null, t0 + 100)).isEqualTo(121);

        // a learns about b's requests with its next flush
        assertThat(wa.add(KEY, IP, null, t0 + 100)).isEqualTo(61);
        a.endChunk();
        a.flush();
        assertThat(a.crossings()).singleElement().extracting(WindowStore.Crossing::count).isEqualTo(121);
        assertThat(wa.add(KEY, IP, null, t0 + 101)).isEqualTo(62 + 60);

        try (Jedis j = redis.client()) {
            String key = "pw:" + fleet + ":{" + IP + "}:ip-burst";
            assertThat(j.hgetAll(key)).containsKeys("@a", "@b");
        }
        assertThat(a.flushes()).isEqualTo(2);
    }

    /**
     * One line stamped years ahead costs the other instances' counts one flush, not every flush until that time:
     * views were pruned against the newest slot ever flushed, so each view learnt afterwards was dropped at once.
     */
    @Test
    void aLineFromTheFutureDoesNotDropTheOtherInstancesCountsForGood() {
        RedisWindowStore a = store("a");
        RedisWindowStore b = store("b");
        WindowStore.Window wa = a.window(BURST, 1000);
        WindowStore.Window wb = b.window(BURST, 1000);
        count(wb, 60, t0);
        b.endChunk();
        b.flush();
        count(wa, 60, t0);
        a.endChunk();
        a.flush();
        assertThat(wa.add(KEY, IP, null, t0 + 100)).isEqualTo(121); // a's 61 and b's 60

        wa.add(KEY + 7, "203.0.113.99", null, t0 + 10L * 365 * 86_400_000);
        a.endChunk();
        a.flush();
        wa.add(KEY, IP, null, t0 + 200);
        a.endChunk();
        a.flush();
        assertThat(wa.add(KEY, IP, null, t0 + 300)).as("b's 60 are counted again").isEqualTo(123);
    }

    @Test
    void aClientsKeysShareOneHashTagAndExpireWithTheirWindow() {
        RateRule shortBurst = new RateRule("ip-burst", "ip", 5, Duration.ofMillis(500), "high");
        RateRule shortPath = new RateRule("ip-path-burst", "ip_path", 5, Duration.ofMillis(500), "high");
        RedisWindowStore a = store("a");
        WindowStore.Window burst = a.window(shortBurst, 1000);
        WindowStore.Window path = a.window(shortPath, 1000);
        for (int i = 0; i < 3; i++) {
            burst.add(KEY, "198.51.100.7", null, t0);
            path.add(KEY + 1, "198.51.100.7", "/login?user={admin}", t0);
        }
        a.endChunk();
        a.flush();
        try (Jedis j = redis.client()) {
            Set<String> keys = j.keys("pw:" + fleet + ":*");
            assertThat(keys).hasSize(2).allMatch(k -> k.startsWith("pw:" + fleet + ":{198.51.100.7}:"));
            for (String k : keys) {
                assertThat(j.pttl(k)).as(k).isBetween(1L, 500L + RedisWindowStore.EXPIRY_SLACK_MS);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> j.keys("pw:" + fleet + ":*").isEmpty());
        }
    }

    @Test
    void redisDownFallsBackToLocalCountsAtOnceLogsItOnceAndSharesAgainWhenBack() throws Exception {
        try (LogLines log = new LogLines()) {
            RedisWindowStore a = store("a");
            WindowStore.Window w = a.window(BURST, 1000);
            count(w, 10, t0);
            a.endChunk();
            a.flush();
            assertThat(a.sharing()).isTrue();

            redis.stop();
            count(w, 10, t0);
            a.endChunk();
            a.flush();
            assertThat(a.sharing()).isFalse();
            // local counting goes on, and nothing is buffered for Redis meanwhile
            assertThat(count(w, 10, t0)).isEqualTo(30);
            for (int i = 0; i < 3; i++) {
                clock.advance(2000);
                a.endChunk();
                a.flush();
            }
            assertThat(a.sharing()).isFalse();
            assertThat(log.count("WARN", "proxywatch.fleet", "unreachable")).as(String.join("\n", log.lines())).isEqualTo(1);

            redis.restart();
            clock.advance(2000);
            a.flush(); // nothing to send: a ping finds Redis again
            assertThat(a.sharing()).isTrue();
            assertThat(log.count("INFO", "proxywatch.fleet", "answers again")).isEqualTo(1);
            count(w, 5, t0);
            a.endChunk();
            a.flush();
            try (Jedis j = redis.client()) {
                assertThat(j.hget("pw:" + fleet + ":{" + IP + "}:ip-burst", "@a")).isNotNull();
            }
        }
    }

    @Test
    void aHungRedisNeverHoldsUpCountingAndTheBufferStaysBounded() throws Exception {
        RedisWindowStore a = store("a", 3000, 50_000);
        WindowStore.Window w = a.window(BURST, 100_000);
        count(w, 10, t0);
        a.endChunk();
        a.flush(); // connected
        redis.pause();
        try {
            count(w, 1000, t0);
            a.endChunk();
            Thread flusher = new Thread(a::flush, "test-flusher");
            flusher.start();
            long started = System.nanoTime();
            for (int chunk = 0; chunk < 200; chunk++) {
                for (int i = 0; i < 1000; i++) {
                    w.add(chunk * 1000L + i, "10.0." + chunk + "." + (i & 255), null, t0);
                }
                a.endChunk();
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(flusher.isAlive()).as("the flush is still waiting for Redis").isTrue();
            assertThat(elapsedMs).as("200,000 requests counted meanwhile").isLessThan(3000);
            assertThat(a.dropped()).as("beyond 50,000 waiting requests the oldest are dropped").isGreaterThan(0);
            flusher.join(10_000);
        } finally {
            redis.resume();
        }
    }
}
