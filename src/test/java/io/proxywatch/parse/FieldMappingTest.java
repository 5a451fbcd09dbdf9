package io.proxywatch.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxywatch.record.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Field by field, what each real sample line becomes. */
class FieldMappingTest {
    private final RecordParser auto = new RecordParser("auto", "edge-proxy");

    private LogRecord parse(String file, int line) {
        LogRecord r = auto.parse(Samples.line(file, line), file, 100);
        assertThat(r.isParseError()).as("parse error for %s:%d", file, line).isFalse();
        return r;
    }

    @Test
    void caddyAccessLineWithQueryAndUserAgent() {
        LogRecord r = parse("caddy-access.log", 1);
        assertThat(r.getFormat()).isEqualTo("caddy");
        assertThat(r.getTimestamp()).isEqualTo(Instant.parse("2026-11-25T12:02:18.518275Z"));
        assertThat(r.getLevel()).isEqualTo("INFO");
        assertThat(r.getMessage()).isEqualTo("handled request");
        assertThat(r.getService()).isEqualTo("http.log.access.log0");
        assertThat(r.getClientIp()).isEqualTo("127.0.0.1");
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getPath()).isEqualTo("/ok");
        assertThat(r.getQuery()).isEqualTo("user=alice&q=a%20b");
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getLatencyMs()).isCloseTo(0.088, within(0.001));
        assertThat(r.getBytes()).isEqualTo(2L);
        assertThat(r.getUserAgent()).isEqualTo("Mozilla/5.0 (X11; Linux x86_64) proxywatch-test");
        assertThat(r.getTraceId()).isNull();
        assertThat(r.getFields()).containsEntry("request.host", "127.0.0.1:18080")
                .containsEntry("request.proto", "HTTP/1.1")
                .containsEntry("request.remote_port", "56510")
                .containsEntry("user_id", "")
                .containsKey("resp_headers")
                .doesNotContainKeys("request", "status", "duration", "size", "ts", "level", "msg", "logger");
        JsonNode headers = (JsonNode) r.getFields().get("request.headers");
        assertThat(headers.has("User-Agent")).isFalse();
        assertThat(headers.get("Accept").get(0).asText()).isEqualTo("*/*");
    }

    /**
     * A Go gateway that logs r.RemoteAddr as its client_ip writes the connection's port too, and a dual-stack
     * socket an IPv4 client the IPv6 way: the client is the address alone, for every format, so that its
     * requests from many ports are one client's to the rate windows and the allow-list.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "203.0.113.9:51234|203.0.113.9",
        "[2001:db8::1]:443|2001:db8::1",
        "[2001:db8::1]|2001:db8::1",
        "2001:db8::1|2001:db8::1",
        "::ffff:203.0.113.9|203.0.113.9",
        "[::FFFF:203.0.113.9]:8080|203.0.113.9",
        "::ffff:cb00:7109|::ffff:cb00:7109",
        "' 203.0.113.9 '|203.0.113.9",
        "203.0.113.9|203.0.113.9"})
    void aClientAddressIsTheAddressAloneInEveryFormat(String logged, String client) {
        String slog = "{\"time\":\"2026-11-25T12:00:00Z\",\"level\":\"INFO\",\"msg\":\"request\",\"client_ip\":\""
                + logged + "\",\"method\":\"GET\",\"path\":\"/\",\"status\":200}";
        String caddy = "{\"level\":\"info\",\"ts\":1795608138.5,\"logger\":\"http.log.access\",\"msg\":\"handled "
                + "request\",\"request\":{\"remote_ip\":\"" + logged + "\",\"method\":\"GET\",\"uri\":\"/\"},"
                + "\"duration\":0.001,\"size\":2,\"status\":200}";
        String traefik = "{\"ClientHost\":\"" + logged + "\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/\","
                + "\"DownstreamStatus\":200,\"time\":\"2026-11-25T12:00:00Z\"}";
        String zap = "{\"level\":\"info\",\"ts\":1795608138.5,\"msg\":\"request\",\"remote_addr\":\"" + logged
                + "\",\"method\":\"GET\",\"path\":\"/\",\"status\":200}";
        for (String line : new String[] {slog, caddy, traefik, zap}) {
            LogRecord r = auto.parse(line, "access.log", 0);
            assertThat(r.isAccess()).as(line).isTrue();
            assertThat(r.getClientIp()).as(line).isEqualTo(client);
        }
        if (!logged.contains(" ") && !logged.contains("[")) {
            LogRecord clf = auto.parse(logged + " - - [25/Nov/2026:12:00:00 +0000] \"GET / HTTP/1.1\" 200 2 \"-\" \"x\"",
                    "access.log", 0);
            assertThat(clf.getClientIp()).as("CLF").isEqualTo(client);
        }
    }

    /** Behind a load balancer Caddy 2.7+ logs the balancer as remote_ip and the client as client_ip. */
    @Test
    void caddyBehindTrustedProxiesCountsTheClientNotTheBalancer() {
        LogRecord r = auto.parse("{\"level\":\"info\",\"ts\":1795608138.5,\"logger\":\"http.log.access\","
                + "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"10.0.0.2\",\"remote_port\":\"4431\","
                + "\"client_ip\":\"203.0.113.9\",\"proto\":\"HTTP/1.1\",\"method\":\"GET\",\"host\":\"example.com\","
                + "\"uri\":\"/login\",\"headers\":{}},\"duration\":0.001,\"size\":2,\"status\":200}", "caddy.log", 0);
        assertThat(r.getFormat()).isEqualTo("caddy");
        assertThat(r.getClientIp()).isEqualTo("203.0.113.9");
        assertThat(r.getFields()).containsEntry("request.remote_ip", "10.0.0.2").doesNotContainKey("request.client_ip");
    }

    /** zap with its ISO8601TimeEncoder: "ts" is a string, and durations are still float seconds. */
    @Test
    void zapWithIsoTimestampsIsZapAndItsLatencyIsSeconds() {
        LogRecord r = auto.parse("{\"level\":\"info\",\"ts\":\"2026-11-26T10:00:00.123Z\",\"caller\":\"gw/main.go:42\","
                + "\"msg\":\"request\",\"method\":\"GET\",\"path\":\"/api\",\"status\":200,\"latency\":0.25}", "gw.log", 0);
        assertThat(r.getFormat()).isEqualTo("zap");
        assertThat(r.getTimestamp()).isEqualTo(Instant.parse("2026-11-26T10:00:00.123Z"));
        assertThat(r.getLatencyMs()).isCloseTo(250.0, within(0.001));
    }

    @ParameterizedTest(name = "caddy line {0}: status {1} -> {2}")
    @CsvSource({
            "1, 200, INFO",   // level info
            "2, 404, WARN",   // Caddy says "error" for every 4xx: the status decides
            "3, 500, ERROR",
            "4, 502, ERROR",
            "9, 200, INFO",
    })
    void caddyLevelComesFromStatus(int line, int status, String level) {
        LogRecord r = parse("caddy-access.log", line);
        assertThat(r.getStatus()).isEqualTo(status);
        assertThat(r.getLevel()).isEqualTo(level);
    }

    @Test
    void caddyTraceIdFromRequestHeaders() {
        assertThat(parse("caddy-access.log", 2).getTraceId()).isEqualTo("req-7f3a9c");
        // W3C traceparent: the trace-id part
        assertThat(parse("caddy-access.log", 4).getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void caddyKeepsThePathRaw() {
        LogRecord traversal = parse("caddy-access.log", 7);
        assertThat(traversal.getPath()).isEqualTo("/missing/../../etc/passwd");
        assertThat(traversal.getUserAgent()).isEqualTo("Nikto/2.5.0");
        LogRecord encoded = parse("caddy-access.log", 8);
        assertThat(encoded.getPath()).isEqualTo("/search/%2e%2e%2fadmin");
        assertThat(encoded.getQuery()).isEqualTo("q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    }

    @Test
    void caddyErrorLogHasRequestContextButIsNotAnAccessRecord() {
        LogRecord r = parse("caddy-runtime.log", 10);
        assertThat(r.getFormat()).isEqualTo("caddy");
        assertThat(r.isAccess()).isFalse();
        assertThat(r.getLevel()).isEqualTo("ERROR");
        assertThat(r.getMessage()).isEqualTo("dial tcp 127.0.0.1:1: connect: connection refused");
        assertThat(r.getPath()).isEqualTo("/proxy/api/v1/items");
        assertThat(r.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(r.getFields()).containsEntry("status", 502).containsEntry("err_id", "j7pjp3eyu");
    }

    @Test
    void zapFromCaddysRuntimeLogAndFromAProgram() {
        LogRecord caddy = parse("caddy-runtime.log", 2);
        assertThat(caddy.getLevel()).isEqualTo("WARN");
        assertThat(caddy.getService()).isEqualTo("admin");
        assertThat(caddy.getMessage()).isEqualTo("admin endpoint disabled");
        assertThat(caddy.getTimestamp()).isEqualTo(Instant.parse("2026-11-25T12:02:13.044208Z"));

        LogRecord noLogger = parse("caddy-runtime.log", 1);
        assertThat(noLogger.getService()).isEqualTo("edge-proxy");
        assertThat(noLogger.getFields()).containsEntry("config_file", "Caddyfile");

        LogRecord z = parse("zap.log", 1);
        assertThat(z.getService()).isEqualTo("gateway");
        assertThat(z.getTraceId()).isEqualTo("abc123");
        assertThat(z.getMethod()).isEqualTo("GET");
        assertThat(z.getPath()).isEqualTo("/v2/catalog");
        assertThat(z.getStatus()).isEqualTo(200);
        assertThat(z.getLatencyMs()).isEqualTo(3.4); // zap writes durations as float seconds
        assertThat(z.getFields()).containsEntry("caller", "emit/main.go:66");

        LogRecord err = parse("zap.log", 3);
        assertThat(err.getLevel()).isEqualTo("ERROR");
        assertThat(err.isAccess()).isFalse();
        assertThat((String) err.getFields().get("stacktrace")).startsWith("main.main\n\t");
        assertThat(err.getFields()).containsEntry("query", "SELECT 1"); // not an HTTP line: "query" is data
    }

    @Test
    void traefikAccessLine() {
        LogRecord r = parse("traefik-access.log", 1);
        assertThat(r.getFormat()).isEqualTo("traefik");
        assertThat(r.getTimestamp()).isEqualTo(Instant.parse("2024-12-29T11:42:47.503803974Z"));
        assertThat(r.getClientIp()).isEqualTo("203.0.113.7");
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getPath()).isEqualTo("/api/products");
        assertThat(r.getQuery()).isEqualTo("page=2&sort=price");
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getLatencyMs()).isEqualTo(12.346); // 12345678 ns
        assertThat(r.getBytes()).isEqualTo(1532L);
        assertThat(r.getUserAgent()).startsWith("Mozilla/5.0 (Windows NT 10.0");
        assertThat(r.getTraceId()).isEqualTo("9f86d081884c7d65");
        assertThat(r.getLevel()).isEqualTo("INFO");
        assertThat(r.getMessage()).isEqualTo("GET /api/products 200");
        assertThat(r.getService()).isEqualTo("edge-proxy");
        assertThat(r.getFields()).containsEntry("RouterName", "shop@docker")
                .containsEntry("RequestHost", "shop.example.com")
                .doesNotContainKeys("ClientHost", "RequestMethod", "RequestPath", "DownstreamStatus", "Duration",
                        "StartUTC", "time", "level", "msg");
    }

    @Test
    void traefikLevelFromStatusAndTraceparent() {
        LogRecord bad = parse("traefik-access.log", 2);
        assertThat(bad.getStatus()).isEqualTo(502);
        assertThat(bad.getLevel()).isEqualTo("ERROR");
        assertThat(bad.getLatencyMs()).isEqualTo(30001.235);
        assertThat(bad.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        LogRecord probe = parse("traefik-access.log", 3);
        assertThat(probe.getLevel()).isEqualTo("WARN");
        assertThat(probe.getPath()).isEqualTo("/wp-login.php");
        assertThat(probe.getQuery()).isNull();
        assertThat(probe.getUserAgent()).isNull();
    }

    @Test
    void slogJson() {
        LogRecord r = parse("slog-json.log", 1);
        assertThat(r.getFormat()).isEqualTo("slog");
        assertThat(r.getTimestamp()).isEqualTo(Instant.parse("2026-11-25T12:07:53.097196435Z"));
        assertThat(r.getLevel()).isEqualTo("INFO");
        assertThat(r.getService()).isEqualTo("checkout");
        assertThat(r.getMessage()).isEqualTo("order placed");
        assertThat(r.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(r.getFields()).containsEntry("order_id", 4711).containsEntry("amount", 12.5);
        assertThat(r.isAccess()).isFalse();

        LogRecord access = parse("slog-json.log", 4);
        assertThat(access.getClientIp()).isEqualTo("203.0.113.9");
        assertThat(access.getMethod()).isEqualTo("GET");
        assertThat(access.getPath()).isEqualTo("/api/v1/users/42");
        assertThat(access.getQuery()).isEqualTo("expand=orders");
        assertThat(access.getStatus()).isEqualTo(503);
        assertThat(access.getLatencyMs()).isEqualTo(12.5); // "12.5ms"
        assertThat(access.getBytes()).isEqualTo(1432L);
        assertThat(access.getUserAgent()).isEqualTo("Mozilla/5.0 (X11)");
        assertThat(access.getLevel()).isEqualTo("INFO"); // the line's own level stands
        assertThat(access.getFields()).isEmpty();

        LogRecord ms = parse("slog-json.log", 5);
        assertThat(ms.getLatencyMs()).isEqualTo(3.75);
        assertThat(ms.getClientIp()).isEqualTo("198.51.100.4");

        LogRecord nested = parse("slog-json.log", 6);
        assertThat(nested.isAccess()).isFalse();
        assertThat(((JsonNode) nested.getFields().get("http")).get("status").asInt()).isEqualTo(200);
        assertThat(nested.getFields()).containsEntry("tags", "a\"b\nc");
    }

    @Test
    void slogTextIsLogfmt() {
        LogRecord r = parse("slog-text.log", 2);
        assertThat(r.getFormat()).isEqualTo("logfmt");
        assertThat(r.getTimestamp()).isEqualTo(Instant.parse("2026-11-25T12:07:53.097Z"));
        assertThat(r.getLevel()).isEqualTo("WARN");
        assertThat(r.getMessage()).isEqualTo("rate limited");
        assertThat(r.getClientIp()).isEqualTo("192.0.2.44");
        assertThat(r.getStatus()).isEqualTo(429);
        assertThat(r.getLatencyMs()).isEqualTo(0.85); // "850µs"

        LogRecord quoted = parse("slog-text.log", 4);
        assertThat(quoted.getUserAgent()).isEqualTo("curl/8.0 \"quoted\"");
        assertThat(quoted.getLatencyMs()).isEqualTo(1200.0); // "1.2s"
        assertThat(quoted.getBytes()).isEqualTo(88211L);

        LogRecord plain = parse("slog-text.log", 1);
        assertThat(plain.getService()).isEqualTo("gateway");
        assertThat(plain.getFields()).containsEntry("addr", ":8080");
    }

    @Test
    void logrusJson() {
        LogRecord warn = parse("logrus.log", 2);
        assertThat(warn.getFormat()).isEqualTo("logrus");
        assertThat(warn.getLevel()).isEqualTo("WARN"); // "warning"
        assertThat(warn.getTraceId()).isEqualTo("f00dbabe"); // traceId
        assertThat(warn.getTimestamp()).isEqualTo(Instant.parse("2026-11-25T12:07:53Z"));

        LogRecord access = parse("logrus.log", 4);
        assertThat(access.getLevel()).isEqualTo("TRACE");
        assertThat(access.getMethod()).isEqualTo("DELETE");
        assertThat(access.getPath()).isEqualTo("/admin/users/9");
        assertThat(access.getQuery()).isEqualTo("force=true");
        assertThat(access.getStatus()).isEqualTo(403);
        assertThat(access.getLatencyMs()).isEqualTo(0.9);

        assertThat(parse("logrus.log", 3).getFields()).containsEntry("error", "bad signature");
    }

    @Test
    void zerolog() {
        LogRecord r = parse("zerolog.log", 2);
        assertThat(r.getFormat()).isEqualTo("zerolog");
        assertThat(r.getLevel()).isEqualTo("ERROR");
        assertThat(r.getMessage()).isEqualTo("charge failed");
        assertThat(r.getService()).isEqualTo("billing");
        assertThat(r.getTraceId()).isEqualTo("7d1e");

        // no "message" (zerolog omits an empty one): an access line gets "METHOD path status"
        LogRecord access = parse("zerolog.log", 3);
        assertThat(access.getFormat()).isEqualTo("zerolog");
        assertThat(access.getMessage()).isEqualTo("GET /favicon.ico 404");
        assertThat(access.getLatencyMs()).isEqualTo(2.0); // zerolog writes durations as millis
        assertThat(access.getClientIp()).isEqualTo("192.0.2.1");
        assertThat(access.getLevel()).isEqualTo("WARN");

        assertThat(parse("zerolog.log", 5).getLevel()).isEqualTo("FATAL"); // panic
    }

    @Test
    void structuredJson() {
        LogRecord r = parse("structured.log", 2);
        assertThat(r.getFormat()).isEqualTo("json");
        assertThat(r.getTimestamp()).isEqualTo(Instant.parse("2026-11-25T11:00:01.500Z"));
        assertThat(r.getService()).isEqualTo("gateway");
        assertThat(r.getTraceId()).isEqualTo("abc");
        assertThat(r.getQuery()).isEqualTo("q=%27%20or%201%3D1");
        assertThat(r.getLatencyMs()).isEqualTo(12.5);
        assertThat(r.getBytes()).isEqualTo(512L);
        assertThat(r.getUserAgent()).isEqualTo("curl/8.5.0");

        // extras nested under "fields" (our own output read back) are extras again
        assertThat(parse("structured.log", 1).getFields()).containsEntry("attempt", 2).doesNotContainKey("fields");
        assertThat(parse("structured.log", 3).getTimestamp()).isEqualTo(Instant.ofEpochMilli(1764072000123L));

        LogRecord odd = parse("structured.log", 4);
        assertThat(odd.getFields()).containsEntry("timestamp", "not a time");
        assertThat(odd.getTimestamp()).isCloseTo(Instant.now(), within(10, java.time.temporal.ChronoUnit.SECONDS));
        assertThat(odd.getLevel()).isEqualTo("INFO"); // notice
    }

    @Test
    void goStandardLog() {
        LogRecord r = parse("golog.log", 2);
        assertThat(r.getFormat()).isEqualTo("golog");
        assertThat(r.getTimestamp()).isEqualTo(local(2026, 11, 25, 12, 7, 53, 0));
        assertThat(r.getLevel()).isEqualTo("ERROR");
        assertThat(r.getMessage()).isEqualTo("ERROR: upstream payments unreachable: connection refused");
        assertThat(r.getService()).isEqualTo("edge-proxy");

        LogRecord micros = parse("golog.log", 3);
        assertThat(micros.getTimestamp()).isEqualTo(local(2026, 11, 25, 12, 7, 53, 97_534_000));
        assertThat(micros.getLevel()).isEqualTo("WARN");

        LogRecord caller = parse("golog.log", 4);
        assertThat(caller.getFields()).containsEntry("caller", "main.go:54");
        assertThat(caller.getMessage()).isEqualTo("http: TLS handshake error from 203.0.113.50:51234: EOF");
        assertThat(caller.getLevel()).isEqualTo("INFO");

        LogRecord prefixed = parse("golog.log", 5);
        assertThat(prefixed.getFields()).containsEntry("prefix", "[proxy]");
        assertThat(prefixed.getMessage()).isEqualTo("INFO reverse proxy ready");
    }

    @Test
    void goPanicJoinedToItsLineIsFatal() {
        // the tailer hands the panic and its stack trace over as one line
        String joined = Samples.text("golog-panic.log").strip();
        LogRecord r = auto.parse(joined, "app.log", 0);
        assertThat(r.isParseError()).isFalse();
        assertThat(r.getFormat()).isEqualTo("golog");
        assertThat(r.getLevel()).isEqualTo("FATAL");
        assertThat(r.getMessage()).startsWith("starting proxy on :8080\npanic: runtime error")
                .contains("goroutine 1 [running]:");

        String panicOnly = joined.substring(joined.indexOf("panic:"));
        LogRecord p = auto.parse(panicOnly, "app.log", 0);
        assertThat(p.isParseError()).isFalse();
        assertThat(p.getLevel()).isEqualTo("FATAL");
        assertThat(p.getMessage()).isEqualTo(panicOnly);
    }

    @Test
    void combinedLogFormat() {
        LogRecord r = parse("clf.log", 1);
        assertThat(r.getFormat()).isEqualTo("clf");
        assertThat(r.getTimestamp()).isEqualTo(Instant.parse("2015-05-17T10:05:03Z"));
        assertThat(r.getClientIp()).isEqualTo("83.149.9.216");
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getPath()).isEqualTo("/presentations/logstash-monitorama-2013/images/kibana-search.png");
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getBytes()).isEqualTo(203023L);
        assertThat(r.getUserAgent()).startsWith("Mozilla/5.0 (Macintosh;");
        assertThat(r.getFields()).containsEntry("referer", "http://semicomplete.com/presentations/logstash-monitorama-2013/")
                .containsEntry("protocol", "HTTP/1.1");
        assertThat(r.getMessage()).isEqualTo("GET /presentations/logstash-monitorama-2013/images/kibana-search.png 200");
        assertThat(r.getLevel()).isEqualTo("INFO");

        LogRecord q = parse("clf.log", 3);
        assertThat(q.getPath()).isEqualTo("/");
        assertThat(q.getQuery()).isEqualTo("flav=rss20");
        assertThat(q.getUserAgent()).isNull();
        assertThat(q.getFields()).doesNotContainKey("referer");

        assertThat(parse("clf.log", 5).getLevel()).isEqualTo("WARN"); // 404
        assertThat(parse("clf.log", 6).getBytes()).isNull();            // "-"
    }

    /**
     * The Referer header reaches the detectors from wherever the format keeps it, and stays there in the record:
     * Caddy and Traefik lines' referers went unchecked when the detectors only read a "referer" field.
     */
    @Test
    void theRefererIsFoundWhereEachFormatKeepsIt() {
        LogRecord clf = parse("clf.log", 1);
        assertThat(clf.getReferer()).isEqualTo("http://semicomplete.com/presentations/logstash-monitorama-2013/");
        assertThat(parse("clf.log", 3).getReferer()).isNull(); // "-"

        String caddyLine = Samples.line("caddy-access.log", 1).replace("\"headers\":{",
                "\"headers\":{\"Referer\":[\"https://shop.example/?q=<script>\"],");
        LogRecord caddy = auto.parse(caddyLine, "caddy-access.log", 100);
        assertThat(caddy.getReferer()).isEqualTo("https://shop.example/?q=<script>");
        JsonNode headers = (JsonNode) caddy.getFields().get("request.headers");
        assertThat(headers.get("Referer").get(0).asText()).isEqualTo("https://shop.example/?q=<script>");
        assertThat(parse("caddy-access.log", 1).getReferer()).isNull();

        String traefikLine = Samples.line("traefik-access.log", 1).replace("{\"ClientAddr\"",
                "{\"request_Referer\":\"https://shop.example/cart\",\"ClientAddr\"");
        LogRecord traefik = auto.parse(traefikLine, "traefik-access.log", 100);
        assertThat(traefik.getReferer()).isEqualTo("https://shop.example/cart");
        assertThat(traefik.getFields()).containsEntry("request_Referer", "https://shop.example/cart");

        LogRecord json = auto.parse("{\"time\":\"2026-11-25T12:00:00Z\",\"level\":\"INFO\",\"msg\":\"request\","
                + "\"client_ip\":\"10.0.0.1\",\"method\":\"GET\",\"path\":\"/\",\"status\":200,"
                + "\"referer\":\"https://a.example/\"}", "app.log", 100);
        assertThat(json.getReferer()).isEqualTo("https://a.example/");
    }

    @Test
    void combinedLogFormatLinesShareTheirRepeatedValues() {
        // the signature detector's verdict caches then compare a user agent or referer by identity
        String line = Samples.line("clf.log", 1);
        String other = line.replace("83.149.9.216", "10.0.0.1").replace("kibana-search", "kibana-dashboard");
        LogRecord a = parse("clf.log", 1);
        LogRecord b = auto.parse(other, "clf.log", 200);
        assertThat(b.getUserAgent()).isSameAs(a.getUserAgent());
        assertThat(b.getFields().get("referer")).isSameAs(a.getFields().get("referer"));
        assertThat(b.getMethod()).isSameAs(a.getMethod());
        assertThat(b.getFields().get("protocol")).isSameAs(a.getFields().get("protocol"));
        assertThat(b.getPath()).isNotEqualTo(a.getPath());
        // an escaped value is unescaped into a String of its own
        LogRecord escaped = parse("clf.log", 9);
        assertThat(escaped.getUserAgent()).isEqualTo("Mozilla/5.0 \"evil\"")
                .isNotSameAs(parse("clf.log", 9).getUserAgent());
    }

    @Test
    void commonLogFormatAndOddRequests() {
        LogRecord common = parse("clf.log", 7);
        assertThat(common.getTimestamp()).isEqualTo(Instant.parse("2000-10-10T20:55:36Z"));
        assertThat(common.getFields()).containsEntry("user", "frank");
        assertThat(common.getUserAgent()).isNull();
        assertThat(common.getBytes()).isEqualTo(2326L);

        LogRecord tls = parse("clf.log", 8);
        assertThat(tls.getMethod()).isNull();
        assertThat(tls.getPath()).isNull();
        assertThat(tls.getStatus()).isEqualTo(400);
        assertThat(tls.getFields()).containsEntry("request", "\\x16\\x03\\x01\\x00\\xa5\\x01\\x00\\x00\\xa1\\x03\\x03");

        LogRecord escaped = parse("clf.log", 9);
        assertThat(escaped.getQuery()).isEqualTo("x=\"quoted\"");
        assertThat(escaped.getUserAgent()).isEqualTo("Mozilla/5.0 \"evil\"");
        assertThat(escaped.getLevel()).isEqualTo("ERROR");
    }

    @Test
    void withoutAConfiguredServiceALineThatNamesNoneTakesItsFileName() {
        RecordParser p = new RecordParser("auto", null);
        String clf = Samples.line("clf.log", 1);
        assertThat(p.parse(clf, "/var/log/caddy/access.log", 0).getService()).isEqualTo("access");
        assertThat(p.parse(clf, "/var/log/traefik/edge.log.1", 0).getService()).isEqualTo("edge");
        assertThat(p.parse(clf, "/var/log/caddy/access.log", 0).getService()).isEqualTo("access");
        assertThat(p.parse(clf, null, 0).getService()).isNull();
        assertThat(new RecordParser("auto", "gw").parse(clf, "/x/access.log", 0).getService()).isEqualTo("gw");
    }

    private static Instant local(int y, int mo, int d, int h, int mi, int s, int nanos) {
        return LocalDateTime.of(y, mo, d, h, mi, s, nanos).atZone(ZoneId.systemDefault()).toInstant();
    }
}
