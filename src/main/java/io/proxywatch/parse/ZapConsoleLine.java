package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;

import java.time.Instant;
import java.util.Map;

/**
 * zap's console encoder, what {@code zap.NewDevelopment()} writes: tab-separated time (ISO 8601), level, then the
 * logger's name and the caller when they are on, the message, and the line's fields as one JSON object, e.g.
 * {@code 2021-05-07T14:14:12.434+0800	ERROR	gw/proxy.go:120	upstream failed	{"status": 502}}.
 */
final class ZapConsoleLine {
    private ZapConsoleLine() {
    }

    /**
     * Cheap shape check before {@link #read}: an ISO date first. Every CLF line starts with a digit too (its
     * address), and looking for a tab in each of them scanned the whole line.
     */
    static boolean looks(String s) {
        return s.length() > 11 && Timestamps.digits(s, 0, 4) && s.charAt(4) == '-' && s.charAt(7) == '-';
    }

    /** Reads {@code s} into {@code r}; false when it is not a zap console line. */
    static boolean read(String s, LogRecord r) {
        int tab = s.indexOf('\t');
        if (tab < 10 || tab > 40) {
            return false;
        }
        Instant t = Timestamps.parse(s.substring(0, tab));
        int levelEnd = s.indexOf('\t', tab + 1);
        if (t == null || levelEnd < 0) {
            return false;
        }
        String level = Levels.canonical(s.substring(tab + 1, levelEnd).toLowerCase(java.util.Locale.ROOT));
        if (level == null) {
            return false;
        }
        String[] rest = s.substring(levelEnd + 1).split("\t", -1);
        int last = rest.length - 1;
        Map<String, Object> f = r.getFields();
        String json = rest[last].trim();
        if (last > 0 && json.startsWith("{") && json.endsWith("}")) {
            if (!JsonLineReader.read(json, f)) {
                return false;
            }
            LoggerFields.map(r, "zap"); // the fields' HTTP keys, in zap's units; the line's own time and level win
            last--;
        }
        String message = rest[last];
        String logger = null;
        for (int i = 0; i < last; i++) {
            if (isCaller(rest[i])) {
                f.put("caller", rest[i]);
            } else if (logger == null) {
                logger = rest[i];
            }
        }
        if (logger != null && r.getService() == null) {
            r.setService(logger);
        }
        r.setTimestamp(t);
        r.setLevel(level);
        r.setMessage(message);
        r.setFormat("zap");
        return true;
    }

    /** {@code gw/proxy.go:120}: a file, a colon and a line number. */
    private static boolean isCaller(String s) {
        int colon = s.lastIndexOf(':');
        return colon > 3 && colon < s.length() - 1 && s.startsWith(".go", colon - 3)
                && Timestamps.digits(s, colon + 1, s.length() - colon - 1);
    }
}
