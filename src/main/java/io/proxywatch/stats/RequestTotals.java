package io.proxywatch.stats;

import io.proxywatch.record.LogRecord;

import java.util.List;

/**
 * The proxy's own requests since start, for Prometheus: access records per status class and a latency histogram
 * with fixed buckets. Unlike {@link TrafficStats} nothing slides or expires: these are counters, and Prometheus'
 * {@code rate()} makes the windows.
 *
 * <p>Called once per chunk next to {@code trafficStats.record}: a chunk is counted into local arrays and added
 * under one short lock, so the cost per record is a few comparisons and the scrape sees whole chunks only (bucket
 * counts, count and sum always agree).
 */
public final class RequestTotals {
    /** Labels of {@code proxywatch_requests_total}; 1xx and anything outside 100..599 count as other. */
    public static final List<String> STATUS_CLASSES = List.of("2xx", "3xx", "4xx", "5xx", "other");
    /** Upper bounds of the latency buckets, in seconds (Prometheus' {@code le}); +Inf is implied. */
    private static final double[] UPPER_BOUNDS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final double[] UPPER_BOUNDS_MS = new double[UPPER_BOUNDS_SECONDS.length];

    static {
        for (int i = 0; i < UPPER_BOUNDS_SECONDS.length; i++) {
            UPPER_BOUNDS_MS[i] = UPPER_BOUNDS_SECONDS[i] * 1000;
        }
    }

    private final long[] byClass = new long[STATUS_CLASSES.size()];
    private final long[] buckets = new long[UPPER_BOUNDS_SECONDS.length + 1]; // the last one is +Inf
    private double latencySumMs;

    /** Counts the access records of one chunk; other records, and lines read again, are ignored. */
    public void record(List<LogRecord> chunk) {
        long[] classes = new long[byClass.length];
        long[] hits = new long[buckets.length];
        double sumMs = 0;
        boolean any = false;
        for (int i = 0, n = chunk.size(); i < n; i++) {
            LogRecord r = chunk.get(i);
            Integer status = r.getStatus();
            if (status == null || r.isReplayed()) { // a line read again was counted the first time
                continue;
            }
            any = true;
            classes[statusClass(status)]++;
            double ms = r.latencyMillis();
            if (ms >= 0 && !Double.isInfinite(ms)) { // NaN (none) fails ms >= 0
                hits[bucket(ms)]++;
                // at most the statistics' ten minutes, as there: one line's 1e308 would own the sum for good
                sumMs += Math.min(ms, LatencyBins.HIGHEST_US / 1000.0);
            }
        }
        if (!any) {
            return;
        }
        synchronized (this) {
            for (int i = 0; i < classes.length; i++) {
                byClass[i] += classes[i];
            }
            for (int i = 0; i < hits.length; i++) {
                buckets[i] += hits[i];
            }
            latencySumMs += sumMs;
        }
    }

    /** The totals so far: one consistent copy. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(byClass.clone(), buckets.clone(), latencySumMs / 1000);
    }

    /** Upper bounds of the finite buckets, in seconds, ascending. */
    public static double[] upperBoundsSeconds() {
        return UPPER_BOUNDS_SECONDS.clone();
    }

    static int statusClass(int status) {
        return status >= 200 && status < 600 ? status / 100 - 2 : STATUS_CLASSES.size() - 1;
    }

    private static int bucket(double ms) {
        for (int i = 0; i < UPPER_BOUNDS_MS.length; i++) {
            if (ms <= UPPER_BOUNDS_MS[i]) {
                return i;
            }
        }
        return UPPER_BOUNDS_MS.length;
    }

    /**
     * @param byStatusClass requests per {@link #STATUS_CLASSES} entry, same order
     * @param bucketCounts  requests with a latency per bucket (not cumulative), the last one above 10 s
     * @param sumSeconds    their latencies added up
     */
    public record Snapshot(long[] byStatusClass, long[] bucketCounts, double sumSeconds) {
        public long requests() {
            long n = 0;
            for (long c : byStatusClass) {
                n += c;
            }
            return n;
        }

        public long requests(String statusClass) {
            return byStatusClass[STATUS_CLASSES.indexOf(statusClass)];
        }

        /** Requests that carried a latency (the histogram's count). */
        public long timed() {
            long n = 0;
            for (long c : bucketCounts) {
                n += c;
            }
            return n;
        }
    }
}
