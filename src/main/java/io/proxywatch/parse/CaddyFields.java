package io.proxywatch.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxywatch.record.LogRecord;

import java.util.Map;

/**
 * Maps Caddy's JSON log lines. Access lines (logger "http.log.access*") become access records; error lines
 * (logger "http.log.error*", e.g. a failed reverse_proxy dial) get the request's client, method, path and user
 * agent for context but keep "status" in fields, so the request is not counted twice in access statistics.
 *
 * <p>The {@code request} object is flattened: what was not consumed lands in fields as {@code request.host},
 * {@code request.proto}, {@code request.remote_port}, {@code request.headers} (minus User-Agent and the header
 * used as trace id), {@code request.tls}, ... Top-level extras ({@code resp_headers}, {@code user_id}) stay as they
 * are.
 *
 * <p>Level: Caddy (since 2.5) itself logs every 4xx/5xx access line at "error", which carries no more than the
 * status does, so an access line's level is the status's (5xx ERROR, 4xx WARN, else INFO); the line's own level
 * wins only when it is more severe than that and is not Caddy's status-derived "error".
 */
final class CaddyFields {
    private static final String[] TRACE_HEADERS = {"X-Request-Id", "X-Request-ID", "Traceparent", "traceparent"};
    private static final String[] TIME_KEYS = {"ts", "time", "timestamp"};
    private static final String[] MESSAGE_KEYS = {"msg", "message"};

    private CaddyFields() {
    }

    static void map(LogRecord r) {
        Map<String, Object> f = r.getFields();
        // Caddy's wall, wall_milli and wall_nano formats are UTC unless the log sets time_local (not in the line)
        LoggerFields.timestamp(r, f, TIME_KEYS, true);
        String ownLevel = LoggerFields.level(f);
        String logger = (String) f.get("logger");
        boolean access = logger != null && logger.startsWith("http.log.access");
        r.setMessage(LoggerFields.takeString(f, MESSAGE_KEYS));
        String service = LoggerFields.takeString(f, "service");
        r.setService(service != null ? service : LoggerFields.takeString(f, "logger"));
        r.setTraceId(LoggerFields.takeString(f, LoggerFields.TRACE_KEYS));

        Object req = f.remove("request");
        if (req instanceof ObjectNode) {
            request(r, (ObjectNode) req, f);
        } else if (req != null) {
            f.put("request", req);
        }

        if (access) {
            Object status = f.get("status");
            Integer s = AccessFields.status(status);
            if (s != null) {
                f.remove("status");
                r.setStatus(s);
            }
            Object d = f.get("duration");
            Double ms = d == null ? null : AccessFields.millis(d, AccessFields.SECONDS);
            if (ms != null) {
                f.remove("duration");
                r.setLatencyMs(ms);
            }
            Long bytes = AccessFields.bytes(f.get("size"));
            if (bytes != null) {
                f.remove("size");
                r.setBytes(bytes);
            }
        }
        r.setLevel(level(ownLevel, r.getStatus()));
        if (r.getMessage() == null || r.getMessage().isEmpty()) {
            r.setMessage(r.isAccess() ? AccessFields.message(r) : "");
        }
    }

    private static String level(String own, Integer status) {
        if (status == null) {
            return own != null ? own : Levels.INFO;
        }
        String fromStatus = Levels.fromStatus(status);
        if (own == null || Levels.ERROR.equals(own) && status >= 400) {
            return fromStatus;
        }
        return Levels.moreSevere(own, fromStatus);
    }

    private static void request(LogRecord r, ObjectNode req, Map<String, Object> f) {
        // client_ip (Caddy 2.7+) is the client behind trusted proxies; remote_ip is then the proxy (a load
        // balancer), kept among the fields. Read first, remote_ip counted every request against the balancer.
        String ip = text(req.remove("client_ip"));
        if (ip == null) {
            ip = text(req.remove("remote_ip"));
        }
        if (ip == null) {
            ip = text(req.remove("remote_addr"));
        }
        r.setClientIp(AccessFields.clientAddress(ip));
        r.setMethod(text(req.remove("method")));
        AccessFields.target(r, text(req.remove("uri")));
        JsonNode headers = req.get("headers");
        if (headers instanceof ObjectNode) {
            ObjectNode h = (ObjectNode) headers;
            r.setUserAgent(firstValue(h.remove("User-Agent")));
            r.setReferer(firstValue(h.get("Referer"))); // stays among the headers too
            if (r.getTraceId() == null) {
                for (String name : TRACE_HEADERS) {
                    String v = firstValue(h.get(name));
                    if (v != null) {
                        h.remove(name);
                        r.setTraceId(AccessFields.traceFromHeader(v));
                        break;
                    }
                }
            }
            if (h.isEmpty()) {
                req.remove("headers");
            }
        }
        for (Map.Entry<String, JsonNode> e : req.properties()) {
            f.put("request." + e.getKey(), LoggerFields.plain(e.getValue()));
        }
    }

    /** Caddy writes each header as an array of values; the first is the one that counts. */
    private static String firstValue(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.isArray()) {
            return n.size() > 0 ? text(n.get(0)) : null;
        }
        return text(n);
    }

    private static String text(JsonNode n) {
        return n != null && n.isValueNode() && !n.isNull() ? n.asText() : null;
    }
}
