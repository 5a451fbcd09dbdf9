package io.proxywatch.testkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * The benchmarks' collector: a lean HTTP sink on 127.0.0.1 that counts what arrives, for any shipper.
 *
 * <p>Accepts {@code POST} on any path with the proxywatch JSON envelope ({@code {"hostname":…,"logs":[records]}},
 * {@code application/json}, told by its first key) or one JSON object per line (NDJSON, any other Content-Type:
 * proxywatch's ndjson and the raw lines syslog-ng or Fluent Bit forward), gzip or not. Per record it reads only {@code trace_id} and
 * {@code timestamp}, in one pass over the bytes that tracks strings and brackets ({@link Records}; no tree, no
 * schema check: TestCollector does those in the tests), so the collector takes as little as possible of the CPU
 * the shipper is measured on. bench/lib.sh runs it with C1 only, for the same reason (its JIT was ~1.8 CPU s of a
 * bulk run).
 *
 * <p>Trace ids {@code t-<n>} are counted per n (first arrival, duplicates); the record's {@code timestamp} (the
 * time the generator appended the line, in the steady and alert scenarios) against the arrival time gives the lag.
 * Other trace ids are counted apart.
 *
 * <p>{@code GET /stats?expect=N&skip=K} answers one JSON object: requests, records, distinct, duplicates, lost
 * (ids below N never seen), first/last arrival (epoch ms), the arrival of the last new id, and lag percentiles in
 * ms over ids K..N-1, and how many /stats requests are waiting. With {@code &wait_distinct=D&wait_ms=M} it answers
 * once D distinct ids have arrived, or after M ms: the bench scripts wait on that instead of asking every half
 * second, which started two Python processes each time on the cores the shipper is measured on (6.6% of a bulk
 * run's perf samples on both cores). {@code POST /reset} forgets everything (between runs).
 *
 * <p>{@code java -cp proxywatch.jar:test-classes io.proxywatch.testkit.BenchCollector PORT}
 */
public final class BenchCollector {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int NONE = Integer.MIN_VALUE;

    private byte[] counts = new byte[1 << 20];
    private int[] lagMs = new int[1 << 20];
    private int maxId = -1;
    private long requests;
    private long records;
    private long distinct;
    private long duplicates;
    private long badRequests;
    private long firstArrival;
    private long lastArrival;
    private int waiters; // /stats requests waiting for a distinct count
    private long lastNewArrival;
    private final Map<String, Integer> others = new HashMap<>();
    private final long delayMs;

    private BenchCollector(long delayMs) {
        this.delayMs = delayMs;
    }

    /**
     * {@code -Dbench.collector.delay-ms=N}: each batch is answered N ms after it arrived, as a collector across a
     * network (its round trip and its own work) would. A chunk stays in the tailer's in-flight count until its batch
     * is answered, so this shows what a distant collector does to reading.
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // a waiting /stats holds a thread; shippers send 4 batches at a time
        HttpServer s = start(Integer.parseInt(args[0]), Executors.newFixedThreadPool(8),
                Long.getLong("bench.collector.delay-ms", 0));
        System.out.println("bench collector on 127.0.0.1:" + s.getAddress().getPort());
    }

    /** A collector listening on 127.0.0.1:{@code port} (0: any free port), handling requests on {@code executor}. */
    static HttpServer start(int port, Executor executor) throws IOException {
        return start(port, executor, 0);
    }

    /** As above, answering each batch {@code delayMs} after it arrived. */
    static HttpServer start(int port, Executor executor, long delayMs) throws IOException {
        BenchCollector c = new BenchCollector(delayMs);
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        s.createContext("/", c::handle);
        s.setExecutor(executor);
        s.start();
        return s;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            long now = System.currentTimeMillis();
            byte[] raw;
            try (InputStream in = ex.getRequestBody()) {
                raw = in.readAllBytes();
            }
            String path = ex.getRequestURI().getPath();
            if ("GET".equals(ex.getRequestMethod()) && path.equals("/stats")) {
                Map<String, String> q = query(ex.getRequestURI().getRawQuery());
                if (q.containsKey("wait_distinct")) {
                    awaitDistinct(Long.parseLong(q.get("wait_distinct")),
                            Long.parseLong(q.getOrDefault("wait_ms", "1000")));
                }
                reply(ex, 200, stats(q));
                return;
            }
            if (path.equals("/reset")) {
                reset();
                reply(ex, 200, "{}");
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                reply(ex, 405, "{\"error\":\"POST only\"}");
                return;
            }
            String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            int n;
            try {
                byte[] body = enc != null && enc.trim().equalsIgnoreCase("gzip") ? gunzip(raw) : raw;
                boolean envelope = type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")
                        && opensEnvelope(body);
                n = envelope ? envelope(body, now) : ndjson(body, now);
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    badRequests++;
                }
                reply(ex, 400, "{\"error\":\"" + e.toString().replace('"', '\'') + "\"}");
                return;
            }
            long wait = now + delayMs - System.currentTimeMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            reply(ex, 200, "{\"accepted\":" + n + "}");
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    private static byte[] gunzip(byte[] raw) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        }
    }

    private static final byte[] HOSTNAME = "hostname".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOGS = "logs".getBytes(StandardCharsets.US_ASCII);

    /**
     * The proxywatch envelope opens with its "hostname" (or, written by hand, "logs") key; anything else labelled
     * application/json is NDJSON (syslog-ng's default label), a single line included. Looking at the first key
     * rather than for a second line: an envelope has no line break, so that search read every byte of it again.
     */
    static boolean opensEnvelope(byte[] b) throws IOException {
        int open = firstNonBlank(b, 0, b.length);
        if (open < 0 || b[open] != '{') {
            return false;
        }
        int key = Records.skipBlanks(b, open + 1, b.length);
        if (key >= b.length || b[key] != '"') {
            return false;
        }
        int end = Records.stringEnd(b, key, b.length);
        return Records.equals(b, key + 1, end, HOSTNAME) || Records.equals(b, key + 1, end, LOGS);
    }

    /** {"hostname":…,"logs":[{…},…]}: every object in "logs" (objects at depth 3: the envelope, the array). */
    private int envelope(byte[] body, long now) throws IOException {
        Rec batch = new Rec();
        int n = Records.scan(body, 0, body.length, 3, batch);
        account(batch, now);
        return n;
    }

    /** One JSON object per line; blank lines skipped. */
    private int ndjson(byte[] body, long now) throws IOException {
        Rec batch = new Rec();
        int n = 0;
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int first = firstNonBlank(body, start, i);
                if (first >= 0) {
                    if (body[first] != '{') {
                        throw new IOException("ndjson line is not an object");
                    }
                    n += Records.scan(body, start, i, 1, batch);
                }
                start = i + 1;
            }
        }
        account(batch, now);
        return n;
    }

    /** The index of the first byte of {@code b[from, to)} that is not blank, or -1. */
    private static int firstNonBlank(byte[] b, int from, int to) {
        int i = Records.skipBlanks(b, from, to);
        return i < to ? i : -1;
    }

    /**
     * Reads {@code trace_id} and {@code timestamp} of each object at one nesting depth in a single pass over the
     * bytes, tracking only strings and brackets: a Jackson parser per record cost the collector ~1 µs a record (and
     * its own JIT) on the two cores the shipper is measured on. Not a validator: TestCollector checks the schema.
     */
    static final class Records {
        private static final byte[] TRACE_ID = "trace_id".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TIMESTAMP = "timestamp".getBytes(StandardCharsets.US_ASCII);

        private Records() {
        }

        /** Counts the objects at {@code recordDepth} (1 = top level) in {@code b[from, to)}, adding each to batch. */
        static int scan(byte[] b, int from, int to, int recordDepth, Rec batch) throws IOException {
            int depth = 0;
            int n = 0;
            String trace = null;
            String ts = null;
            for (int i = from; i < to; i++) {
                byte c = b[i];
                if (c == '"') {
                    int end = stringEnd(b, i, to);
                    if (depth == recordDepth) {
                        int colon = skipBlanks(b, end + 1, to);
                        if (colon < to && b[colon] == ':') {
                            int v = skipBlanks(b, colon + 1, to);
                            if (v < to && b[v] == '"') {
                                if (equals(b, i + 1, end, TRACE_ID)) {
                                    trace = text(b, v, stringEnd(b, v, to));
                                } else if (equals(b, i + 1, end, TIMESTAMP)) {
                                    ts = text(b, v, stringEnd(b, v, to));
                                }
                            }
                        }
                    }
                    i = end;
                } else if (c == '{' || c == '[') {
                    depth++;
                    if (c == '{' && depth == recordDepth) {
                        trace = null;
                        ts = null;
                    }
                } else if (c == '}' || c == ']') {
                    if (c == '}' && depth == recordDepth) {
                        batch.add(trace, ts);
                        n++;
                    }
                    if (--depth < 0) {
                        throw new IOException("unbalanced " + (char) c + " at byte " + i);
                    }
                }
            }
            if (depth != 0) {
                throw new IOException("truncated JSON: " + depth + " brackets left open");
            }
            return n;
        }

        /** The index of the quote closing the string that opens at {@code open}. */
        static int stringEnd(byte[] b, int open, int to) throws IOException {
            for (int i = open + 1; i < to; i++) {
                if (b[i] == '\\') {
                    i++;
                } else if (b[i] == '"') {
                    return i;
                }
            }
            throw new IOException("unterminated string at byte " + open);
        }

        /** The index of the first byte from {@code i} on that is not blank, or {@code to}. */
        static int skipBlanks(byte[] b, int i, int to) {
            while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
                i++;
            }
            return i;
        }

        static boolean equals(byte[] b, int from, int to, byte[] name) {
            return to - from == name.length && Arrays.equals(b, from, to, name, 0, name.length);
        }

        /** The string value between the quotes at {@code open} and {@code close}, escapes decoded by Jackson. */
        private static String text(byte[] b, int open, int close) throws IOException {
            for (int i = open + 1; i < close; i++) {
                if (b[i] == '\\') {
                    try (JsonParser p = JSON.createParser(b, open, close - open + 1)) {
                        p.nextToken();
                        return p.getText();
                    }
                }
            }
            return new String(b, open + 1, close - open - 1, StandardCharsets.UTF_8);
        }
    }

    /** The records of one request, collected before taking the lock once. */
    static final class Rec {
        int size;
        String[] traces = new String[1024];
        long[] times = new long[1024];

        void add(String trace, String ts) {
            if (size == traces.length) {
                traces = Arrays.copyOf(traces, size * 2);
                times = Arrays.copyOf(times, size * 2);
            }
            traces[size] = trace;
            times[size] = millis(ts);
            size++;
        }
    }

    static long millis(String ts) {
        if (ts == null) {
            return NONE;
        }
        long utc = utcMillis(ts);
        if (utc != NONE) {
            return utc;
        }
        try {
            return Instant.parse(ts).toEpochMilli();
        } catch (RuntimeException e) {
            try {
                return OffsetDateTime.parse(ts).toInstant().toEpochMilli();
            } catch (RuntimeException e2) {
                return NONE;
            }
        }
    }

    /**
     * {@code 2026-11-25T12:00:01.123Z} (any number of fraction digits, or none), the form the generators and
     * proxywatch write, read without java.time's parser: that took 0.5–2.6 µs a record, a second or two of the
     * collector's CPU per million records on the cores the shipper is measured on. NONE for any other form.
     */
    static long utcMillis(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || (n > 20 && (n == 21 || s.charAt(19) != '.'))) {
            return NONE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int fraction = n == 20 ? 0 : digits(s, 20, n - 21);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || fraction < 0) {
            return NONE;
        }
        int ms = n == 20 ? 0 : digits(s, 20, Math.min(3, n - 21));
        for (int i = n - 21; i < 3; i++) {
            ms *= 10;
        }
        long days;
        try {
            days = java.time.LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException e) {
            return NONE; // 30 February and the like
        }
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000L + ms;
    }

    /** The decimal number in {@code s[from, from+len)}, or -1 when a char there is not a digit. */
    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Returns once {@code want} distinct ids have arrived, or after {@code ms} (or on interrupt). */
    private synchronized void awaitDistinct(long want, long ms) {
        long until = System.nanoTime() + ms * 1_000_000;
        waiters++;
        try {
            for (long left = ms; distinct < want && left > 0; left = (until - System.nanoTime()) / 1_000_000) {
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiters--;
        }
    }

    private synchronized void account(Rec b, long now) {
        requests++;
        records += b.size;
        if (firstArrival == 0) {
            firstArrival = now;
        }
        lastArrival = now;
        for (int i = 0; i < b.size; i++) {
            String t = b.traces[i];
            int id = idOf(t);
            if (id < 0) {
                others.merge(String.valueOf(t), 1, Integer::sum);
                continue;
            }
            if (id >= counts.length) {
                int len = Math.max(id + 1, counts.length * 2);
                counts = Arrays.copyOf(counts, len);
                lagMs = Arrays.copyOf(lagMs, len);
            }
            if (counts[id] == 0) {
                distinct++;
                lastNewArrival = now;
                long ts = b.times[i];
                lagMs[id] = ts == NONE ? NONE : (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE,
                        now - ts));
                maxId = Math.max(maxId, id);
            } else {
                duplicates++;
            }
            if (counts[id] < Byte.MAX_VALUE) {
                counts[id]++;
            }
        }
        if (waiters > 0) {
            notifyAll(); // each waiter checks its own count
        }
    }

    /** n of "t-n", or -1. */
    private static int idOf(String t) {
        if (t == null || t.length() < 3 || t.charAt(0) != 't' || t.charAt(1) != '-' || t.length() > 12) {
            return -1;
        }
        long v = 0;
        for (int i = 2; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > Integer.MAX_VALUE - 1 ? -1 : (int) v;
    }

    private synchronized void reset() {
        Arrays.fill(counts, (byte) 0);
        maxId = -1;
        requests = records = distinct = duplicates = badRequests = 0;
        firstArrival = lastArrival = lastNewArrival = 0;
        others.clear();
    }

    private synchronized String stats(Map<String, String> q) {
        int expect = Integer.parseInt(q.getOrDefault("expect", String.valueOf(maxId + 1)));
        int skip = Integer.parseInt(q.getOrDefault("skip", "0"));
        long lost = 0;
        long beyond = 0;
        int[] lags = new int[Math.max(0, expect - skip)];
        int nl = 0;
        for (int i = 0; i < expect; i++) {
            boolean seen = i < counts.length && counts[i] != 0;
            if (!seen) {
                lost++;
            } else if (i >= skip && lagMs[i] != NONE) {
                lags[nl++] = lagMs[i];
            }
        }
        for (int i = expect; i <= maxId; i++) {
            if (counts[i] != 0) {
                beyond++;
            }
        }
        Arrays.sort(lags, 0, nl);
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"requests\":").append(requests).append(",\"records\":").append(records)
                .append(",\"distinct\":").append(distinct).append(",\"duplicates\":").append(duplicates)
                .append(",\"expect\":").append(expect).append(",\"lost\":").append(lost)
                .append(",\"unexpected_ids\":").append(beyond).append(",\"other_ids\":").append(others.size())
                .append(",\"bad_requests\":").append(badRequests).append(",\"waiting\":").append(waiters)
                .append(",\"first_arrival_ms\":").append(firstArrival).append(",\"last_arrival_ms\":").append(lastArrival)
                .append(",\"last_new_arrival_ms\":").append(lastNewArrival)
                .append(",\"lag_n\":").append(nl);
        if (nl > 0) {
            for (double pct : new double[] {50, 90, 99, 99.9}) {
                int idx = (int) Math.min(nl - 1, Math.ceil(pct / 100 * nl) - 1);
                sb.append(",\"lag_p").append(String.valueOf(pct).replace(".0", "").replace('.', '_'))
                        .append("_ms\":").append(lags[Math.max(0, idx)]);
            }
            sb.append(",\"lag_max_ms\":").append(lags[nl - 1]);
        }
        return sb.append('}').toString();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    q.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        return q;
    }
}
