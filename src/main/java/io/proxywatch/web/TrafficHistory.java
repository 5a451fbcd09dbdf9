package io.proxywatch.web;

import io.proxywatch.stats.StatsSnapshot;
import io.proxywatch.stats.TrafficStats;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the dashboard's charts show of the past: the last hour at one point a second and the last day at one point a
 * minute, in two fixed rings (about 5,000 small points, whatever the traffic). {@link #sample} is called twice a
 * second or so and records each finished second once.
 *
 * <p>Points are read off {@link TrafficStats}, so a second's percentiles are exact, and so are a minute's: the
 * minute is read as the last 60 s just after it ends (a sample delayed past the minute's end reads it shifted by that
 * delay). A second the sampler missed (a stalled timer) is a gap on the chart; the detections counted meanwhile go to
 * the next point.
 */
public final class TrafficHistory {
    static final int SECONDS_KEPT = 3600;
    static final int MINUTES_KEPT = 1440;

    /** What one call of {@link #sample} added: a second, and a minute when one ended (else null). */
    record Added(TrafficPoint second, TrafficPoint minute) {
    }

    private final TrafficStats stats;
    private final Supplier<Map<String, Long>> detectionTotals;
    private final Ring<TrafficPoint> seconds = new Ring<>(SECONDS_KEPT);
    private final Ring<TrafficPoint> minutes = new Ring<>(MINUTES_KEPT);
    private long lastSecond = Long.MIN_VALUE;
    private long minuteStart = Long.MIN_VALUE;
    private Map<String, Long> totalsAtSecond;
    private Map<String, Long> totalsAtMinute;

    public TrafficHistory(TrafficStats stats, Supplier<Map<String, Long>> detectionTotals) {
        this.stats = stats;
        this.detectionTotals = detectionTotals;
        this.totalsAtSecond = detectionTotals.get();
        this.totalsAtMinute = totalsAtSecond;
    }

    /** Records the last finished second (and minute) unless already recorded; null when there was nothing new. */
    synchronized Added sample() {
        StatsSnapshot last = stats.metrics(Duration.ofSeconds(1), null);
        long second = last.to().getEpochSecond() - 1;
        if (last.seconds() == 0 || second <= lastSecond) {
            return null;
        }
        Map<String, Long> totals = detectionTotals.get();
        TrafficPoint s = TrafficPoint.of(second * 1000, last, delta(totals, totalsAtSecond));
        seconds.add(s);
        lastSecond = second;
        totalsAtSecond = totals;

        long currentMinute = Math.floorDiv(second + 1, 60) * 60; // the minute the open second belongs to
        TrafficPoint m = null;
        if (minuteStart == Long.MIN_VALUE) {
            minuteStart = currentMinute;
        } else if (currentMinute > minuteStart) {
            StatsSnapshot minute = stats.metrics(Duration.ofSeconds(60), null);
            m = TrafficPoint.of((currentMinute - 60) * 1000, minute, delta(totals, totalsAtMinute));
            minutes.add(m);
            minuteStart = currentMinute;
            totalsAtMinute = totals;
        }
        return new Added(s, m);
    }

    synchronized List<TrafficPoint> seconds() {
        return seconds.toList();
    }

    synchronized List<TrafficPoint> minutes() {
        return minutes.toList();
    }

    private static Map<String, Long> delta(Map<String, Long> now, Map<String, Long> before) {
        Map<String, Long> out = new HashMap<>();
        now.forEach((category, n) -> {
            long d = n - before.getOrDefault(category, 0L);
            if (d > 0) {
                out.put(category, d);
            }
        });
        return out;
    }
}
