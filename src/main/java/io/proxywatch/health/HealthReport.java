package io.proxywatch.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.proxywatch.record.Jackson;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One look at proxywatch's health and its JSON:
 * {@code {"status":"UP","live":{"status","uptime_seconds","checks"},"ready":{"status","checks","spool","files"}}}.
 * Only paths and figures go in: never a URL, a key or a password.
 */
public record HealthReport(long uptimeSeconds, List<HealthCheck> liveChecks, List<HealthCheck> readyChecks,
                           SpoolDetail spool, List<FileDetail> files) {

    /** Which part an endpoint answers for: /health, /health/live, /health/ready. */
    public enum Part { ALL, LIVE, READY }

    /** What goes back over HTTP: 200 or 503, and the JSON body. */
    public record Answer(int status, String body) {
    }

    public record SpoolDetail(int batches, long bytes, long maxBytes, long percent) {
    }

    /** @param idleSeconds since the file last grew; {@code stale} when that passed the self-health limit */
    public record FileDetail(String path, long lagBytes, long idleSeconds, boolean rotated, boolean stale) {
    }

    public boolean live() {
        return liveChecks.stream().allMatch(HealthCheck::up);
    }

    public boolean ready() {
        return live() && readyChecks.stream().allMatch(HealthCheck::up);
    }

    public HealthCheck readyCheck(String name) {
        return readyChecks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    public Answer answer(Part part) {
        boolean up = switch (part) {
            case ALL, READY -> ready();
            case LIVE -> live();
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        if (part != Part.READY) {
            Map<String, Object> live = new LinkedHashMap<>();
            live.put("status", live() ? "UP" : "DOWN");
            live.put("uptime_seconds", uptimeSeconds);
            live.put("checks", checks(liveChecks));
            body.put("live", live);
        }
        if (part != Part.LIVE) {
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("status", ready() ? "UP" : "DOWN");
            ready.put("checks", checks(readyChecks));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("batches", spool.batches());
            s.put("bytes", spool.bytes());
            s.put("max_bytes", spool.maxBytes());
            s.put("percent", spool.percent());
            ready.put("spool", s);
            List<Map<String, Object>> fs = new ArrayList<>();
            for (FileDetail f : files) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", f.path());
                m.put("lag_bytes", f.lagBytes());
                m.put("idle_seconds", f.idleSeconds());
                m.put("rotated", f.rotated());
                m.put("stale", f.stale());
                fs.add(m);
            }
            ready.put("files", fs);
            body.put("ready", ready);
        }
        try {
            return new Answer(up ? 200 : 503, Jackson.mapper().writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> checks(List<HealthCheck> checks) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (HealthCheck c : checks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("status", c.status());
            m.put("detail", c.detail());
            out.add(m);
        }
        return out;
    }
}
