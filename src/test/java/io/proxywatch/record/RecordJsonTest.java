package io.proxywatch.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static LogRecord full() {
        LogRecord r = new LogRecord();
        r.setTimestamp(Instant.parse("2026-11-25T12:00:00.123456Z"));
        r.setLevel("WARN");
        r.setService("edge");
        r.setMessage("GET /login 404");
        r.setTraceId("4bf92f3577b34da6a3ce929d0e0e4736");
        r.setClientIp("203.0.113.9");
        r.setMethod("GET");
        r.setPath("/login");
        r.setQuery("next=%2Fadmin");
        r.setStatus(404);
        r.setLatencyMs(12.5);
        r.setBytes(512L);
        r.setUserAgent("curl/8.5.0");
        r.getFields().put("router", "shop@docker");
        r.getFields().put("retries", 2);
        r.getFields().put("ratio", 0.25);
        r.getFields().put("tls", true);
        r.getFields().put("big", new BigDecimal("12345678901234567890.5"));
        ObjectNode nested = MAPPER.createObjectNode();
        nested.putArray("Accept").add("*/*");
        r.getFields().put("headers", nested);
        r.setSourceFile("/var/log/caddy/access.log");
        r.setSourceOffset(4096);
        r.setFormat("caddy");
        r.setRaw("raw line");
        return r;
    }

    @Test
    void keysInContractOrderWithValues() throws Exception {
        String json = RecordJson.toJson(full());
        JsonNode n = MAPPER.readTree(json);
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("timestamp", "level", "service", "message", "trace_id", "client_ip",
                "method", "path", "query", "status", "latency_ms", "bytes", "user_agent", "fields", "source");
        assertThat(n.get("timestamp").asText()).isEqualTo("2026-11-25T12:00:00.123Z");
        assertThat(n.get("level").asText()).isEqualTo("WARN");
        assertThat(n.get("status").isInt()).isTrue();
        assertThat(n.get("status").asInt()).isEqualTo(404);
        assertThat(n.get("latency_ms").asDouble()).isEqualTo(12.5);
        assertThat(n.get("bytes").asLong()).isEqualTo(512);
        assertThat(n.get("query").asText()).isEqualTo("next=%2Fadmin");
        JsonNode fields = n.get("fields");
        assertThat(fields.get("router").asText()).isEqualTo("shop@docker");
        assertThat(fields.get("retries").asInt()).isEqualTo(2);
        assertThat(fields.get("ratio").asDouble()).isEqualTo(0.25);
        assertThat(fields.get("tls").asBoolean()).isTrue();
        assertThat(json).contains("\"big\":12345678901234567890.5");
        assertThat(fields.get("headers").get("Accept").get(0).asText()).isEqualTo("*/*");
        assertThat(n.get("source").get("file").asText()).isEqualTo("/var/log/caddy/access.log");
        assertThat(n.get("source").get("offset").asLong()).isEqualTo(4096);
        // format and raw are not part of the contract
        assertThat(json).doesNotContain("raw line").doesNotContain("\"format\"");
    }

    @Test
    void nullsEmptyFieldsAndFalseFlagsAreLeftOut() throws Exception {
        LogRecord r = new LogRecord();
        r.setTimestamp(Instant.parse("2026-01-02T03:04:05Z"));
        r.setMessage("hello");
        JsonNode n = MAPPER.readTree(RecordJson.toJson(r));
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("timestamp", "level", "message", "source");
        assertThat(n.get("timestamp").asText()).isEqualTo("2026-01-02T03:04:05.000Z");
        assertThat(n.get("source").has("file")).isFalse();
        assertThat(n.get("source").get("offset").asLong()).isZero();
    }

    @Test
    void flagsAreWrittenOnlyWhenSet() throws Exception {
        LogRecord r = full();
        r.setParseError(true);
        r.setTruncated(true);
        JsonNode n = MAPPER.readTree(RecordJson.toJson(r));
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).endsWith("source", "parse_error", "truncated");
        assertThat(n.get("parse_error").asBoolean()).isTrue();
        assertThat(n.get("truncated").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "quote \" and backslash \\ ",
            "new\nline and \r return and \t tab",
            "</script><script>alert(1)</script>",
            "line\u2028separator\u2029paragraph",
            "nul \u0000 bell \u0007 esc \u001b[31m",
            "emoji \uD83D\uDE00 and replacement \uFFFD",
            "{\"injected\":true}",
    })
    void attackerControlledStringsSurviveAsData(String evil) throws Exception {
        LogRecord r = full();
        r.setMessage(evil);
        r.setPath(evil);
        r.setUserAgent(evil);
        r.getFields().put(evil, evil);
        String json = RecordJson.toJson(r);
        assertThat(json).doesNotContain("\n").doesNotContain("\r");
        JsonNode n = MAPPER.readTree(json);
        assertThat(n.get("message").asText()).isEqualTo(evil);
        assertThat(n.get("path").asText()).isEqualTo(evil);
        assertThat(n.get("user_agent").asText()).isEqualTo(evil);
        assertThat(n.get("fields").get(evil).asText()).isEqualTo(evil);
        assertThat(n.has("injected")).isFalse();
    }

    @Test
    void renderAllRendersWhatIsNotRenderedAndKeepsWhatIs() {
        LogRecord rendered = full();
        byte[] before = rendered.json();
        LogRecord fresh = full();
        fresh.setBytes(0L);
        LogRecord sizeless = full();
        sizeless.setBytes((Long) null);
        RecordJson.renderAll(List.of(rendered, fresh, sizeless));
        assertThat(rendered.json()).isSameAs(before);
        assertThat(new String(fresh.json(), StandardCharsets.UTF_8)).contains("\"bytes\":0,")
                .isEqualTo(new String(RecordJson.toBytes(fresh), StandardCharsets.UTF_8));
        assertThat(new String(sizeless.json(), StandardCharsets.UTF_8)).doesNotContain("\"bytes\"");
        assertThat(sizeless.getBytes()).isNull();
        assertThat(fresh.getBytes()).isZero();
    }

    @Test
    void bytesAndStreamVariantsMatchTheString() throws Exception {
        LogRecord r = full();
        r.setMessage("caf\u00e9 \u2603");
        String s = RecordJson.toJson(r);
        assertThat(new String(RecordJson.toBytes(r), StandardCharsets.UTF_8)).isEqualTo(s);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        RecordJson.writeTo(r, out);
        out.write(',');
        RecordJson.writeTo(r, out);
        out.write(']');
        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("[" + s + "," + s + "]");
    }

    @Test
    void manyRecordsOnOneGeneratorAsJsonLines() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (int i = 0; i < 3; i++) {
                LogRecord r = full();
                r.setSourceOffset(i);
                RecordJson.write(r, g);
                g.writeRaw('\n');
            }
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(MAPPER.readTree(lines[i]).get("source").get("offset").asInt()).isEqualTo(i);
        }
    }

    @Test
    void timestampsAreUtcWithMillis() throws Exception {
        LogRecord r = new LogRecord();
        r.setTimestamp(Instant.parse("1999-12-31T23:59:59.999999999Z"));
        assertThat(MAPPER.readTree(RecordJson.toJson(r)).get("timestamp").asText())
                .isEqualTo("1999-12-31T23:59:59.999Z");
        r.setTimestamp(Instant.ofEpochSecond(0));
        assertThat(MAPPER.readTree(RecordJson.toJson(r)).get("timestamp").asText())
                .isEqualTo("1970-01-01T00:00:00.000Z");
    }

    @Test
    void aRecordWithoutLatencyHasNoLatencyField() throws Exception {
        LogRecord r = full();
        r.setLatencyMs(null);
        assertThat(r.getLatencyMs()).isNull();
        assertThat(r.latencyMillis()).isNaN();
        assertThat(MAPPER.readTree(RecordJson.toBytes(r)).has("latency_ms")).isFalse();
        r.setLatencyMs(0.0);
        assertThat(MAPPER.readTree(RecordJson.toBytes(r)).get("latency_ms").asDouble()).isZero();
    }
}
