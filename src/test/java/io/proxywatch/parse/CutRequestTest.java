package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;
import io.proxywatch.tail.Chunk;
import io.proxywatch.tail.RawLine;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request padded past the maximum line size with a megabyte header (Caddy logs every header, before the status)
 * is cut: the fields before the cut are still the request's, and the detectors read them. Whole, the cut line was a
 * parse error that no detector or rate rule saw.
 */
class CutRequestTest {
    private final RecordParser auto = new RecordParser("auto", null);

    /** A Caddy access line whose headers begin with {@code pad}, cut after {@code keep} characters. */
    private static String cutCaddyLine(String uri, String pad, int keep) {
        String line = "{\"level\":\"info\",\"ts\":1764072000.5,\"logger\":\"http.log.access\",\"msg\":\"handled request\","
                + "\"request\":{\"remote_ip\":\"198.51.100.7\",\"client_ip\":\"198.51.100.7\",\"proto\":\"HTTP/1.1\","
                + "\"method\":\"GET\",\"host\":\"shop.example\",\"uri\":\"" + uri + "\",\"headers\":{\"User-Agent\":"
                + "[\"Mozilla/5.0\"],\"X-Pad\":[\"" + pad + "\"]}},\"status\":200,\"duration\":0.002,\"size\":12}";
        return line.substring(0, Math.min(keep, line.length()));
    }

    @Test
    void aCutAccessLineKeepsTheRequestBeforeTheCut() {
        String line = cutCaddyLine("/item?id=1'+union+select+password+from+users--", "\\\"".repeat(5_000), 4_096);
        // as the tailer hands it on: a line cut at the maximum size, flagged so
        LogRecord r = new ChunkParser(auto).parse(new Chunk("caddy.log", List.of(new RawLine(line, 0, true)),
                line.length(), 0)).get(0);
        assertThat(r.isTruncated()).isTrue();
        assertThat(r.isParseError()).isFalse();
        assertThat(r.getFormat()).isEqualTo("caddy");
        assertThat(r.getClientIp()).isEqualTo("198.51.100.7");
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getPath()).isEqualTo("/item");
        assertThat(r.getQuery()).isEqualTo("id=1'+union+select+password+from+users--");
        assertThat(r.getUserAgent()).isEqualTo("Mozilla/5.0");
        assertThat(r.getStatus()).isNull();
        assertThat(r.isAccess()).as("no status: not counted by the statistics").isFalse();
        assertThat(r.isRequest()).as("but checked by the detectors").isTrue();

        assertThat(auto.parse(line, "caddy.log", 0).isParseError()).as("not known to be cut: as before").isTrue();
    }

    /** A number the cut may have gone through is left out: "latency_ms":12 of 1234 is no latency of 12 ms. */
    @Test
    void aNumberEndingTheCutLineIsLeftOut() {
        String line = "{\"time\":\"2026-11-27T10:00:00Z\",\"level\":\"INFO\",\"msg\":\"request\",\"method\":\"GET\","
                + "\"path\":\"/a\",\"status\":200,\"latency_ms\":1234,\"pad\":\"x\"}";
        LogRecord cut = auto.parse(line.substring(0, line.indexOf("1234") + 2), "app.log", 0, true);
        assertThat(cut.isParseError()).isFalse();
        assertThat(cut.getStatus()).isEqualTo(200);
        assertThat(cut.getLatencyMs()).isNull();
        LogRecord whole = auto.parse(line.substring(0, line.indexOf(",\"pad") + 1), "app.log", 0, true);
        assertThat(whole.getLatencyMs()).as("a number followed by more of the line is whole").isEqualTo(1234.0);
    }

    @Test
    void aCutLineThatIsNoRequestStaysAParseError() {
        String app = "{\"level\":\"info\",\"ts\":1764072000.5,\"msg\":\"" + "x".repeat(5_000);
        assertThat(auto.parse(app.substring(0, 4_096), "app.log", 0, true).isParseError()).isTrue();
        String beforeUri = cutCaddyLine("/a", "", 120); // cut before the request's uri
        assertThat(auto.parse(beforeUri, "caddy.log", 0, true).isParseError()).isTrue();
    }
}
