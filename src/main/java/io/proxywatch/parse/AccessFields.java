package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;

/**
 * Conversions shared by every format that carries HTTP request data. Values arrive as JSON numbers, JSON strings
 * or logfmt text, so each helper accepts any of them and answers null (never throws) for values that do not fit.
 */
final class AccessFields {
    /** Unit multipliers to milliseconds for a bare number in a latency/duration field. */
    static final double SECONDS = 1_000d;
    static final double MILLIS = 1d;
    static final double NANOS = 1e-6;

    private AccessFields() {
    }

    /** An HTTP status 100-599 from a number or a numeric string; anything else (e.g. "ok") is not a status. */
    static Integer status(Object v) {
        int s;
        if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (d != Math.rint(d)) {
                return null;
            }
            s = (int) d;
        } else if (v instanceof String) {
            String t = (String) v;
            if (t.length() != 3 || !Timestamps.digits(t, 0, 3)) {
                return null;
            }
            s = Integer.parseInt(t);
        } else {
            return null;
        }
        return s >= 100 && s <= 599 ? s : null;
    }

    static Long bytes(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            // beyond a long (a BigInteger from the JSON reader) longValue() wraps round to a made-up size
            return d >= 0 && d < 0x1p63 ? n.longValue() : null;
        }
        if (v instanceof String) {
            String t = (String) v;
            if (t.isEmpty() || t.length() > 18 || !Timestamps.digits(t, 0, t.length())) {
                return null; // "-" in CLF means no body was sent
            }
            return Long.parseLong(t);
        }
        return null;
    }

    /**
     * Latency in milliseconds. Strings may be Go durations ("12.5ms") or bare numbers; a bare number is in
     * {@code unitMs} because each logger picks its own unit (zap seconds, slog nanoseconds, zerolog millis).
     */
    static Double millis(Object v, double unitMs) {
        double ms;
        if (v instanceof Number) {
            double n = ((Number) v).doubleValue();
            // a Go time.Duration written as a number of nanoseconds is whole; 0.2534 is zap's seconds, from a zap
            // logger whose time key is "time" (so the line was not told from logrus or slog by its "ts")
            ms = n * (unitMs == NANOS && n != Math.rint(n) ? SECONDS : unitMs);
        } else if (v instanceof String) {
            String t = (String) v;
            ms = GoDurations.toMillis(t);
            if (Double.isNaN(ms)) {
                try {
                    ms = Double.parseDouble(t) * unitMs;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        } else {
            return null;
        }
        double rounded = roundedMillis(ms);
        return Double.isNaN(rounded) ? null : rounded;
    }

    /** A latency in milliseconds as the record keeps it, or NaN for one that is not a latency (negative, infinite). */
    static double roundedMillis(double ms) {
        if (Double.isNaN(ms) || Double.isInfinite(ms) || ms < 0) {
            return Double.NaN;
        }
        // microsecond resolution: float noise from unit conversion (0.088438000001) helps nobody
        return Math.round(ms * 1000d) / 1000d;
    }

    /** A request target as logged, split at the first '?'; both halves stay percent-encoded for the detectors. */
    static void target(LogRecord r, String target) {
        if (target == null) {
            return;
        }
        int q = target.indexOf('?');
        if (q < 0) {
            r.setPath(target);
        } else {
            r.setPath(target.substring(0, q));
            r.setQuery(target.substring(q + 1));
        }
    }

    /**
     * A client address as the detectors count and allow it: without the port of a Go server's RemoteAddr
     * ({@code 203.0.113.9:51234}, {@code [2001:db8::1]:443}), without blanks, and an IPv4 client written the IPv6
     * way ({@code ::ffff:203.0.113.9}) as plain IPv4. Kept as logged, each connection's port was a client of its
     * own: 150 requests from one address over 150 ports raised no burst, and an allow-listed address with a port
     * was not allowed.
     */
    static String clientAddress(String addr) {
        if (addr == null || addr.isEmpty()) {
            return null;
        }
        String a = addr.charAt(0) <= ' ' || addr.charAt(addr.length() - 1) <= ' ' ? addr.strip() : addr;
        a = host(a);
        if (a != null && a.length() > 7 && a.charAt(0) == ':' && a.regionMatches(true, 0, "::ffff:", 0, 7)
                && a.indexOf('.') > 7 && a.indexOf(':', 7) < 0) {
            a = a.substring(7);
        }
        return a == null || a.isEmpty() ? null : a;
    }

    /** "203.0.113.9:51234" to "203.0.113.9", "[::1]:80" to "::1"; a bare IPv6 address is returned as is. */
    private static String host(String addr) {
        if (addr == null || addr.isEmpty()) {
            return null;
        }
        if (addr.charAt(0) == '[') {
            int end = addr.indexOf(']');
            return end > 0 ? addr.substring(1, end) : addr;
        }
        int colon = addr.indexOf(':');
        if (colon > 0 && addr.indexOf(':', colon + 1) < 0) {
            return addr.substring(0, colon);
        }
        return addr;
    }

    /** "GET /path 200": a readable message for access lines that did not bring one. */
    static String message(LogRecord r) {
        StringBuilder b = new StringBuilder(64);
        if (r.getMethod() != null) {
            b.append(r.getMethod());
        }
        if (r.getPath() != null) {
            if (b.length() > 0) b.append(' ');
            b.append(r.getPath());
        }
        if (r.getStatus() != null) {
            if (b.length() > 0) b.append(' ');
            b.append(r.getStatus().intValue());
        }
        return b.toString();
    }

    /** The trace id inside a W3C traceparent (version-traceid-parentid-flags), else the header as it came. */
    static String traceFromHeader(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.length() >= 55 && v.charAt(2) == '-' && v.charAt(35) == '-') {
            return v.substring(3, 35);
        }
        return v;
    }

    static String string(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String) {
            return (String) v;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return null;
    }
}
