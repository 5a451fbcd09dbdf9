package io.proxywatch.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The traffic of one window, overall or for one service, as threshold rules and the dashboard read it.
 * Immutable; every rate is a share of {@code requests} and 0 when there were none.
 *
 * @param service       the service asked for, or null for all of them
 * @param window        the window asked for (clamped to the longest the statistics keep)
 * @param from          start of the seconds counted (inclusive)
 * @param to            end of the seconds counted (exclusive): the start of the current, unfinished second
 * @param seconds       seconds counted: the window, or less in the first minutes after start-up
 * @param requests      access records counted
 * @param qps           requests / seconds (0 when no second has finished yet)
 * @param p50LatencyMs  median latency of the requests that carried one; 0 when none did ({@code latencyCount} 0)
 * @param p95LatencyMs  95th percentile, as above
 * @param p99LatencyMs  99th percentile, as above
 * @param latencyCount  requests that carried a latency
 * @param errorRate4xx  share of requests answered 4xx
 * @param errorRate5xx  share of requests answered 5xx
 * @param statusCounts  requests per status code, in code order
 * @param topClientIps  the ten client IPs with most requests, most first
 * @param topPaths      the ten paths with most requests
 * @param top404Paths   the ten paths with most 404 answers
 * @param topApproximate true when some second in the window had more distinct keys than the statistics keep per
 *                      second: the top lists then may miss or undercount keys spread thinly over many seconds
 */
public record StatsSnapshot(String service, Duration window, Instant from, Instant to, long seconds,
                            long requests, double qps, double p50LatencyMs, double p95LatencyMs, double p99LatencyMs,
                            long latencyCount, double errorRate4xx, double errorRate5xx,
                            Map<Integer, Long> statusCounts, List<KeyCount> topClientIps, List<KeyCount> topPaths,
                            List<KeyCount> top404Paths, boolean topApproximate) {

    /** The names threshold rules may use, in the order the rules file documents them. */
    public static final List<String> METRICS = List.of("qps", "requests", "p50_latency_ms", "p95_latency_ms",
            "p99_latency_ms", "error_rate_4xx", "error_rate_5xx");

    public StatsSnapshot {
        statusCounts = Collections.unmodifiableMap(new TreeMap<>(statusCounts));
        topClientIps = List.copyOf(topClientIps);
        topPaths = List.copyOf(topPaths);
        top404Paths = List.copyOf(top404Paths);
    }

    /** A metric by its rules-file name; IllegalArgumentException naming the known ones for any other. */
    public double metric(String name) {
        return switch (name) {
            case "qps" -> qps;
            case "requests" -> requests;
            case "p50_latency_ms" -> p50LatencyMs;
            case "p95_latency_ms" -> p95LatencyMs;
            case "p99_latency_ms" -> p99LatencyMs;
            case "error_rate_4xx" -> errorRate4xx;
            case "error_rate_5xx" -> errorRate5xx;
            default -> throw new IllegalArgumentException(
                    "unknown metric '" + name + "'; known: " + String.join(", ", METRICS));
        };
    }

    /** True for the latency percentiles, which mean nothing while {@code latencyCount} is 0. */
    public static boolean isLatency(String metric) {
        return metric.endsWith("_latency_ms");
    }

    /** True for qps and requests: volume metrics, which mean something even with little traffic (a flatline). */
    public static boolean isVolume(String metric) {
        return metric.equals("qps") || metric.equals("requests");
    }
}
