package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines as the real proxies and loggers write them when configured away from their defaults, each found to parse
 * wrongly by an audit (sources in the comments).
 */
class RealFormatVariantsTest {
    private final RecordParser auto = new RecordParser("auto", null);

    private LogRecord parse(String line) {
        LogRecord r = auto.parse(line, "app.log", 0);
        assertThat(r.isParseError()).as("parse error for %s", line).isFalse();
        return r;
    }

    /** Traefik logs OriginStatus 0 when it answered itself (traefik/traefik#9842, #13609): still a request. */
    @Test
    void aTraefikClfLineWithStatusZeroIsARequestWithoutAStatus() {
        LogRecord r = parse("198.51.100.4 - - [15/Apr/2023:08:27:57 +0000] \"PUT /gomoku-api/move HTTP/2.0\" 0 0 \"-\""
                + " \"curl/8.0\" 69237 \"api@docker\" \"-\" 2676ms");
        assertThat(r.getFormat()).isEqualTo("clf");
        assertThat(r.getClientIp()).isEqualTo("198.51.100.4");
        assertThat(r.getMethod()).isEqualTo("PUT");
        assertThat(r.getPath()).isEqualTo("/gomoku-api/move");
        assertThat(r.getStatus()).isNull();
        assertThat(r.getTimestamp()).isEqualTo(Instant.parse("2023-04-15T08:27:57Z"));
        assertThat(r.getLatencyMs()).isEqualTo(2676.0);
        assertThat(parse("198.51.100.4 - - [15/Apr/2023:08:27:57 +0000] \"GET /a HTTP/1.1\" 000 - \"-\" \"-\"")
                .getStatus()).isNull();
    }

    /** Traefik's ClientHost is the X-Forwarded-For list behind a proxy (traefik accesslog/logger.go, #10504). */
    @Test
    void aTraefikClientHostListCountsItsLastAddress() {
        LogRecord json = parse("{\"ClientAddr\":\"10.0.0.2:3808\",\"ClientHost\":\"198.51.100.66, 203.0.113.9\","
                + "\"DownstreamStatus\":401,\"Duration\":1000,\"RequestMethod\":\"POST\",\"RequestPath\":\"/login\","
                + "\"StartUTC\":\"2024-12-29T11:42:47.5Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2024-12-29T11:42:47Z\"}");
        assertThat(json.getFormat()).isEqualTo("traefik");
        assertThat(json.getClientIp()).isEqualTo("203.0.113.9");
        assertThat(json.getFields()).containsEntry("forwarded_for", "198.51.100.66, 203.0.113.9");

        LogRecord clf = parse("198.51.100.66, 203.0.113.9 - - [15/Apr/2023:08:27:57 +0000] \"GET /login HTTP/1.1\""
                + " 401 17 \"-\" \"curl/8.0\" 69237 \"api@docker\" \"http://10.46.0.57:80\" 3ms");
        assertThat(clf.getClientIp()).isEqualTo("203.0.113.9");
        assertThat(clf.getStatus()).isEqualTo(401);
        assertThat(clf.getFields()).containsEntry("forwarded_for", "198.51.100.66, 203.0.113.9")
                .doesNotContainKeys("ident", "user");
    }

    /**
     * Traefik's CLF writes the request line as the client sent it, unescaped (accesslog/logger_formatters.go): a
     * quote in the query ended the request early and the line was a parse error, unchecked by every detector.
     */
    @Test
    void aTraefikClfRequestWithAQuoteInItIsStillARequest() {
        LogRecord r = parse("198.51.100.7 - - [15/Apr/2023:08:27:57 +0000] \"GET /item?id=1'+union+select+password"
                + "+from+users--\"x HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\" 1 \"web@docker\" \"http://10.0.0.5:80\" 3ms");
        assertThat(r.getClientIp()).isEqualTo("198.51.100.7");
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getPath()).isEqualTo("/item");
        assertThat(r.getQuery()).isEqualTo("id=1'+union+select+password+from+users--\"x");
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getUserAgent()).isEqualTo("Mozilla/5.0");
        assertThat(r.getLatencyMs()).isEqualTo(3.0);

        LogRecord quoteAtEnd = parse("198.51.100.7 - - [15/Apr/2023:08:27:57 +0000] \"POST /login?\" HTTP/1.1\" 401 0"
                + " \"-\" \"curl/8.0\" 2 \"web@docker\" \"http://10.0.0.5:80\" 1ms");
        assertThat(quoteAtEnd.getPath()).isEqualTo("/login");
        assertThat(quoteAtEnd.getStatus()).isEqualTo(401);
        LogRecord quotedReferer = parse("198.51.100.7 - - [15/Apr/2023:08:27:57 +0000] \"GET /a HTTP/1.1\" 200 5"
                + " \"x\"y<script>\" \"curl/8.0\" 2 \"web@docker\" \"http://10.0.0.5:80\" 1ms");
        assertThat(quotedReferer.getReferer()).isEqualTo("x\"y<script>");
        assertThat(quotedReferer.getUserAgent()).isEqualTo("curl/8.0");
        // a referer that closed, followed by a field of another format: not read as a referer with a quote in it
        LogRecord other = auto.parse("198.51.100.7 - - [15/Apr/2023:08:27:57 +0000] \"GET /a HTTP/1.1\" 200 5"
                + " \"http://r/\" rt=0.003 \"sqlmap/1.7\" \"203.0.113.1\"", "app.log", 0);
        assertThat(other.isParseError()).as("another format's line, as before: no user agent made up").isTrue();
        assertThat(auto.parse("198.51.100.7 - - [15/Apr/2023:08:27:57 +0000] \"GET /a\"x no status", "app.log", 0)
                .isParseError()).as("no quote followed by a status and a size: not CLF").isTrue();
    }

    /** zap with TimeKey "time" (a common customisation) is not told from logrus, but its float latency is seconds. */
    @Test
    void aFractionalLatencyIsSecondsWhereADurationWouldBeWholeNanoseconds() {
        LogRecord r = parse("{\"level\":\"info\",\"time\":\"2024-01-02T15:04:05.000+0800\",\"caller\":\"gw/mw.go:42\","
                + "\"msg\":\"request\",\"method\":\"GET\",\"path\":\"/api/items\",\"status\":200,\"latency\":0.2534}");
        assertThat(r.getLatencyMs()).isEqualTo(253.4);
        // a time.Duration from encoding/json stays nanoseconds
        assertThat(parse("{\"level\":\"info\",\"time\":\"2024-01-02T15:04:05Z\",\"msg\":\"request\",\"method\":\"GET\","
                + "\"path\":\"/a\",\"status\":200,\"latency\":2534000}").getLatencyMs()).isEqualTo(2.534);
    }

    /** Caddy writes its wall time formats in UTC unless time_local is set (caddyserver website, log directive). */
    @Test
    void caddysWallTimeIsUtcWhateverTheHostsZone() {
        TimeZone before = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Shanghai"));
        try {
            LogRecord r = parse("{\"level\":\"info\",\"ts\":\"2024/01/02 15:04:05.123\",\"logger\":\"http.log.access.log0\","
                    + "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.9\",\"method\":\"GET\","
                    + "\"uri\":\"/\",\"headers\":{}},\"status\":200,\"duration\":0.001,\"size\":2}");
            assertThat(r.getFormat()).isEqualTo("caddy");
            assertThat(r.getTimestamp()).isEqualTo(Instant.parse("2024-01-02T15:04:05.123Z"));
        } finally {
            TimeZone.setDefault(before);
        }
    }

    /** logrus's own JSONFormatter FieldMap example renames level and message to @level and @message. */
    @Test
    void logrusWithItsFieldMapExample() {
        LogRecord json = parse("{\"@level\":\"error\",\"@message\":\"db down\",\"@timestamp\":\"2023-10-01T12:00:00+02:00\"}");
        assertThat(json.getLevel()).isEqualTo("ERROR");
        assertThat(json.getMessage()).isEqualTo("db down");
        assertThat(json.getTimestamp()).isEqualTo(Instant.parse("2023-10-01T10:00:00Z"));
        LogRecord text = parse("@timestamp=\"2023-10-01T12:00:00+02:00\" @level=error @message=\"db down\"");
        assertThat(text.getLevel()).isEqualTo("ERROR");
        assertThat(text.getMessage()).isEqualTo("db down");
    }

    /** slog's default handler prints the levels between the named ones as offsets (Level.String: ERROR+4). */
    @Test
    void slogLevelOffsetsInTextKeepTheirLevel() {
        assertThat(parse("2023/10/01 12:00:00 ERROR+2 boom code=7").getLevel()).isEqualTo("ERROR");
        assertThat(parse("2023/10/01 12:00:00 WARN+2 slow").getLevel()).isEqualTo("WARN");
    }

    /** slog's TextHandler quotes a key holding a space (needsQuoting). */
    @Test
    void slogTextWithAQuotedKey() {
        LogRecord r = parse("time=2023-10-01T12:00:00.000+08:00 level=ERROR msg=\"upstream failed\" \"user agent\"=curl"
                + " status=502");
        assertThat(r.getLevel()).isEqualTo("ERROR");
        assertThat(r.getMessage()).isEqualTo("upstream failed");
        assertThat(r.getTimestamp()).isEqualTo(Instant.parse("2023-10-01T04:00:00Z"));
        assertThat(r.getFields()).containsEntry("user agent", "curl");
    }

    /** log15 writes t= and lvl= with four-letter levels (Lvl.String: trce dbug info warn eror crit). */
    @Test
    void log15Lines() {
        LogRecord r = parse("t=2014-05-02T16:07:23-0700 lvl=eror msg=\"page not found\" path=/x");
        assertThat(r.getLevel()).isEqualTo("ERROR");
        assertThat(r.getTimestamp()).isEqualTo(Instant.parse("2014-05-02T23:07:23Z"));
        assertThat(parse("t=2014-05-02T16:07:23-0700 lvl=dbug msg=x").getLevel()).isEqualTo("DEBUG");
        // a number under "t" in JSON is not a time
        LogRecord n = parse("{\"time\":\"2024-01-02T03:04:05Z\",\"level\":\"info\",\"msg\":\"m\",\"t\":5}");
        assertThat(n.getTimestamp()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(n.getFields()).containsEntry("t", 5);
    }

    /** A size past a long is no size, not a wrapped-round one. */
    @Test
    void aHugeSizeIsLeftAmongTheFields() {
        LogRecord r = parse("{\"timestamp\":\"2024-01-02T03:04:05Z\",\"level\":\"info\",\"method\":\"GET\",\"path\":\"/a\","
                + "\"status\":200,\"bytes\":99999999999999999999}");
        assertThat(r.getBytes()).isNull();
        assertThat(r.getFields()).containsKey("bytes");
    }

    /** zap.NewDevelopment's console encoder: time, level, caller, message and the fields as JSON, tab-separated. */
    @Test
    void zapConsoleLines() {
        LogRecord r = parse("2021-05-07T14:14:12.434+0800\tDPANIC\tgw/main.go:88\tinvariant broken");
        assertThat(r.getFormat()).isEqualTo("zap");
        assertThat(r.getLevel()).isEqualTo("ERROR");
        assertThat(r.getMessage()).isEqualTo("invariant broken");
        assertThat(r.getTimestamp()).isEqualTo(Instant.parse("2021-05-07T06:14:12.434Z"));
        assertThat(r.getFields()).containsEntry("caller", "gw/main.go:88");

        LogRecord access = parse("2021-05-07T14:14:12.434+0800\tINFO\tproxy\tgw/mw.go:42\trequest\t{\"method\": \"GET\","
                + " \"path\": \"/api/items\", \"status\": 502, \"latency\": 0.25, \"client_ip\": \"203.0.113.9\"}");
        assertThat(access.getLevel()).isEqualTo("INFO");
        assertThat(access.getService()).isEqualTo("proxy");
        assertThat(access.getStatus()).isEqualTo(502);
        assertThat(access.getLatencyMs()).isEqualTo(250.0);
        assertThat(access.getClientIp()).isEqualTo("203.0.113.9");
        assertThat(access.getMessage()).isEqualTo("request");
    }
}
