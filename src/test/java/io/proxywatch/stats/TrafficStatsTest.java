package io.proxywatch.stats;

import io.proxywatch.record.LogRecord;
import io.proxywatch.record.TextHash;
import io.proxywatch.testkit.MutableClock;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.proxywatch.stats.Traffic.access;
import static io.proxywatch.stats.Traffic.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrafficStatsTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private final MutableClock clock = new MutableClock();
    private final TrafficStats stats = new TrafficStats(clock);

    @Test
    void theSecondBeingRecordedIsCountedOnceItIsOver() {
        clock.advance(300);
        stats.record(List.of(ok("api"), ok("api")));
        assertThat(stats.snapshot(MINUTE, null).requests()).isZero();
        clock.advance(700);
        StatsSnapshot s = stats.snapshot(MINUTE, null);
        assertThat(s.requests()).isEqualTo(2);
        assertThat(s.seconds()).isEqualTo(1);
        assertThat(s.to()).isEqualTo(clock.instant());
    }

    @Test
    void aRecordSixtyOneSecondsAgoIsOutOfAOneMinuteWindow() {
        clock.advance(60_000);
        stats.record(List.of(ok("api")));
        clock.advance(60_000);
        assertThat(stats.snapshot(MINUTE, null).requests()).as("60 s ago").isEqualTo(1);
        clock.advance(1_000);
        StatsSnapshot s = stats.snapshot(MINUTE, null);
        assertThat(s.requests()).as("61 s ago").isZero();
        assertThat(s.seconds()).isEqualTo(60);
        assertThat(s.qps()).isZero();
    }

    @Test
    void shortlyAfterStartAWindowCountsOnlyTheSecondsSinceStart() {
        List<LogRecord> hundred = Traffic.mix(100, 0, 200, 5, "api");
        stats.record(hundred);
        clock.advance(1_000);
        stats.record(hundred);
        clock.advance(1_000);
        StatsSnapshot s = stats.snapshot(MINUTE, null);
        assertThat(s.seconds()).isEqualTo(2);
        assertThat(s.qps()).isEqualTo(100.0);
        assertThat(s.from()).isEqualTo(clock.instant().minusSeconds(2));

        StatsSnapshot atStart = new TrafficStats(clock).snapshot(MINUTE, null);
        assertThat(atStart.seconds()).isZero();
        assertThat(atStart.qps()).isZero();
        assertThat(atStart.errorRate5xx()).isZero();
    }

    @Test
    void secondsWithoutTrafficReadAsZeroAndTheRingIsRecycled() {
        TrafficStats ten = new TrafficStats(clock, StatsLimits.defaults().withMaxWindow(Duration.ofSeconds(10)));
        Duration window = Duration.ofSeconds(10);
        ten.record(Traffic.mix(5, 0, 200, 5, null));
        clock.advance(3_000);
        ten.record(Traffic.mix(2, 0, 200, 5, null));
        clock.advance(1_000);
        assertThat(ten.snapshot(window, null).requests()).isEqualTo(7);

        // 11 s later the ring (10 s + the open second) comes back to the bucket that held the 2: it is reset
        clock.advance(10_000);
        ten.record(Traffic.mix(3, 0, 200, 5, null));
        clock.advance(1_000);
        StatsSnapshot s = ten.snapshot(window, null);
        assertThat(s.requests()).isEqualTo(3);
        assertThat(s.statusCounts()).isEqualTo(Map.of(200, 3L));

        // a gap far longer than the ring: nothing stale comes back, nothing is held
        clock.advance(3_600_000);
        assertThat(ten.snapshot(window, null).requests()).isZero();
        assertThat(ten.keysHeld()).isZero();
        assertThat(ten.latencyBinsHeld()).isZero();
        clock.advance(7_000);
        ten.record(Traffic.mix(4, 0, 200, 5, null));
        clock.advance(1_000);
        assertThat(ten.snapshot(window, null).requests()).isEqualTo(4);
    }

    @Test
    void aWindowLongerThanTheRingIsClamped() {
        clock.advance(3_600_000);
        StatsSnapshot s = stats.snapshot(Duration.ofHours(1), null);
        assertThat(s.window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.seconds()).isEqualTo(300);
        assertThatThrownBy(() -> stats.snapshot(Duration.ZERO, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClockSteppingBackKeepsRecordingIntoTheLatestSecond() {
        clock.advance(5_000);
        stats.record(List.of(ok("api")));
        clock.advance(-3_000);
        stats.record(List.of(ok("api")));
        clock.advance(4_000);
        assertThat(stats.snapshot(MINUTE, null).requests()).isEqualTo(2);
    }

    @Test
    void percentilesOfAUniformDistributionWithinHdrHistogramPrecision() {
        List<LogRecord> records = new ArrayList<>();
        for (int ms = 1; ms <= 1000; ms++) {
            records.add(access(200, (double) ms, "10.0.0.1", "/", "api"));
        }
        Collections.shuffle(records, new Random(7));
        stats.record(records);
        clock.advance(1_000);
        StatsSnapshot s = stats.snapshot(MINUTE, null);
        assertThat(s.latencyCount()).isEqualTo(1000);
        // two significant digits: within 1%
        assertThat(s.p50LatencyMs()).isCloseTo(500, within(5.0));
        assertThat(s.p95LatencyMs()).isCloseTo(950, within(9.5));
        assertThat(s.p99LatencyMs()).isCloseTo(990, within(9.9));
        assertThat(s.metric("p99_latency_ms")).isEqualTo(s.p99LatencyMs());
    }

    @Test
    void percentilesMergedOverSecondsEqualThoseOfOneHistogramFedEverything() {
        Random random = new Random(42);
        Histogram reference = LatencyBins.newHistogram();
        for (int second = 0; second < 30; second++) {
            List<LogRecord> chunk = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                double ms = Math.exp(random.nextGaussian() * 1.5 + 2); // long-tailed, from microseconds to seconds
                chunk.add(access(200, ms, "10.0.0.1", "/", "api"));
                reference.recordValue(LatencyBins.micros(ms));
            }
            stats.record(chunk);
            clock.advance(1_000);
        }
        StatsSnapshot s = stats.snapshot(MINUTE, null);
        assertThat(s.latencyCount()).isEqualTo(6000);
        assertThat(s.p50LatencyMs()).isEqualTo(reference.getValueAtPercentile(50) / 1000.0);
        assertThat(s.p95LatencyMs()).isEqualTo(reference.getValueAtPercentile(95) / 1000.0);
        assertThat(s.p99LatencyMs()).isEqualTo(reference.getValueAtPercentile(99) / 1000.0);
    }

    @Test
    void recordsWithoutLatencyCountAsRequestsButNotInTheHistogram() {
        stats.record(List.of(access(200, null, "a", "/", null), access(200, 40.0, "a", "/", null),
                access(200, -1.0, "a", "/", null), access(200, 1e12, "a", "/", null)));
        LogRecord notAccess = new LogRecord();
        notAccess.setMessage("upstream connect error");
        stats.record(List.of(notAccess));
        clock.advance(1_000);
        StatsSnapshot s = stats.snapshot(MINUTE, null);
        assertThat(s.requests()).isEqualTo(4);
        assertThat(s.latencyCount()).as("missing and negative left out, huge clamped").isEqualTo(2);
        assertThat(s.p99LatencyMs()).isCloseTo(600_000, within(6_000.0));
    }

    @Test
    void errorRatesAndStatusCounts() {
        List<LogRecord> chunk = new ArrayList<>(Traffic.mix(70, 0, 200, 5, "api"));
        chunk.addAll(Traffic.mix(10, 10, 404, 5, "api"));
        chunk.addAll(Traffic.mix(5, 5, 429, 5, "api"));
        chunk.addAll(Traffic.mix(12, 12, 502, 5, "api"));
        chunk.addAll(Traffic.mix(3, 3, 503, 5, "api"));
        stats.record(chunk);
        clock.advance(1_000);
        StatsSnapshot s = stats.snapshot(MINUTE, null);
        assertThat(s.requests()).isEqualTo(100);
        assertThat(s.errorRate4xx()).isEqualTo(0.15);
        assertThat(s.errorRate5xx()).isEqualTo(0.15);
        assertThat(s.metric("error_rate_5xx")).isEqualTo(0.15);
        assertThat(s.statusCounts()).containsExactly(Map.entry(200, 70L), Map.entry(404, 10L), Map.entry(429, 5L),
                Map.entry(502, 12L), Map.entry(503, 3L));
        assertThat(s.metric("requests")).isEqualTo(100);
        assertThat(s.metric("qps")).isEqualTo(100);
        assertThatThrownBy(() -> s.metric("p98_latency")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown metric 'p98_latency'; known: qps, requests");
    }

    @Test
    void topListsAreOrderedByCountThenKeyAndCutAtTen() {
        List<LogRecord> chunk = new ArrayList<>();
        for (int ip = 1; ip <= 12; ip++) {
            for (int n = 0; n < ip; n++) {
                chunk.add(access(200, 1.0, "10.0.0." + ip, "/page" + (ip % 3), null));
            }
        }
        chunk.add(access(404, 1.0, "10.0.0.99", "/wp-login.php", null));
        chunk.add(access(404, 1.0, "10.0.0.99", "/wp-login.php", null));
        chunk.add(access(404, 1.0, "10.0.0.98", "/.env", null));
        chunk.add(access(200, 1.0, "10.0.0.97", "/page0", null));
        stats.record(chunk.subList(0, 40));
        clock.advance(1_000);
        stats.record(chunk.subList(40, chunk.size()));
        clock.advance(1_000);
        StatsSnapshot s = stats.snapshot(MINUTE, null);
        assertThat(s.topClientIps()).hasSize(10);
        assertThat(s.topClientIps().subList(0, 3)).containsExactly(new KeyCount("10.0.0.12", 12),
                new KeyCount("10.0.0.11", 11), new KeyCount("10.0.0.10", 10));
        assertThat(s.topClientIps().get(9)).isEqualTo(new KeyCount("10.0.0.3", 3));
        // ties: by key
        assertThat(s.topPaths()).containsExactly(new KeyCount("/page0", 31), new KeyCount("/page2", 26),
                new KeyCount("/page1", 22), new KeyCount("/wp-login.php", 2), new KeyCount("/.env", 1));
        assertThat(s.top404Paths()).containsExactly(new KeyCount("/wp-login.php", 2), new KeyCount("/.env", 1));
        assertThat(s.topApproximate()).isFalse();
        assertThat(stats.metrics(MINUTE, null).topClientIps()).isEmpty();
    }

    @Test
    void perServiceSeriesAndRecordsWithoutAService() {
        stats.record(List.of(access(200, 10.0, "1.1.1.1", "/a", "api"), access(500, 20.0, "1.1.1.1", "/a", "api"),
                access(404, 30.0, "2.2.2.2", "/w", "web"), access(200, 40.0, "3.3.3.3", "/n", null)));
        clock.advance(1_000);
        assertThat(stats.services()).containsExactly("api", "web");

        StatsSnapshot all = stats.snapshot(MINUTE, null);
        assertThat(all.requests()).isEqualTo(4);
        assertThat(all.service()).isNull();
        assertThat(stats.snapshot(MINUTE, "all")).isEqualTo(all);
        assertThat(all.topClientIps()).containsExactly(new KeyCount("1.1.1.1", 2), new KeyCount("2.2.2.2", 1),
                new KeyCount("3.3.3.3", 1));

        StatsSnapshot api = stats.snapshot(MINUTE, "api");
        assertThat(api.service()).isEqualTo("api");
        assertThat(api.requests()).isEqualTo(2);
        assertThat(api.errorRate5xx()).isEqualTo(0.5);
        assertThat(api.latencyCount()).isEqualTo(2);
        assertThat(api.topClientIps()).containsExactly(new KeyCount("1.1.1.1", 2));
        assertThat(api.top404Paths()).isEmpty();

        StatsSnapshot web = stats.snapshot(MINUTE, "web");
        assertThat(web.errorRate4xx()).isEqualTo(1.0);
        assertThat(web.top404Paths()).containsExactly(new KeyCount("/w", 1));
        assertThat(web.p50LatencyMs()).isCloseTo(30, within(0.3));

        assertThat(stats.snapshot(MINUTE, "never-seen").requests()).isZero();
    }

    @Test
    void everythingsSeriesHoldsEveryServicesCountsAndLatencies() {
        // each record is counted into its own series only; everything's gets the services' when the second closes
        for (int second = 0; second < 3; second++) {
            stats.record(List.of(access(200, 10.0, "1.1.1.1", "/a", "api"), access(503, 900.0, "1.1.1.1", "/a", "api"),
                    access(404, 30.0, "2.2.2.2", "/w", "web"), access(201, 40.0, "3.3.3.3", "/n", null)));
            clock.advance(1_000);
        }
        StatsSnapshot all = stats.snapshot(MINUTE, null);
        assertThat(all.requests()).isEqualTo(12);
        assertThat(all.latencyCount()).isEqualTo(12);
        assertThat(all.statusCounts()).containsOnly(entry(200, 3L), entry(503, 3L), entry(404, 3L), entry(201, 3L));
        assertThat(all.errorRate5xx()).isEqualTo(0.25);
        assertThat(all.errorRate4xx()).isEqualTo(0.25);
        assertThat(all.p99LatencyMs()).isCloseTo(900, within(9.0));
        assertThat(all.p50LatencyMs()).isCloseTo(30, within(0.3));
        assertThat(stats.snapshot(MINUTE, "api").requests() + stats.snapshot(MINUTE, "web").requests())
                .as("the services' own series are not changed by the fold").isEqualTo(9);
    }

    @Test
    void aServiceSilentLongerThanTheRingReachesGivesItsSeriesToANewOne() {
        TrafficStats two = new TrafficStats(clock, new StatsLimits(Duration.ofMinutes(1), 2, 100, 10, 64));
        two.record(List.of(ok("canary-1"), ok("canary-2")));
        clock.advance(30_000);
        two.record(List.of(ok("canary-2")));
        clock.advance(31_000); // canary-1 last counted 61 s ago: no second of the ring holds it; canary-2 31 s ago
        two.record(List.of(ok("checkout"), ok("checkout"), ok("cart")));
        clock.advance(1_000);
        assertThat(two.services()).containsExactly("checkout", "canary-2", TrafficStats.OTHER);
        assertThat(two.snapshot(MINUTE, "checkout").requests()).isEqualTo(2);
        assertThat(two.snapshot(MINUTE, "canary-2").requests()).isEqualTo(1);
        assertThat(two.snapshot(MINUTE, "canary-1").requests()).as("forgotten").isZero();
        assertThat(two.snapshot(MINUTE, TrafficStats.OTHER).requests()).as("cart: both series in use").isEqualTo(1);
        assertThat(two.snapshot(MINUTE, null).requests()).isEqualTo(4);

        clock.advance(30_000); // canary-2's second has left the ring too: cart takes its series
        two.record(List.of(ok("cart")));
        clock.advance(1_000);
        assertThat(two.services()).containsExactly("checkout", "cart", TrafficStats.OTHER);
        assertThat(two.snapshot(Duration.ofSeconds(1), "cart").requests()).isEqualTo(1);
    }

    /** Folding into "other" is told each time it starts again, not once for the life of the process. */
    @Test
    void aFoldIsToldEachTimeItStartsAgain() {
        TrafficStats two = new TrafficStats(clock, new StatsLimits(Duration.ofMinutes(1), 2, 100, 10, 64));
        two.record(List.of(ok("a"), ok("b"), ok("c"), ok("c")));
        clock.advance(1_000);
        two.record(List.of(ok("a"), ok("b"), ok("d")));
        assertThat(two.foldWarnings()).as("one fold: c, then d a second later").isEqualTo(1);
        for (int i = 0; i < 61; i++) { // a and b keep their series; nothing is folded for a minute
            clock.advance(1_000);
            two.record(List.of(ok("a"), ok("b")));
        }
        two.record(List.of(ok("e")));
        assertThat(two.foldWarnings()).isEqualTo(2);
    }

    @Test
    void linesReadAgainAfterAFailureAreNotCountedAgain() {
        List<LogRecord> chunk = Traffic.mix(10, 5, 503, 5, "api");
        stats.record(chunk);
        chunk.forEach(r -> r.setReplayed(true));
        stats.record(chunk);
        stats.record(chunk);
        clock.advance(1_000);
        StatsSnapshot s = stats.snapshot(Duration.ofSeconds(10), null);
        assertThat(s.requests()).isEqualTo(10);
        assertThat(s.errorRate5xx()).isEqualTo(0.5);
    }

    @Test
    void aClockSteppedBackDoesNotFreezeTheWindows() {
        for (int i = 0; i < 10; i++) {
            stats.record(Traffic.mix(10, 0, 200, 5, "api"));
            clock.advance(1_000);
        }
        assertThat(stats.snapshot(Duration.ofSeconds(10), null).requests()).isEqualTo(100); // read every second
        clock.advance(-120_000);
        for (int i = 0; i < 10; i++) {
            stats.record(Traffic.mix(10, 10, 503, 5, "api"));
            clock.advance(1_000);
        }
        StatsSnapshot s = stats.snapshot(Duration.ofSeconds(10), null);
        assertThat(s.requests()).as("the ten seconds since the step").isEqualTo(100);
        assertThat(s.errorRate5xx()).isEqualTo(1.0);
        assertThat(s.qps()).isEqualTo(10.0);
        // once the clock has caught up, the statistics keep its time again: no drift into the future is kept
        clock.advance(130_000);
        assertThat(stats.snapshot(Duration.ofSeconds(10), null).to())
                .isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @Test
    void servicesPastTheCapAreFoldedIntoOther() {
        TrafficStats two = new TrafficStats(clock, new StatsLimits(Duration.ofMinutes(1), 2, 100, 10, 64));
        List<LogRecord> chunk = new ArrayList<>();
        for (String service : List.of("a", "b", "c", "d", "c")) {
            chunk.add(ok(service));
        }
        for (int i = 0; i < 10_000; i++) {
            chunk.add(ok("made-up-" + i));
        }
        two.record(chunk);
        clock.advance(1_000);
        assertThat(two.services()).containsExactly("a", "b", TrafficStats.OTHER);
        assertThat(two.snapshot(MINUTE, "a").requests()).isEqualTo(1);
        assertThat(two.snapshot(MINUTE, TrafficStats.OTHER).requests()).isEqualTo(10_003);
        assertThat(two.snapshot(MINUTE, "c").requests()).as("folded, not tracked on its own").isZero();
        assertThat(two.snapshot(MINUTE, null).requests()).isEqualTo(10_005);
    }

    @Test
    void anIpSprayIsCountedUpToTheCapAndKeepsMemoryBounded() {
        StatsLimits limits = StatsLimits.defaults();
        // the same records with new addresses, so the test holds a million strings at most, not a million records
        List<LogRecord> chunk = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            chunk.add(access(404, 1.0, null, "/x", "api"));
        }
        LogRecord heavy = access(200, 1.0, "198.51.100.1", "/", "api");
        for (int i = 0; i < 50; i++) {
            stats.record(Collections.nCopies(100, heavy));
        }
        for (int c = 0; c < 1000; c++) {
            for (int i = 0; i < 1000; i++) {
                int n = c * 1000 + i;
                chunk.get(i).setClientIp("10." + (n >> 16) + "." + ((n >> 8) & 255) + "." + (n & 255));
                chunk.get(i).setPath("/spray/" + n);
            }
            stats.record(chunk);
            assertThat(stats.keysHeld()).isLessThanOrEqualTo(3 * limits.keysPerSecond());
        }
        clock.advance(1_000);
        StatsSnapshot s = stats.snapshot(MINUTE, null); // closes the second: only its heaviest keys stay
        assertThat(stats.keysHeld()).isLessThanOrEqualTo(3 * limits.keysKeptPerSecond());
        assertThat(s.requests()).isEqualTo(1_005_000);
        assertThat(s.topApproximate()).isTrue();
        assertThat(s.topClientIps().get(0)).isEqualTo(new KeyCount("198.51.100.1", 5000));
        assertThat(s.top404Paths()).hasSize(10);
        assertThat(s.top404Paths().get(0).count()).isEqualTo(1);

        // a spray every second for the whole ring still holds at most kept keys per second per kind
        for (int sec = 0; sec < 320; sec++) {
            for (int i = 0; i < 1000; i++) {
                int n = sec * 1000 + i;
                chunk.get(i).setClientIp("10.1." + (n >> 8 & 255) + "." + (n & 255) + "." + sec);
                chunk.get(i).setPath("/spray/" + n + "/" + "x".repeat(1000));
            }
            stats.record(chunk);
            stats.record(chunk.subList(0, 500));
            clock.advance(1_000);
        }
        assertThat(stats.snapshot(Duration.ofMinutes(5), null).topPaths().get(0).key())
                .hasSize(limits.maxKeyLength());
        assertThat(stats.keysHeld()).isLessThanOrEqualTo(300 * 3 * limits.keysKeptPerSecond());
    }

    @Test
    void keyCounterTellsKeysApartByTheirHashAndSeriesOnly() {
        KeyCounter counter = new KeyCounter(8);
        counter.add("/a", TextHash.of("/a"), 1);
        counter.add("/b", TextHash.of("/b"), 1);
        counter.add("/b", TextHash.of("/b"), 1);
        counter.add("/b", TextHash.of("/b"), 2);
        // texts are not compared: a hash shared by two texts counts as the first one seen (a seeded 64-bit hash,
        // so this takes luck, not a crafted line)
        counter.add("/c", TextHash.of("/a"), 1);
        Map<String, long[]> all = new java.util.HashMap<>();
        Map<String, long[]> second = new java.util.HashMap<>();
        SecondKeys frozen = counter.freezeAndClear(8);
        frozen.addTo(all, 0);
        frozen.addTo(second, 2);
        assertThat(all).containsOnlyKeys("/a", "/b");
        assertThat(all.get("/a")[0]).isEqualTo(2);
        assertThat(all.get("/b")[0]).isEqualTo(3);
        assertThat(second.get("/b")[0]).isEqualTo(1);
    }

    @Test
    void keyCounterCountsExactlyUpToItsCapAndKeepsTheHeaviest() {
        KeyCounter counter = new KeyCounter(4);
        for (String k : List.of("a", "b", "b", "c", "c", "c", "d", "e", "f", "d", "d", "d")) {
            counter.add(k, TextHash.of(k), 1);
        }
        counter.add("a", TextHash.of("a"), 2); // same key, other series: its own entry, but over the cap
        assertThat(counter.size()).isEqualTo(4);
        SecondKeys kept = counter.freezeAndClear(2);
        assertThat(kept.approximate).isTrue();
        Map<String, long[]> out = new java.util.HashMap<>();
        kept.addTo(out, 0);
        assertThat(out).containsOnlyKeys("c", "d");
        assertThat(out.get("d")[0]).isEqualTo(4);
        assertThat(counter.size()).isZero();
        counter.add("a", TextHash.of("a"), 1);
        counter.add("a", TextHash.of("a"), 2);
        SecondKeys next = counter.freezeAndClear(10);
        assertThat(next.approximate).isFalse();
        Map<String, long[]> series2 = new java.util.HashMap<>();
        next.addTo(series2, 2);
        assertThat(series2.get("a")[0]).isEqualTo(1);
        Map<String, long[]> all = new java.util.HashMap<>();
        next.addTo(all, 0);
        assertThat(all.get("a")[0]).isEqualTo(2);
    }
}
