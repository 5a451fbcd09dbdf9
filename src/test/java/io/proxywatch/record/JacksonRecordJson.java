package io.proxywatch.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.proxywatch.detect.Finding;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The renderer as it was before issue 7, on Jackson's generator: kept as the reference that {@link RecordJson}
 * must match byte for byte ({@code RecordJsonEquivalenceTest}).
 *
 * <p>Writes the record contract: one JSON object per record, keys in a fixed order, snake_case, nulls left out:
 * timestamp, level, service, message, trace_id, client_ip, method, path, query, status, latency_ms, bytes,
 * user_agent, fields, threat {rule, category, severity}, source {file, offset}, parse_error, truncated. Other tools script against this shape,
 * so it changes only on purpose. Strings are escaped by Jackson; nothing is written raw.
 */
final class JacksonRecordJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JacksonRecordJson() {
    }

    /** Writes one record as one object on {@code g}; the caller owns the generator and any separator. */
    public static void write(LogRecord r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (r.getTimestamp() != null) {
            writeTimestamp(r.getTimestamp(), g);
        }
        string(g, "level", r.getLevel());
        string(g, "service", r.getService());
        string(g, "message", r.getMessage());
        string(g, "trace_id", r.getTraceId());
        string(g, "client_ip", r.getClientIp());
        string(g, "method", r.getMethod());
        string(g, "path", r.getPath());
        string(g, "query", r.getQuery());
        if (r.getStatus() != null) {
            g.writeNumberField("status", r.getStatus().intValue());
        }
        if (r.getLatencyMs() != null) {
            g.writeNumberField("latency_ms", r.getLatencyMs().doubleValue());
        }
        if (r.getBytes() != null) {
            g.writeNumberField("bytes", r.getBytes().longValue());
        }
        string(g, "user_agent", r.getUserAgent());
        Map<String, Object> fields = r.getFields();
        if (!fields.isEmpty()) {
            g.writeFieldName("fields");
            g.writeStartObject();
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                g.writeFieldName(e.getKey());
                value(g, e.getValue());
            }
            g.writeEndObject();
        }
        Finding threat = r.getThreat();
        if (threat != null) {
            g.writeFieldName("threat");
            g.writeStartObject();
            g.writeStringField("rule", threat.rule());
            g.writeStringField("category", threat.category());
            g.writeStringField("severity", threat.severity());
            g.writeEndObject();
        }
        g.writeFieldName("source");
        g.writeStartObject();
        string(g, "file", r.getSourceFile());
        g.writeNumberField("offset", r.getSourceOffset());
        g.writeEndObject();
        if (r.isParseError()) {
            g.writeBooleanField("parse_error", true);
        }
        if (r.isTruncated()) {
            g.writeBooleanField("truncated", true);
        }
        g.writeEndObject();
    }

    public static String toJson(LogRecord r) {
        StringWriter w = new StringWriter(384);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            write(r, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** UTF-8 bytes of the object, without a line separator. */
    public static byte[] toBytes(LogRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(384);
        writeTo(r, out);
        return out.toByteArray();
    }

    /** Appends the object's UTF-8 bytes to {@code out}, without a line separator. */
    public static void writeTo(LogRecord r, ByteArrayOutputStream out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(r, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** ISO-8601 UTC, always with millis (2026-11-25T12:00:00.123Z): fixed width sorts and greps well. */
    private static void writeTimestamp(Instant t, JsonGenerator g) throws IOException {
        g.writeFieldName("timestamp");
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
        int year = d.getYear();
        if (year < 0 || year > 9999) {
            g.writeString(t.truncatedTo(ChronoUnit.MILLIS).toString());
            return;
        }
        char[] c = new char[24];
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, d.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, d.getHour(), 2);
        c[13] = ':';
        put(c, 14, d.getMinute(), 2);
        c[16] = ':';
        put(c, 17, d.getSecond(), 2);
        c[19] = '.';
        put(c, 20, t.getNano() / 1_000_000, 3);
        c[23] = 'Z';
        g.writeString(c, 0, 24);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof BigInteger) {
            g.writeNumber((BigInteger) v);
        } else if (v instanceof BigDecimal) {
            g.writeNumber((BigDecimal) v);
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof JsonNode) {
            node(g, (JsonNode) v);
        } else {
            g.writeString(v.toString());
        }
    }

    // walked by hand: writeTree needs an ObjectCodec on the generator, which callers' plain factories lack
    private static void node(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT: {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    g.writeFieldName(e.getKey());
                    node(g, e.getValue());
                }
                g.writeEndObject();
                break;
            }
            case ARRAY:
                g.writeStartArray();
                for (JsonNode item : n) {
                    node(g, item);
                }
                g.writeEndArray();
                break;
            case STRING:
                g.writeString(n.textValue());
                break;
            case NUMBER:
                value(g, n.numberValue());
                break;
            case BOOLEAN:
                g.writeBoolean(n.booleanValue());
                break;
            case NULL:
            case MISSING:
                g.writeNull();
                break;
            default:
                g.writeString(n.asText());
                break;
        }
    }
}
