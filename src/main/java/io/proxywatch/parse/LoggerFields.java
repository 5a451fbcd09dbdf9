package io.proxywatch.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxywatch.record.LogRecord;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Maps the keys of an application logger's line (slog, zap, logrus, zerolog, the structured JSON contract, and
 * logfmt) into a record. Consumed keys are removed from the record's fields; what is left stays there as data.
 *
 * <p>HTTP keys (method, path, status, latency, bytes) are taken only when the line is an HTTP line, i.e. carries
 * a valid status or a method: "path" in "config loaded path=/etc/app.yaml" is a file, not a request.
 */
final class LoggerFields {
    private static final String[] TIME_KEYS = {"timestamp", "time", "ts", "@timestamp", "t"};
    private static final String[] ZAP_TIME_KEYS = {"ts", "time", "timestamp"};
    // @level and @message: logrus's FieldMap example, much copied; lvl and t: log15
    private static final String[] LEVEL_KEYS = {"level", "severity", "lvl", "@level"};
    private static final String[] MESSAGE_KEYS = {"message", "msg", "@message"};
    static final String[] TRACE_KEYS = {"trace_id", "traceId", "traceID", "trace-id", "TraceId"};
    private static final String[] STATUS_KEYS = {"status", "status_code", "statusCode"};
    private static final String[] TARGET_KEYS = {"path", "uri", "url"};
    private static final String[] CLIENT_KEYS = {"client_ip", "remote_ip", "clientIP", "ip"};
    private static final String[] UA_KEYS = {"user_agent", "ua", "userAgent"};
    private static final String[] MS_KEYS = {"latency_ms", "duration_ms", "elapsed_ms"};
    private static final String[] LATENCY_KEYS = {"latency", "duration", "elapsed"};
    private static final String[] BYTES_KEYS = {"bytes", "size", "bytes_out"};
    private static final String[] OTHER_KEYS = {"service", "logger", "remote_addr", "method", "query", "fields"};

    /**
     * Every key {@link #map} may read, whatever the format: {@link AccessJsonLine} leaves a line carrying one it does
     * not map itself to the general path, so the two cannot disagree on it.
     */
    static final Set<String> KEYS_READ = Stream.of(TIME_KEYS, ZAP_TIME_KEYS, LEVEL_KEYS, MESSAGE_KEYS, TRACE_KEYS,
            STATUS_KEYS, TARGET_KEYS, CLIENT_KEYS, UA_KEYS, MS_KEYS, LATENCY_KEYS, BYTES_KEYS, OTHER_KEYS)
            .flatMap(Arrays::stream).collect(Collectors.toUnmodifiableSet());

    private LoggerFields() {
    }

    static void map(LogRecord r, String format) {
        Map<String, Object> f = r.getFields();
        timestamp(r, f, "zap".equals(format) ? ZAP_TIME_KEYS : TIME_KEYS);
        String ownLevel = level(f);
        r.setMessage(takeString(f, MESSAGE_KEYS));
        String service = takeString(f, "service");
        if (service == null) {
            service = takeString(f, "logger");
        }
        r.setService(service);
        r.setTraceId(takeString(f, TRACE_KEYS));

        String client = takeString(f, CLIENT_KEYS);
        if (client == null) {
            client = takeString(f, "remote_addr");
        }
        r.setClientIp(AccessFields.clientAddress(client));
        r.setUserAgent(takeString(f, UA_KEYS));
        http(r, f, format);

        if (ownLevel != null) {
            r.setLevel(ownLevel);
        } else if (r.getStatus() != null) {
            r.setLevel(Levels.fromStatus(r.getStatus()));
        }
        if (r.getMessage() == null || r.getMessage().isEmpty() && r.isAccess()) {
            r.setMessage(r.isAccess() ? AccessFields.message(r) : "");
        }
        if ("json".equals(format) && f.get("fields") instanceof ObjectNode) {
            unnestFields(f);
        }
    }

    /** Our own contract nests extras under "fields": read back, they are extras again, not a field named "fields". */
    private static void unnestFields(Map<String, Object> f) {
        ObjectNode nested = (ObjectNode) f.remove("fields");
        for (Map.Entry<String, JsonNode> e : nested.properties()) {
            f.putIfAbsent(e.getKey(), plain(e.getValue()));
        }
    }

    /** A scalar node as the String/Number/Boolean the fields map holds; objects and arrays stay nodes. */
    static Object plain(JsonNode v) {
        if (v.isTextual()) return v.textValue();
        if (v.isNumber()) return v.numberValue();
        if (v.isBoolean()) return v.booleanValue();
        return v;
    }

    private static void http(LogRecord r, Map<String, Object> f, String format) {
        String statusKey = null;
        Integer status = null;
        for (String k : STATUS_KEYS) {
            Object v = f.get(k);
            if (v != null) {
                status = AccessFields.status(v);
                if (status != null) {
                    statusKey = k;
                }
                break;
            }
        }
        Object method = f.get("method");
        if (status == null && !(method instanceof String)) {
            return;
        }
        if (statusKey != null) {
            f.remove(statusKey);
            r.setStatus(status);
        }
        r.setMethod(takeString(f, "method"));
        AccessFields.target(r, takeString(f, TARGET_KEYS));
        String query = takeString(f, "query");
        if (query != null) {
            r.setQuery(query);
        }
        Double ms = takeMillis(f, MS_KEYS, AccessFields.MILLIS);
        if (ms == null) {
            ms = takeMillis(f, LATENCY_KEYS, latencyUnit(format));
        }
        r.setLatencyMs(ms);
        for (String k : BYTES_KEYS) {
            Object v = f.get(k);
            if (v != null) {
                Long b = AccessFields.bytes(v);
                if (b != null) {
                    f.remove(k);
                    r.setBytes(b);
                }
                break;
            }
        }
    }

    /** The unit each logger writes a time.Duration in when it writes a number rather than "12.5ms". */
    private static double latencyUnit(String format) {
        switch (format) {
            case "zap":
                return AccessFields.SECONDS; // zap's production encoder: SecondsDurationEncoder
            case "slog":
            case "logrus":
                return AccessFields.NANOS; // log/slog's JSON handler and encoding/json write int64 nanoseconds
            default:
                return AccessFields.MILLIS; // zerolog's default DurationFieldUnit, and our own contract
        }
    }

    private static Double takeMillis(Map<String, Object> f, String[] keys, double unit) {
        for (String k : keys) {
            Object v = f.get(k);
            if (v != null) {
                Double ms = AccessFields.millis(v, unit);
                if (ms != null) {
                    f.remove(k);
                }
                return ms;
            }
        }
        return null;
    }

    /** The first timestamp key that parses is consumed; one that does not stays in fields and "now" is used. */
    static void timestamp(LogRecord r, Map<String, Object> f, String[] keys) {
        timestamp(r, f, keys, false);
    }

    /**
     * As {@link #timestamp(LogRecord, Map, String[])}; {@code goLogUtc}: a writer known to write Go-log-shaped times
     * ("2024/01/02 15:04:05") in UTC, where Go's log package writes local time (Caddy's wall time formats).
     */
    static void timestamp(LogRecord r, Map<String, Object> f, String[] keys, boolean goLogUtc) {
        for (String k : keys) {
            Object v = f.get(k);
            if (v == null || k.equals("t") && !(v instanceof String)) {
                continue; // log15's "t" is text; a number under that name is anybody's
            }
            Instant t = goLogUtc && v instanceof String s && Timestamps.goLogAt(s, 0) ? Timestamps.goLogUtc(s)
                    : toInstant(v);
            if (t != null) {
                f.remove(k);
                r.setTimestamp(t);
            }
            return;
        }
    }

    static Instant toInstant(Object v) {
        if (v instanceof String) {
            return Timestamps.parse((String) v);
        }
        if (v instanceof Double || v instanceof Float) {
            return Timestamps.fromEpoch(((Number) v).doubleValue());
        }
        if (v instanceof Integer || v instanceof Long) {
            return Timestamps.fromEpoch(((Number) v).longValue());
        }
        return null;
    }

    /** The line's own level, consumed when understood; an unknown level name stays in fields. */
    static String level(Map<String, Object> f) {
        for (String k : LEVEL_KEYS) {
            Object v = f.get(k);
            if (v == null) {
                continue;
            }
            String c = v instanceof String ? Levels.canonical((String) v)
                    : v instanceof Number ? Levels.fromNumber(((Number) v).doubleValue()) : null;
            if (c != null) {
                f.remove(k);
            }
            return c;
        }
        return null;
    }

    static String takeString(Map<String, Object> f, String key) {
        Object v = f.get(key);
        if (v instanceof String) {
            f.remove(key);
            return (String) v;
        }
        return null;
    }

    static String takeString(Map<String, Object> f, String[] keys) {
        for (String k : keys) {
            Object v = f.get(k);
            if (v instanceof String) {
                f.remove(k);
                return (String) v;
            }
        }
        return null;
    }
}
