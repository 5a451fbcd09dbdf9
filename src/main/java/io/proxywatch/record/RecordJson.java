package io.proxywatch.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.proxywatch.detect.Finding;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * Writes the record contract: one JSON object per record, keys in a fixed order, snake_case, nulls left out:
 * timestamp, level, service, message, trace_id, client_ip, method, path, query, status, latency_ms, bytes,
 * user_agent, fields, threat {rule, category, severity}, source {file, offset}, parse_error, truncated. Other tools script against this shape,
 * so it changes only on purpose. Every string is escaped ({@link JsonBuffer}); nothing is written raw.
 *
 * <p>Rendered by hand into a per-thread buffer rather than with a Jackson generator (issue 7): the bytes are the
 * same as Jackson wrote them, at a fraction of the cost and with one allocation, the result array.
 */
public final class RecordJson {
    private static final ThreadLocal<JsonBuffer> BUFFERS = ThreadLocal.withInitial(JsonBuffer::new);

    private RecordJson() {
    }

    /** Writes one record as one object on {@code g}; the caller owns the generator and any separator. */
    public static void write(LogRecord r, JsonGenerator g) throws IOException {
        g.writeRawValue(toJson(r));
    }

    /**
     * The bytes as a String. (Before issue 7 this came from Jackson's Writer-based generator, which left characters
     * outside the BMP unescaped where the byte form escapes them: the same JSON value, other text.)
     */
    public static String toJson(LogRecord r) {
        return new String(toBytes(r), StandardCharsets.UTF_8);
    }

    /** UTF-8 bytes of the object, without a line separator. */
    public static byte[] toBytes(LogRecord r) {
        JsonBuffer b = BUFFERS.get();
        b.reset();
        write(r, b);
        return b.toByteArray();
    }

    /** Appends the object's UTF-8 bytes to {@code out}, without a line separator. */
    public static void writeTo(LogRecord r, ByteArrayOutputStream out) {
        out.writeBytes(toBytes(r));
    }

    private static void write(LogRecord r, JsonBuffer b) {
        b.raw('{');
        // every record has "source", so each key before it can end with a comma
        if (r.getTimestamp() != null) {
            b.ascii("\"timestamp\":");
            b.timestamp(r.getTimestamp());
            b.raw(',');
        }
        string(b, "\"level\":", r.getLevel());
        string(b, "\"service\":", r.getService());
        string(b, "\"message\":", r.getMessage());
        string(b, "\"trace_id\":", r.getTraceId());
        string(b, "\"client_ip\":", r.getClientIp());
        string(b, "\"method\":", r.getMethod());
        string(b, "\"path\":", r.getPath());
        string(b, "\"query\":", r.getQuery());
        if (r.getStatus() != null) {
            b.ascii("\"status\":").number(r.getStatus().intValue()).raw(',');
        }
        double latency = r.latencyMillis();
        if (!Double.isNaN(latency)) {
            b.ascii("\"latency_ms\":").number(latency).raw(',');
        }
        if (r.getBytes() != null) {
            b.ascii("\"bytes\":").number(r.getBytes().longValue()).raw(',');
        }
        string(b, "\"user_agent\":", r.getUserAgent());
        Map<String, Object> fields = r.getFields();
        if (!fields.isEmpty()) {
            b.ascii("\"fields\":{");
            boolean first = true;
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                if (!first) {
                    b.raw(',');
                }
                first = false;
                b.name(e.getKey());
                value(b, e.getValue());
            }
            b.ascii("},");
        }
        Finding threat = r.getThreat();
        if (threat != null) {
            b.ascii("\"threat\":{\"rule\":");
            b.stringOrNull(threat.rule());
            b.ascii(",\"category\":");
            b.stringOrNull(threat.category());
            b.ascii(",\"severity\":");
            b.stringOrNull(threat.severity());
            b.ascii("},");
        }
        b.ascii("\"source\":{");
        if (r.getSourceFile() != null) {
            b.ascii("\"file\":").string(r.getSourceFile()).raw(',');
        }
        b.ascii("\"offset\":").number(r.getSourceOffset()).raw('}');
        if (r.isParseError()) {
            b.ascii(",\"parse_error\":true");
        }
        if (r.isTruncated()) {
            b.ascii(",\"truncated\":true");
        }
        b.raw('}');
    }

    /** {@code "key":"value",} when there is a value; {@code key} comes quoted with its colon. */
    private static void string(JsonBuffer b, String key, String value) {
        if (value != null) {
            b.ascii(key).string(value).raw(',');
        }
    }

    private static void value(JsonBuffer b, Object v) {
        if (v == null) {
            b.ascii("null");
        } else if (v instanceof String) {
            b.string((String) v);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            b.number(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            b.number(((Number) v).doubleValue());
        } else if (v instanceof BigInteger || v instanceof BigDecimal) {
            b.ascii(v.toString());
        } else if (v instanceof Boolean) {
            b.ascii((Boolean) v ? "true" : "false");
        } else if (v instanceof JsonNode) {
            node(b, (JsonNode) v);
        } else {
            b.string(v.toString());
        }
    }

    private static void node(JsonBuffer b, JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT: {
                b.raw('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    if (!first) {
                        b.raw(',');
                    }
                    first = false;
                    b.name(e.getKey());
                    node(b, e.getValue());
                }
                b.raw('}');
                break;
            }
            case ARRAY: {
                b.raw('[');
                boolean first = true;
                for (JsonNode item : n) {
                    if (!first) {
                        b.raw(',');
                    }
                    first = false;
                    node(b, item);
                }
                b.raw(']');
                break;
            }
            case STRING:
                b.string(n.textValue());
                break;
            case NUMBER:
                value(b, n.numberValue());
                break;
            case BOOLEAN:
                b.ascii(n.booleanValue() ? "true" : "false");
                break;
            case NULL:
            case MISSING:
                b.ascii("null");
                break;
            default:
                b.string(n.asText());
                break;
        }
    }
}
