package io.proxywatch.stats;

import io.proxywatch.record.LogRecord;

import java.util.ArrayList;
import java.util.List;

/** Access records for the statistics tests, built with the setters the parsers use. */
final class Traffic {
    private Traffic() {
    }

    static LogRecord access(int status, Double latencyMs, String ip, String path, String service) {
        LogRecord r = new LogRecord();
        r.setStatus(status);
        r.setLatencyMs(latencyMs);
        r.setClientIp(ip);
        r.setPath(path);
        r.setService(service);
        return r;
    }

    static LogRecord ok(String service) {
        return access(200, 10.0, "10.0.0.1", "/", service);
    }

    /** {@code n} records: {@code errors} of them answered {@code errorStatus}, the rest 200, all at {@code latencyMs}. */
    static List<LogRecord> mix(int n, int errors, int errorStatus, double latencyMs, String service) {
        List<LogRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(access(i < errors ? errorStatus : 200, latencyMs, "10.0.0." + (i % 50), "/p" + (i % 20), service));
        }
        return out;
    }
}
