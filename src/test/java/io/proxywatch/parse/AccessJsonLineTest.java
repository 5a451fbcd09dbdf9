package io.proxywatch.parse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxywatch.record.LogRecord;
import io.proxywatch.record.RecordJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path ({@link AccessJsonLine}) against the general path it stands in for: every line, whether the fast
 * path takes it or hands it on, must come out as the same record. Lines: contract access lines generated as the
 * bench writes them, the corpus's 12,800 requests (attack payloads, escapes) re-written as contract lines, the
 * samples, and tens of thousands of mutations of them (values of other types, extra and alias keys, repeated keys,
 * whitespace, cuts, junk).
 */
class AccessJsonLineTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] VALUES = {"null", "true", "false", "{}", "{\"a\":1}", "[1]", "[]", "-1", "0", "-0",
            "1.5", "1e3", "2E-2", "200.0", "01", "1.", ".5", "NaN", "-Infinity", "99999999999999999999",
            "123456789012", "2147483648", "-2147483649", "1764072000", "1764072000123", "1764072000.5", "30", "60",
            "\"200\"", "\"20\"", "\"abc\"", "\"\"", "\" \"", "\"-5\"", "\"12345\"", "\"2026-02-31T00:00:00Z\"",
            "\"2026-11-25T12:00:00\"", "\"2026-11-25 12:00:00+01:00\"", "\"2026-11-25T12:00:00.5-0330\"",
            "\"2026-11-25T12:00Z\"", "\"2026-11-25T12:00:00+1\"", "\"2026/11/25 12:00:00\"",
            "\"10/Oct/2000:13:55:36 -0700\"", "\"1764072000\"", "\"not a time\"", "\"warning\"", "\"INFO+2\"",
            "\"Info\"", "\"dpanic\"", "\"x\\u0041y\"", "\"\\ud83d\\udc4b\"", "\"bad\\x\"", "\"a\\\"b\"",
            "\"tab\\tnl\\n\"", "\"\\u00e9\"", "\"caf\u00e9 \u2603\"", "\"12.5ms\"", "\"GET\"", "\"/a?b=c\"",
            "\"?q\"", "\"\\u002Fx\"", "\"\\/x\"", "\"ctl\u0001\""};
    private static final String[] EXTRAS = {"\"host\":\"example.com\"", "\"n\":1", "\"big\":12345678901",
            "\"f\":1.25", "\"b\":false", "\"z\":null", "\"o\":{\"a\":1}", "\"arr\":[1]", "\"ts\":1", "\"msg\":\"m\"",
            "\"time\":\"2026-11-25T12:00:00Z\"", "\"fields\":{\"a\":1}", "\"logger\":\"http.log.access\"",
            "\"request\":{\"method\":\"GET\"}", "\"severity\":\"error\"", "\"remote_addr\":\"1.2.3.4:5\"",
            "\"\\u0074s\":1", "\"timestamp\":\"2026-11-25T12:00:01Z\"", "\"status\":404", "\"a\":\"x\",\"a\":\"y\"",
            "\"duration\":0.5", "\"uri\":\"/u\"", "\"referer\":\"http://x/\"", "\"DownstreamStatus\":200",
            "\"e\":-0", "\"big2\":1e400", "\"\":\"empty key\"", "\"k\\\"q\":1", "\"k\u00e9\":\"v\""};
    private static final String[] JUNK = {"x", " ", "\t", "}", ",", "\u0000", "{}", " \r", "\"", "]"};

    private final RecordParser fast = new RecordParser("auto", null);
    private final RecordParser general = new RecordParser("auto", null, false);
    private final RecordParser fastJson = new RecordParser("json", null);
    private final RecordParser generalJson = new RecordParser("json", null, false);
    private final StringCache cache = new StringCache();
    private final Instant started = Instant.now();

    @Test
    void contractAccessLinesTakeTheFastPath() throws IOException {
        List<String> base = baseLines();
        for (String line : base) {
            assertThat(AccessJsonLine.read(line, new LogRecord(), cache)).as(line).isTrue();
            same(line);
        }
        assertThat(base.size()).isGreaterThan(12_000);
    }

    @Test
    void mutatedLinesComeOutAsTheGeneralPathReadsThem() throws IOException {
        List<String> base = baseLines();
        Random rnd = new Random(42);
        int taken = 0;
        int n = 0;
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < base.size(); i += 1 + rnd.nextInt(3)) {
                String line = mutate(base.get(i), rnd);
                if (AccessJsonLine.read(line, new LogRecord(), cache)) {
                    taken++;
                }
                same(line);
                n++;
            }
        }
        // both outcomes must have been exercised, many times each
        assertThat(taken).isGreaterThan(n / 5);
        assertThat(n - taken).isGreaterThan(n / 5);
    }

    @Test
    void sampleLinesComeOutAsTheGeneralPathReadsThem() {
        for (String name : List.of("structured.log", "caddy-access.log", "caddy-runtime.log", "slog-json.log",
                "zap.log", "zerolog.log", "logrus.log", "traefik-access.log", "clf.log", "golog.log")) {
            for (String line : Samples.lines(name)) {
                same(line);
            }
        }
    }

    @Test
    void recordOfACutLineIsUntouched() {
        LogRecord r = new LogRecord();
        String line = "{\"timestamp\":\"2026-11-25T12:00:00Z\",\"extra\":1,\"level\":\"info\",\"status\":";
        assertThat(AccessJsonLine.read(line, r, cache)).isFalse();
        assertThat(r.getFields()).isEmpty();
        assertThat(r.getTimestamp()).isNull();
        assertThat(r.getLevel()).isEqualTo("INFO");
    }

    private void same(String line) {
        compare(line, fast.parse(line, "/var/log/a.log", 7), general.parse(line, "/var/log/a.log", 7));
        compare(line, fastJson.parse(line, null, 0), generalJson.parse(line, null, 0));
    }

    private void compare(String line, LogRecord a, LogRecord b) {
        String as = "line " + line;
        assertThat(a.getFormat()).as(as).isEqualTo(b.getFormat());
        assertThat(a.isParseError()).as(as).isEqualTo(b.isParseError());
        if (!a.getTimestamp().equals(b.getTimestamp())) {
            // both had no usable time and got "now", a few microseconds apart
            assertThat(a.getTimestamp()).as(as).isAfterOrEqualTo(started);
            assertThat(b.getTimestamp()).as(as).isAfterOrEqualTo(started);
            a.setTimestamp(b.getTimestamp());
        }
        assertThat(a.getLevel()).as(as).isEqualTo(b.getLevel());
        assertThat(a.getStatus()).as(as).isEqualTo(b.getStatus());
        assertThat(a.getLatencyMs()).as(as).isEqualTo(b.getLatencyMs());
        assertThat(a.getBytes()).as(as).isEqualTo(b.getBytes());
        assertThat(a.getRaw()).as(as).isSameAs(b.getRaw());
        assertThat(a.getFields().size()).as(as).isEqualTo(b.getFields().size());
        Iterator<Map.Entry<String, Object>> bi = b.getFields().entrySet().iterator();
        for (Map.Entry<String, Object> e : a.getFields().entrySet()) {
            Map.Entry<String, Object> f = bi.next();
            assertThat(e.getKey()).as(as).isEqualTo(f.getKey());
            assertThat(e.getValue()).as(as).isEqualTo(f.getValue());
            assertThat(e.getValue().getClass()).as(as).isEqualTo(f.getValue().getClass());
        }
        // and every other property, through the contract
        assertThat(new String(RecordJson.toBytes(a), StandardCharsets.UTF_8)).as(as)
                .isEqualTo(new String(RecordJson.toBytes(b), StandardCharsets.UTF_8));
    }

    private String mutate(String line, Random rnd) {
        switch (rnd.nextInt(7)) {
            case 0: { // another value for one key
                List<int[]> values = valueSpans(line);
                int[] v = values.get(rnd.nextInt(values.size()));
                return line.substring(0, v[0]) + VALUES[rnd.nextInt(VALUES.length)] + line.substring(v[1]);
            }
            case 1: { // an extra key, first, last or in between
                String extra = EXTRAS[rnd.nextInt(EXTRAS.length)];
                List<int[]> values = valueSpans(line);
                int at = rnd.nextInt(values.size() + 1);
                if (at == 0) {
                    return "{" + extra + "," + line.substring(1);
                }
                int end = values.get(at - 1)[1];
                return line.substring(0, end) + "," + extra + line.substring(end);
            }
            case 2: { // a key left out
                ObjectNode o = (ObjectNode) read(line);
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                o.remove(names.get(rnd.nextInt(names.size())));
                return o.toString();
            }
            case 3: { // whitespace between tokens
                StringBuilder b = new StringBuilder();
                boolean inString = false;
                for (int i = 0; i < line.length(); i++) {
                    char c = line.charAt(i);
                    b.append(c);
                    if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
                        inString = !inString;
                    }
                    if (!inString && (c == ',' || c == ':' || c == '{') && rnd.nextInt(3) == 0) {
                        b.append(" \t\n\r".charAt(rnd.nextInt(4)));
                    }
                }
                return (rnd.nextBoolean() ? " " : "") + b + (rnd.nextBoolean() ? " \t" : "");
            }
            case 4: // cut short
                return line.substring(0, 1 + rnd.nextInt(line.length() - 1));
            case 5: // junk after, or instead of, the closing brace
                return rnd.nextBoolean() ? line + JUNK[rnd.nextInt(JUNK.length)]
                        : line.substring(0, line.length() - 1) + JUNK[rnd.nextInt(JUNK.length)];
            default: { // one char changed
                int at = rnd.nextInt(line.length());
                String chars = "{}[]\":,\\ 0a-.eE";
                char c = chars.charAt(rnd.nextInt(chars.length()));
                return line.substring(0, at) + c + line.substring(at + 1);
            }
        }
    }

    /** [start, end) of each top-level value of a flat object written without whitespace. */
    private static List<int[]> valueSpans(String line) {
        List<int[]> out = new ArrayList<>();
        int i = 1;
        while (i < line.length() && line.charAt(i) == '"') {
            i = endOfString(line, i) + 1; // the key
            int start = ++i; // past ':'
            i = line.charAt(i) == '"' ? endOfString(line, i) + 1 : scalarEnd(line, i);
            out.add(new int[] {start, i});
            i++; // past ',' or '}'
        }
        return out;
    }

    private static int endOfString(String s, int open) {
        int i = open + 1;
        while (s.charAt(i) != '"') {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return i;
    }

    private static int scalarEnd(String s, int i) {
        while (s.charAt(i) != ',' && s.charAt(i) != '}') {
            i++;
        }
        return i;
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(line, e);
        }
    }

    /** Contract access lines as the bench generates them, and the corpus's requests written as such lines. */
    private static List<String> baseLines() throws IOException {
        List<String> out = new ArrayList<>();
        Random rnd = new Random(1);
        String[] agents = {"curl/8.4.0", "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0", "Go-http-client/1.1"};
        for (int i = 0; i < 2_000; i++) {
            int status = new int[] {200, 200, 200, 301, 404, 429, 500, 503}[rnd.nextInt(8)];
            out.add("{\"timestamp\":\"2026-11-25T12:00:" + String.format("%02d.%03dZ", i % 60, rnd.nextInt(1000))
                    + "\",\"level\":\"" + (status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO")
                    + "\",\"service\":\"gateway\",\"message\":\"GET /p" + i % 10 + " " + status
                    + "\",\"trace_id\":\"t-" + i + "\",\"client_ip\":\"10.0." + rnd.nextInt(256) + "." + rnd.nextInt(256)
                    + "\",\"method\":\"GET\",\"path\":\"/p" + i % 10 + (i % 7 == 0 ? "?q=" + i : "")
                    + "\",\"status\":" + status + ",\"latency_ms\":" + Math.round(rnd.nextDouble() * 1e5) / 100.0
                    + ",\"bytes\":" + rnd.nextInt(20_000) + ",\"user_agent\":\"" + agents[rnd.nextInt(3)] + "\"}");
        }
        RecordParser clf = new RecordParser("clf", null);
        for (String name : List.of("real-access.log", "crs-attacks.log")) {
            for (String l : Files.readAllLines(Path.of("src/test/resources/corpus", name), StandardCharsets.UTF_8)) {
                LogRecord r = clf.parse(l, name, 0);
                ObjectNode o = MAPPER.createObjectNode();
                o.put("timestamp", r.getTimestamp().toString());
                o.put("level", r.getLevel().toLowerCase());
                o.put("service", "edge");
                o.put("message", r.getMessage());
                o.put("client_ip", r.getClientIp());
                o.put("method", r.getMethod());
                o.put("path", r.getQuery() == null ? r.getPath() : r.getPath() + "?" + r.getQuery());
                o.put("status", r.getStatus());
                if (r.getBytes() != null) {
                    o.put("bytes", r.getBytes());
                }
                o.put("latency_ms", r.getStatus() / 7.0);
                if (r.getUserAgent() != null) {
                    o.put("user_agent", r.getUserAgent());
                }
                Object referer = r.getFields().get("referer");
                if (referer instanceof String) {
                    o.put("referer", (String) referer);
                }
                out.add(o.toString());
            }
        }
        return out;
    }
}
