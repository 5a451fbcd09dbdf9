package io.proxywatch.parse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;

/**
 * Tells the JSON loggers apart by the keys each one always writes, and says whether a line fits a format that
 * was named in the configuration. Key look-ups only: the map is already built.
 */
final class JsonFormats {
    /** Every key {@link #classify} and {@link #fits} look at. */
    static final Set<String> KEYS_READ = Set.of("logger", "request", "DownstreamStatus", "ClientHost",
            "RequestMethod", "ts", "timestamp", "msg", "message", "level", "time");

    private JsonFormats() {
    }

    static String classify(Map<String, Object> m) {
        Object logger = m.get("logger");
        if (logger instanceof String && ((String) logger).startsWith("http.log.")
                && m.get("request") instanceof ObjectNode) {
            return "caddy";
        }
        if (isTraefik(m)) {
            return "traefik";
        }
        // zap's production encoder writes "ts" as epoch seconds, its ISO8601TimeEncoder as a string; slog, logrus
        // and zerolog write "time". Taken for logrus, a zap line's float seconds were read as nanoseconds
        Object ts = m.get("ts");
        if (ts instanceof Number || ts instanceof String && m.containsKey("msg")) {
            return "zap";
        }
        if (m.containsKey("timestamp")) {
            return "json";
        }
        if (m.containsKey("msg")) {
            // slog writes "INFO"/"WARN", logrus "info"/"warning"; otherwise their shapes are the same
            Object level = m.get("level");
            return level instanceof String && !((String) level).isEmpty()
                    && Character.isLowerCase(((String) level).charAt(0)) ? "logrus" : "slog";
        }
        // zerolog leaves "message" out when it is empty, while slog and logrus always write "msg"
        if (m.containsKey("message") || m.containsKey("level") && m.containsKey("time")) {
            return "zerolog";
        }
        return "json";
    }

    /** Whether a line can be read as the configured format; a line that cannot is kept as a parse error. */
    static boolean fits(String format, Map<String, Object> m) {
        switch (format) {
            case "caddy":
                return m.get("request") instanceof ObjectNode;
            case "traefik":
                return isTraefik(m);
            case "zap":
                return m.containsKey("ts") || m.containsKey("msg");
            case "zerolog":
                return m.containsKey("message") || m.containsKey("level") && m.containsKey("time");
            case "slog":
            case "logrus":
                return m.containsKey("msg"); // both always write it, even when empty
            default:
                return true;
        }
    }

    private static boolean isTraefik(Map<String, Object> m) {
        return m.containsKey("DownstreamStatus") || m.containsKey("ClientHost") || m.containsKey("RequestMethod");
    }
}
