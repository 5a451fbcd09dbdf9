package io.proxywatch.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.proxywatch.health.AgentStatus;
import io.proxywatch.record.Jackson;
import io.proxywatch.stats.KeyCount;
import io.proxywatch.stats.StatsSnapshot;
import io.proxywatch.tail.FileStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard API's JSON, field by field: these names are a public contract (README, "Dashboard"), so they are
 * spelled out here rather than derived from Java names. Metric names are the rules file's; times are ISO-8601 UTC,
 * except chart points' {@code time} (epoch ms, what charts plot).
 */
final class DashboardJson {

    private DashboardJson() {
    }

    static String write(Object value) {
        try {
            return Jackson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dashboard JSON: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> point(TrafficPoint p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", p.startMs());
        m.put("requests", p.requests());
        m.put("qps", round(p.qps()));
        m.put("p50_latency_ms", round(p.p50LatencyMs()));
        m.put("p95_latency_ms", round(p.p95LatencyMs()));
        m.put("p99_latency_ms", round(p.p99LatencyMs()));
        m.put("error_rate_4xx", round(p.errorRate4xx()));
        m.put("error_rate_5xx", round(p.errorRate5xx()));
        m.put("detections", new TreeMap<>(p.detections()));
        return m;
    }

    static List<Map<String, Object>> points(List<TrafficPoint> points) {
        List<Map<String, Object>> out = new ArrayList<>(points.size());
        for (TrafficPoint p : points) {
            out.add(point(p));
        }
        return out;
    }

    static Map<String, Object> traffic(StatsSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window_seconds", s.window().toSeconds());
        m.put("requests", s.requests());
        m.put("qps", round(s.qps()));
        m.put("p50_latency_ms", round(s.p50LatencyMs()));
        m.put("p95_latency_ms", round(s.p95LatencyMs()));
        m.put("p99_latency_ms", round(s.p99LatencyMs()));
        m.put("error_rate_4xx", round(s.errorRate4xx()));
        m.put("error_rate_5xx", round(s.errorRate5xx()));
        Map<String, Long> statuses = new LinkedHashMap<>();
        s.statusCounts().forEach((code, n) -> statuses.put(String.valueOf(code), n));
        m.put("status_counts", statuses);
        m.put("top_client_ips", top(s.topClientIps()));
        m.put("top_paths", top(s.topPaths()));
        m.put("top_404_paths", top(s.top404Paths()));
        m.put("top_approximate", s.topApproximate());
        return m;
    }

    static Map<String, Object> alerts(AlertFeed.Feed feed) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (AlertFeed.Item i : feed.items()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", i.rule());
            m.put("category", i.category());
            m.put("severity", i.severity());
            m.put("state", i.state());
            m.put("key", i.key());
            m.put("events_total", i.eventsTotal());
            m.put("first_seen", iso(i.firstSeen()));
            m.put("last_seen", iso(i.lastSeen()));
            m.put("summary", i.summary());
            m.put("evidence", i.evidence());
            m.put("silenced_until", iso(i.silencedUntil()));
            items.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", feed.total());
        m.put("items", items);
        return m;
    }

    static Map<String, Object> agent(AgentStatus a, AgentRates rates) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> files = new ArrayList<>();
        for (FileStatus f : a.files()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("path", f.path());
            fm.put("size_bytes", f.size());
            fm.put("lag_bytes", f.lagBytes());
            fm.put("lines_read", f.linesRead());
            fm.put("lines_per_second", round(rates.linesPerSecond(f.path())));
            fm.put("last_growth", f.lastGrowthMs() > 0 ? iso(Instant.ofEpochMilli(f.lastGrowthMs())) : null);
            files.add(fm);
        }
        m.put("files", files);
        m.put("lines_read", a.linesRead());
        m.put("lines_per_second", round(rates.linesPerSecond()));
        m.put("lag_bytes", a.lagBytes());
        m.put("parse_errors", a.parseErrors());
        m.put("shipping_on", a.shippingOn());
        m.put("collector_down", a.collectorDown());
        m.put("records_shipped", a.recordsShipped());
        m.put("ship_retries", a.shipRetries());
        m.put("records_spooled", a.recordsSpooled());
        m.put("spool_bytes", a.spoolBytes());
        m.put("spool_batches", a.spoolBatches());
        m.put("records_dead_lettered", a.recordsDeadLettered());
        m.put("last_delivered", a.shippingOn() ? iso(Instant.ofEpochMilli(a.lastDeliveredMs())) : null);
        m.put("alert_events", a.alertEvents());
        m.put("alerts_dead_lettered", a.alertsDeadLettered().values().stream().mapToLong(Long::longValue).sum());
        m.put("heap_used_bytes", a.heapUsedBytes());
        m.put("heap_max_bytes", a.heapMaxBytes());
        m.put("process_cpu_load", a.processCpuLoad() < 0 ? null : round(a.processCpuLoad()));
        return m;
    }

    private static List<Map<String, Object>> top(List<KeyCount> top) {
        List<Map<String, Object>> out = new ArrayList<>(top.size());
        for (KeyCount k : top) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", k.key());
            m.put("count", k.count());
            out.add(m);
        }
        return out;
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    /** Three decimals: enough for a chart, and a history of thousands of points stays small. */
    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : 0;
    }
}
