package io.proxywatch.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.proxywatch.detect.Finding;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
        return toBytes(r, BUFFERS.get());
    }

    static byte[] toBytes(LogRecord r, JsonBuffer b) {
        b.reset();
        write(r, b);
        return b.toByteArray();
    }

    /**
     * Renders each record not rendered yet ({@link LogRecord#json()}), looking up the thread's buffer once for
     * the lot: per record, the thread-local look-up was a tenth of the rendering on the pipeline thread.
     */
    public static void renderAll(List<LogRecord> records) {
        JsonBuffer b = BUFFERS.get();
        for (LogRecord r : records) {
            r.json(b);
        }
    }

    /** Appends the object's UTF-8 bytes to {@code out}, without a line separator. */
    public static void writeTo(LogRecord r, ByteArrayOutputStream out) {
        out.writeBytes(toBytes(r));
    }

    // the keys, quoted with their colon (and the punctuation around them), encoded once
    private static final byte[] TIMESTAMP = key("{\"timestamp\":");
    private static final byte[] LEVEL = key("\"level\":");
    private static final byte[] SERVICE = key("\"service\":");
    private static final byte[] MESSAGE = key("\"message\":");
    private static final byte[] TRACE_ID = key("\"trace_id\":");
    private static final byte[] CLIENT_IP = key("\"client_ip\":");
    private static final byte[] METHOD = key("\"method\":");
    private static final byte[] PATH = key("\"path\":");
    private static final byte[] QUERY = key("\"query\":");
    private static final byte[] STATUS = key("\"status\":");
    private static final byte[] LATENCY = key("\"latency_ms\":");
    private static final byte[] BYTES = key("\"bytes\":");
    private static final byte[] USER_AGENT = key("\"user_agent\":");
    private static final byte[] SOURCE = key("\"source\":{");
    private static final byte[] FILE = key("\"file\":");
    private static final byte[] OFFSET = key("\"offset\":");

    private static byte[] key(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(LogRecord r, JsonBuffer b) {
        // every record has "source", so each key before it can end with a comma
        if (r.getTimestamp() != null) {
            b.bytes(TIMESTAMP);
            b.timestamp(r.getTimestamp());
            b.raw(',');
        } else {
            b.raw('{');
        }
        // values that are usually one instance shared by many records (constants, the parser's string cache, the
        // file name) are written from their escaped bytes kept by the buffer
        shared(b, LEVEL, r.getLevel());
        shared(b, SERVICE, r.getService());
        string(b, MESSAGE, r.getMessage());
        string(b, TRACE_ID, r.getTraceId());
        string(b, CLIENT_IP, r.getClientIp());
        shared(b, METHOD, r.getMethod());
        string(b, PATH, r.getPath());
        string(b, QUERY, r.getQuery());
        if (r.getStatus() != null) {
            b.bytes(STATUS).number(r.getStatus().intValue()).raw(',');
        }
        double latency = r.latencyMillis();
        if (!Double.isNaN(latency)) {
            b.bytes(LATENCY).number(latency).raw(',');
        }
        if (r.hasBytes()) {
            b.bytes(BYTES).number(r.bytesValue()).raw(',');
        }
        shared(b, USER_AGENT, r.getUserAgent());
        if (r.hasFields()) {
            Map<String, Object> fields = r.getFields();
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
        b.bytes(SOURCE);
        if (r.getSourceFile() != null) {
            b.bytes(FILE).shared(r.getSourceFile()).raw(',');
        }
        b.bytes(OFFSET).number(r.getSourceOffset()).raw('}');
        if (r.isParseError()) {
            b.ascii(",\"parse_error\":true");
        }
        if (r.isTruncated()) {
            b.ascii(",\"truncated\":true");
        }
        b.raw('}');
    }

    /** {@code "key":"value",} when there is a value; {@code key} comes quoted with its colon. */
    private static void string(JsonBuffer b, byte[] key, String value) {
        if (value != null) {
            b.bytes(key).string(value).raw(',');
        }
    }

    /** {@link #string} for a value usually shared by many records ({@link JsonBuffer#shared}). */
    private static void shared(JsonBuffer b, byte[] key, String value) {
        if (value != null) {
            b.bytes(key).shared(value).raw(',');
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
