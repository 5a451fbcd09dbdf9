package io.proxywatch.web;

import io.proxywatch.record.LogRecord;
import io.proxywatch.stats.StatsLimits;
import io.proxywatch.stats.TrafficStats;
import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficHistoryTest {
    private static final long START = 1_700_000_040_000L; // on a minute boundary, so the minutes below are whole

    private final MutableClock clock = clockAt(START);
    private final TrafficStats stats = new TrafficStats(clock, StatsLimits.defaults().withMaxWindow(Duration.ofSeconds(300)));
    private final Map<String, Long> detections = new HashMap<>();
    private final TrafficHistory history = new TrafficHistory(stats, () -> Map.copyOf(detections));

    private static MutableClock clockAt(long ms) {
        MutableClock c = new MutableClock();
        c.set(ms);
        return c;
    }

    @Test
    void everyFinishedSecondIsOnePointAndSampledTwiceItIsStillOne() {
        for (int s = 0; s < 10; s++) {
            stats.record(requests(s + 1, 200, 5.0));
            clock.advance(500);
            history.sample();
            clock.advance(500);
            history.sample();
            history.sample();
        }
        List<TrafficPoint> seconds = history.seconds();
        assertThat(seconds).hasSize(10);
        for (int i = 0; i < seconds.size(); i++) {
            assertThat(seconds.get(i).startMs()).isEqualTo(START + i * 1000L);
            assertThat(seconds.get(i).requests()).isEqualTo(i + 1);
            assertThat(seconds.get(i).qps()).isEqualTo(i + 1.0);
        }
    }

    @Test
    void aMinutePointSumsItsSixtySecondsWithExactRatesAndPercentiles() {
        for (int s = 0; s < 60; s++) {
            stats.record(requests(10, s < 30 ? 200 : 503, s < 59 ? 5.0 : 900.0));
            clock.advance(1000);
            history.sample();
        }
        assertThat(history.minutes()).hasSize(1);
        TrafficPoint m = history.minutes().get(0);
        assertThat(m.startMs()).isEqualTo(START);
        assertThat(m.requests()).isEqualTo(600);
        assertThat(m.qps()).isEqualTo(10.0);
        assertThat(m.errorRate5xx()).isEqualTo(0.5);
        // 10 of 600 requests took 900 ms: above P95, at P99 — a mean of per-second P99s would say about 20 ms
        assertThat(m.p95LatencyMs()).isLessThan(10);
        assertThat(m.p99LatencyMs()).isGreaterThan(800);
    }

    @Test
    void detectionsAreCountedInTheSecondAndTheMinuteTheyHappenedIn() {
        for (int s = 0; s < 120; s++) {
            if (s == 5 || s == 70) {
                detections.merge("sqli", 2L, Long::sum);
            }
            stats.record(requests(1, 200, 1.0));
            clock.advance(1000);
            history.sample();
        }
        List<TrafficPoint> seconds = history.seconds();
        assertThat(seconds.get(5).detections()).containsEntry("sqli", 2L);
        assertThat(seconds.get(6).detections()).isEmpty();
        assertThat(seconds.get(70).detections()).containsEntry("sqli", 2L);
        assertThat(history.minutes()).extracting(p -> p.detections().get("sqli")).containsExactly(2L, 2L);
    }

    @Test
    void keepsTheLastHourBySecondsAndTheLastDayByMinutesWhateverRunsLonger() {
        long start = clock.millis();
        for (int s = 0; s < 26 * 3600; s++) {
            if (s % 600 == 0) {
                stats.record(requests(1, 200, 1.0));
            }
            clock.advance(1000);
            history.sample();
        }
        List<TrafficPoint> seconds = history.seconds();
        assertThat(seconds).hasSize(TrafficHistory.SECONDS_KEPT);
        assertThat(seconds.get(seconds.size() - 1).startMs()).isEqualTo(clock.millis() - 1000);
        assertThat(seconds.get(0).startMs()).isEqualTo(clock.millis() - 3600 * 1000L);
        assertThat(spacing(seconds)).containsOnly(1000L);

        List<TrafficPoint> minutes = history.minutes();
        assertThat(minutes).hasSize(TrafficHistory.MINUTES_KEPT);
        assertThat(minutes.get(minutes.size() - 1).startMs()).isEqualTo(clock.millis() - 60_000);
        assertThat(minutes.get(0).startMs()).isEqualTo(clock.millis() - 24 * 3600 * 1000L);
        assertThat(minutes.get(0).startMs()).isGreaterThan(start);
        assertThat(spacing(minutes)).containsOnly(60_000L);
    }

    @Test
    void aSecondTheSamplerMissedIsAGapNotAnInventedPoint() {
        clock.advance(1000);
        history.sample();
        clock.advance(3000);
        history.sample();
        assertThat(history.seconds()).extracting(TrafficPoint::startMs)
                .containsExactly(START, 1_700_000_043_000L);
    }

    @Test
    void beforeTheFirstSecondHasFinishedThereIsNothingToRecord() {
        clock.advance(400);
        assertThat(history.sample()).isNull();
        assertThat(history.seconds()).isEmpty();
    }

    @Test
    void aRingKeepsItsLastItemsInOrder() {
        Ring<Integer> ring = new Ring<>(3);
        assertThat(ring.toList()).isEmpty();
        for (int i = 1; i <= 7; i++) {
            ring.add(i);
        }
        assertThat(ring.toList()).containsExactly(5, 6, 7);
        assertThat(ring.size()).isEqualTo(3);
    }

    private static List<Long> spacing(List<TrafficPoint> points) {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            out.add(points.get(i).startMs() - points.get(i - 1).startMs());
        }
        return out;
    }

    private static List<LogRecord> requests(int n, int status, double latencyMs) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LogRecord r = new LogRecord();
            r.setStatus(status);
            r.setLatencyMs(latencyMs);
            r.setClientIp("10.0.0." + (i % 7));
            r.setPath("/p" + (i % 3));
            out.add(r);
        }
        return out;
    }
}
