package io.proxywatch.web;

import io.proxywatch.stats.StatsSnapshot;

import java.util.Map;

/**
 * One point of the dashboard's charts: the traffic of one second or one minute.
 *
 * @param startMs    start of the second or minute, epoch ms
 * @param detections records tagged by the detectors in that time, by category (categories with none left out)
 */
record TrafficPoint(long startMs, long requests, double qps, double p50LatencyMs, double p95LatencyMs,
                    double p99LatencyMs, double errorRate4xx, double errorRate5xx, Map<String, Long> detections) {

    TrafficPoint {
        detections = Map.copyOf(detections);
    }

    static TrafficPoint of(long startMs, StatsSnapshot s, Map<String, Long> detections) {
        return new TrafficPoint(startMs, s.requests(), s.qps(), s.p50LatencyMs(), s.p95LatencyMs(), s.p99LatencyMs(),
                s.errorRate4xx(), s.errorRate5xx(), detections);
    }
}
