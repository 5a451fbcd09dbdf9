package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;

import java.time.Instant;

/**
 * Common and Combined Log Format: {@code host ident user [date] "request" status bytes ["referer" "agent"]},
 * plus whatever a server appends (Traefik's "count "router" "backend" 12ms" is read for its duration). Scanned by
 * hand: a regex with an alternation inside a repeated group overflows the stack on a megabyte of payload.
 *
 * <p>The request target stays as logged (percent-encoding kept, not normalised) because detectors need the raw
 * form; only the log's own \" and \\ escapes are undone. A request line that is not "METHOD target [HTTP/x]"
 * (TLS bytes sent to a plain-HTTP port, a bare "-") is kept in fields as {@code request}, without method or path.
 */
final class ClfParser {
    private ClfParser() {
    }

    /** Cheap shape check used by auto-detection before the real parse. */
    static boolean looks(String s) {
        int b = s.indexOf(" [");
        return b > 0 && s.indexOf("] \"", b) > 0;
    }

    /**
     * Reads {@code s} into {@code r}; false when it is not CLF. Method, protocol, referer and user agent come from
     * {@code strings}: they repeat from line to line, and a shared String also lets the detectors' verdict caches
     * compare by identity instead of character by character.
     */
    static boolean parse(String s, LogRecord r, StringCache strings) {
        Cursor c = new Cursor(s, strings);
        String host = c.token();
        String chain = null;
        // Traefik writes ClientHost, which is the X-Forwarded-For list when the request came through a proxy
        // ("203.0.113.9, 10.0.0.2"): the last address is the one the nearest proxy saw
        while (host != null && host.endsWith(",")) {
            chain = chain == null ? host : chain + " " + host;
            host = c.token();
        }
        String ident = c.token();
        if (host == null || ident == null) {
            return false;
        }
        // the user may contain spaces (rare, but seen with URL-encoded names): it runs up to " ["
        int bracket = s.indexOf(" [", c.i);
        if (bracket < 0) {
            return false;
        }
        String user = s.substring(c.i, bracket);
        c.i = bracket + 2;
        int close = s.indexOf(']', c.i);
        if (close < 0) {
            return false;
        }
        Instant t = Timestamps.clf(s, c.i, close);
        if (t == null) {
            return false;
        }
        c.i = close + 1;
        if (!c.skip(' ') || !c.skip('"')) {
            return false;
        }
        int requestStart = c.i;
        String request = c.quotedRest(false);
        if (request == null || !statusFollows(s, c.i - 1)) {
            // Traefik writes the request line as the client sent it, quotes and all ("GET /?q=1'"x HTTP/1.1"):
            // it ends at the first quote followed by a status and a byte count. Refused, one '"' in a query hid
            // the request from every detector
            int end = requestEnd(s, requestStart);
            if (end < 0) {
                return false;
            }
            request = s.substring(requestStart, end);
            c.i = end + 1;
        }
        if (!c.skip(' ')) {
            return false;
        }
        String status = c.token();
        String bytes = status == null ? null : c.tokenOrEnd();
        if (bytes == null) {
            return false;
        }
        Integer st = AccessFields.status(status);
        // "-", or Traefik's 0 when it answered itself (a redirect, a middleware's 401/403/429, ping@internal): no
        // status, but a request all the same
        if (st == null && !"-".equals(status) && !(status.length() <= 3 && Timestamps.digits(status, 0,
                status.length()))) {
            return false;
        }
        Long b = AccessFields.bytes(bytes);
        if (b == null && !"-".equals(bytes)) {
            return false;
        }
        String referer = null;
        String agent = null;
        if (c.at(" \"")) {
            c.i += 2;
            int refererStart = c.i;
            referer = c.quotedRest(true);
            if (referer == null || c.i < s.length() && s.charAt(c.i) != ' ') {
                // a quote inside it, unescaped as Traefik writes it: up to the quote that opens the user agent
                int end = s.indexOf("\" \"", refererStart);
                if (end < 0) {
                    return false;
                }
                referer = s.substring(refererStart, end);
                c.i = end + 1;
            }
            if (!c.at(" \"")) {
                return false;
            }
            c.i += 2;
            int agentStart = c.i;
            agent = c.quotedRest(true);
            if (agent == null) {
                // a line cut inside the user agent still has every request field: keep what is there
                agent = s.substring(agentStart);
                c.i = s.length();
            }
        }

        r.setTimestamp(t);
        r.setClientIp(AccessFields.clientAddress(host));
        if (chain != null) {
            r.getFields().put("forwarded_for", chain + " " + host);
        }
        if (!"-".equals(ident)) r.getFields().put("ident", ident);
        if (!"-".equals(user)) r.getFields().put("user", user);
        request(r, request, strings);
        r.setStatus(st);
        r.setBytes(b);
        String ref = referer == null || "-".equals(referer) ? null : referer;
        if (ref != null) {
            r.getFields().put("referer", ref);
        }
        r.setReferer(ref);
        if (agent != null && !"-".equals(agent)) r.setUserAgent(agent);
        extra(r, s.substring(Math.min(c.i, s.length())).trim());
        if (st != null) {
            r.setLevel(Levels.fromStatus(st));
        }
        r.setMessage(AccessFields.message(r));
        return true;
    }

    /**
     * The closing quote of a request line written unescaped: the first quote from {@code from} on that is followed
     * by a space, a status ("-" or up to three digits), a space and a byte count ("-" or digits) that ends the line
     * or a space; -1 when there is none.
     */
    private static int requestEnd(String s, int from) {
        for (int q = s.indexOf('"', from); q >= 0; q = s.indexOf('"', q + 1)) {
            if (statusFollows(s, q)) {
                return q;
            }
        }
        return -1;
    }

    /** Whether the quote at {@code q} is followed by a space, a status, a space and a byte count. */
    private static boolean statusFollows(String s, int q) {
        int n = s.length();
        int st = q + 2;
        if (st >= n || s.charAt(q + 1) != ' ') {
            return false;
        }
        int sp = s.indexOf(' ', st);
        if (sp < 0 || !(sp - st == 1 && s.charAt(st) == '-'
                || sp - st >= 1 && sp - st <= 3 && Timestamps.digits(s, st, sp - st))) {
            return false;
        }
        int b = sp + 1;
        int bEnd = s.indexOf(' ', b);
        if (bEnd < 0) {
            bEnd = n;
        }
        return bEnd > b && (bEnd - b == 1 && s.charAt(b) == '-' || Timestamps.digits(s, b, bEnd - b));
    }

    private static void request(LogRecord r, String req, StringCache strings) {
        int sp = req.indexOf(' ');
        if (sp <= 0 || !isMethod(req, sp)) {
            if (!req.isEmpty() && !"-".equals(req)) {
                r.getFields().put("request", req);
            }
            return;
        }
        r.setMethod(strings.get(req, 0, sp));
        int last = req.lastIndexOf(' ');
        String target;
        if (last > sp && req.startsWith("HTTP/", last + 1)) {
            target = req.substring(sp + 1, last);
            r.getFields().put("protocol", strings.get(req, last + 1, req.length()));
        } else {
            target = req.substring(sp + 1);
        }
        AccessFields.target(r, target);
    }

    private static boolean isMethod(String s, int end) {
        if (end > 24) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && c != '-' && c != '_') {
                return false;
            }
        }
        return true;
    }

    /** Text after the standard fields; a trailing Go duration ("12ms", Traefik's CLF) is the request latency. */
    private static void extra(LogRecord r, String rest) {
        if (rest.isEmpty()) {
            return;
        }
        r.getFields().put("extra", rest);
        int sp = rest.lastIndexOf(' ');
        String last = rest.substring(sp + 1);
        if (!last.isEmpty() && !Timestamps.isDigit(last.charAt(last.length() - 1))) {
            double ms = GoDurations.toMillis(last);
            if (!Double.isNaN(ms) && ms >= 0) {
                r.setLatencyMs(Math.round(ms * 1000d) / 1000d);
            }
        }
    }

    /** A position in the line; one per parse, never shared. */
    private static final class Cursor {
        final String s;
        final StringCache strings;
        int i;

        Cursor(String s, StringCache strings) {
            this.s = s;
            this.strings = strings;
        }

        boolean skip(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        boolean at(String t) {
            return s.startsWith(t, i);
        }

        /** Up to the next space, which is consumed; null at the end of the line or for an empty token. */
        String token() {
            int sp = s.indexOf(' ', i);
            if (sp <= i) {
                return null;
            }
            String t = s.substring(i, sp);
            i = sp + 1;
            return t;
        }

        /** Up to the next space (not consumed) or the end. */
        String tokenOrEnd() {
            int sp = s.indexOf(' ', i);
            int end = sp < 0 ? s.length() : sp;
            if (end <= i) {
                return null;
            }
            String t = s.substring(i, end);
            i = end;
            return t;
        }

        /**
         * A quoted string whose opening quote is consumed; \" and \\ undone. Null when never closed. {@code shared}:
         * from the string cache, for values that repeat.
         */
        String quotedRest(boolean shared) {
            int n = s.length();
            int start = i;
            StringBuilder b = null;
            while (i < n) {
                char c = s.charAt(i);
                if (c == '"') {
                    String v = b != null ? b.toString() : shared ? strings.get(s, start, i) : s.substring(start, i);
                    i++;
                    return v;
                }
                if (c == '\\' && i + 1 < n && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                    if (b == null) {
                        b = new StringBuilder(s.length() - start).append(s, start, i);
                    }
                    b.append(s.charAt(i + 1));
                    i += 2;
                    continue;
                }
                if (b != null) {
                    b.append(c);
                }
                i++;
            }
            return null;
        }
    }
}
