package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;

import java.util.Map;

/**
 * Maps Traefik's JSON access log. The time is StartUTC (nanosecond precision; "time" has only seconds), and the
 * duplicate "time"/"StartLocal" are then dropped. Request headers kept by Traefik's header settings arrive as
 * {@code request_<Name>} keys. Traefik logs every access line at "info", so the level is the status's unless
 * the line's own is more severe.
 */
final class TraefikFields {
    private static final String[] TIME_KEYS = {"StartUTC", "time", "StartLocal"};
    private static final String[] MESSAGE_KEYS = {"msg", "message"};
    private static final String[] STATUS_KEYS = {"DownstreamStatus", "OriginStatus"};

    private TraefikFields() {
    }

    static void map(LogRecord r) {
        Map<String, Object> f = r.getFields();
        LoggerFields.timestamp(r, f, TIME_KEYS);
        if (r.getTimestamp() != null) {
            f.remove("time");
            f.remove("StartLocal");
        }
        String own = LoggerFields.level(f);
        r.setMessage(LoggerFields.takeString(f, MESSAGE_KEYS));
        r.setService(LoggerFields.takeString(f, "service"));

        String ip = LoggerFields.takeString(f, "ClientHost");
        int comma = ip == null ? -1 : ip.lastIndexOf(',');
        if (comma >= 0) {
            // the X-Forwarded-For list, when the request came through a proxy: the last address is the one the
            // nearest (trusted) proxy saw; the whole list stays among the fields
            f.put("forwarded_for", ip);
            ip = ip.substring(comma + 1).trim();
            ip = ip.isEmpty() ? null : ip;
        }
        if (ip == null) {
            ip = AccessFields.string(f.get("ClientAddr"));
        }
        r.setClientIp(AccessFields.clientAddress(ip));
        r.setMethod(LoggerFields.takeString(f, "RequestMethod"));
        AccessFields.target(r, LoggerFields.takeString(f, "RequestPath"));
        for (String k : STATUS_KEYS) {
            Integer s = AccessFields.status(f.get(k));
            if (s != null) {
                f.remove(k);
                r.setStatus(s);
                break;
            }
        }
        Object d = f.get("Duration");
        Double ms = d == null ? null : AccessFields.millis(d, AccessFields.NANOS);
        if (ms != null) {
            f.remove("Duration");
            r.setLatencyMs(ms);
        }
        Long bytes = AccessFields.bytes(f.get("DownstreamContentSize"));
        if (bytes != null) {
            f.remove("DownstreamContentSize");
            r.setBytes(bytes);
        }
        r.setUserAgent(LoggerFields.takeString(f, "request_User-Agent"));
        // stays among the fields too
        r.setReferer(f.get("request_Referer") instanceof String referer ? referer : null);

        String trace = LoggerFields.takeString(f, LoggerFields.TRACE_KEYS);
        if (trace == null) {
            trace = LoggerFields.takeString(f, "request_X-Request-Id");
        }
        if (trace == null) {
            trace = AccessFields.traceFromHeader(LoggerFields.takeString(f, "request_Traceparent"));
        }
        r.setTraceId(trace);

        if (r.getStatus() != null) {
            String fromStatus = Levels.fromStatus(r.getStatus());
            r.setLevel(own == null ? fromStatus : Levels.moreSevere(own, fromStatus));
        } else if (own != null) {
            r.setLevel(own);
        }
        if (r.getMessage() == null || r.getMessage().isEmpty()) {
            r.setMessage(AccessFields.message(r));
        }
    }
}
