package io.proxywatch.parse;

import com.fasterxml.jackson.databind.node.NullNode;
import io.proxywatch.record.LogRecord;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The fast path for the lines a proxy writes all day: the structured JSON contract's access lines
 * ({@code {"timestamp":…,"level":…,"service":…,"message":…,"trace_id":…,"client_ip":…,"method":…,"path":…,
 * "status":…,"latency_ms":…,"bytes":…,"user_agent":…}}, in any order, plus extra scalar keys), read with
 * {@link FlatJsonCursor} straight into the record: no Jackson parser, no intermediate map, no String for a value
 * that is only converted.
 *
 * <p>It takes a line only when the general path ({@link JsonLineReader}, {@link JsonFormats}, {@link LoggerFields})
 * would classify it as "json" and consume every contract key it carries, so the record comes out the same, field
 * for field; anything else (another logger's keys, a value of an unexpected type or that does not convert, nested
 * values, a repeated contract key, broken JSON) answers false with the record untouched but for its fields map,
 * which is cleared, and the caller parses the line the general way. {@code AccessJsonLineTest} compares both.
 */
final class AccessJsonLine {
    private static final int TIMESTAMP = 1;
    private static final int LEVEL = 1 << 1;
    private static final int SERVICE = 1 << 2;
    private static final int MESSAGE = 1 << 3;
    private static final int TRACE_ID = 1 << 4;
    private static final int CLIENT_IP = 1 << 5;
    private static final int METHOD = 1 << 6;
    private static final int PATH = 1 << 7;
    private static final int QUERY = 1 << 8;
    private static final int STATUS = 1 << 9;
    private static final int LATENCY_MS = 1 << 10;
    private static final int BYTES = 1 << 11;
    private static final int USER_AGENT = 1 << 12;
    private static final int OTHER = 0;
    /** Keys that mean something only on an HTTP line: without a status or a method they stay data. */
    private static final int HTTP_ONLY = PATH | QUERY | LATENCY_MS | BYTES;

    /** Keys the general path reads that this one does not: a line with one of them goes there. */
    private static final Set<String> OTHER_FORMATS_KEYS;

    static {
        Set<String> keys = new HashSet<>(LoggerFields.KEYS_READ);
        keys.addAll(JsonFormats.KEYS_READ);
        keys.removeAll(Set.of("timestamp", "level", "service", "message", "trace_id", "client_ip", "method", "path",
                "query", "status", "latency_ms", "bytes", "user_agent"));
        OTHER_FORMATS_KEYS = Set.copyOf(keys);
    }

    /** Boxed statuses, shared: every access record has one. */
    private static final Integer[] STATUSES = new Integer[500];

    static {
        for (int i = 0; i < STATUSES.length; i++) {
            STATUSES[i] = 100 + i;
        }
    }

    private AccessJsonLine() {
    }

    /** Fills {@code r} from {@code line} (trimmed, starting with '{'); false when the general path must read it. */
    static boolean read(String line, LogRecord r, StringCache cache) {
        if (!read(new FlatJsonCursor(line), r, cache)) {
            if (r.hasFields()) {
                r.getFields().clear();
            }
            return false;
        }
        return true;
    }

    private static boolean read(FlatJsonCursor c, LogRecord r, StringCache cache) {
        if (!c.begin()) {
            return false;
        }
        String line = c.line();
        int seen = 0;
        Instant timestamp = null;
        String level = null;
        String service = null;
        String message = null;
        String traceId = null;
        String clientIp = null;
        String method = null;
        String target = null;
        String query = null;
        int status = -1;
        double latency = Double.NaN;
        long bytes = -1;
        String userAgent = null;
        do {
            if (!c.key()) {
                return false;
            }
            int key = key(c);
            String extraKey = null;
            if (key == OTHER) {
                extraKey = cache.get(line, c.from, c.to);
                if (OTHER_FORMATS_KEYS.contains(extraKey)) {
                    return false;
                }
            } else if ((seen & key) != 0) {
                return false; // a repeated key: the general path keeps the last value, and so must the record
            }
            seen |= key;
            int kind = c.value();
            if (kind == FlatJsonCursor.NONE) {
                return false;
            }
            switch (key) {
                case TIMESTAMP:
                    timestamp = timestamp(c, kind);
                    if (timestamp == null) {
                        return false;
                    }
                    break;
                case LEVEL:
                    level = kind == FlatJsonCursor.STRING ? level(c)
                            : kind == FlatJsonCursor.INT ? Levels.fromNumber(c.longValue) : null;
                    if (level == null) {
                        return false;
                    }
                    break;
                case STATUS:
                    status = status(c, kind);
                    if (status < 0) {
                        return false;
                    }
                    break;
                case LATENCY_MS:
                    if (kind != FlatJsonCursor.INT && kind != FlatJsonCursor.FLOAT) {
                        return false;
                    }
                    // Jackson hands an integer over as Integer/Long, whose doubleValue() is a plain conversion
                    latency = AccessFields.roundedMillis(kind == FlatJsonCursor.INT ? c.longValue : c.doubleValue());
                    if (Double.isNaN(latency)) {
                        return false;
                    }
                    break;
                case BYTES:
                    bytes = bytes(c, kind);
                    if (bytes < 0) {
                        return false;
                    }
                    break;
                case OTHER:
                    Object v = extra(c, kind);
                    if (v == null) {
                        return false;
                    }
                    r.getFields().put(extraKey, v);
                    break;
                default:
                    if (kind != FlatJsonCursor.STRING) {
                        return false; // the general path would leave a number or null in fields
                    }
                    switch (key) {
                        case SERVICE: service = c.escaped ? c.text() : cache.get(line, c.from, c.to); break;
                        case MESSAGE: message = c.text(); break;
                        case TRACE_ID: traceId = c.text(); break;
                        case CLIENT_IP: clientIp = c.text(); break;
                        case METHOD: method = c.escaped ? c.text() : cache.get(line, c.from, c.to); break;
                        case PATH: target = c.text(); break;
                        case QUERY: query = c.text(); break;
                        default: userAgent = c.escaped ? c.text() : cache.get(line, c.from, c.to); break;
                    }
                    break;
            }
        } while (c.next());
        boolean http = status >= 0 || method != null;
        if (!c.closed() || timestamp == null || !http && (seen & HTTP_ONLY) != 0) {
            // no timestamp: the general path would call the line zerolog or plain json and map it differently
            return false;
        }
        r.setFormat("json");
        r.setTimestamp(timestamp);
        r.setService(service);
        r.setTraceId(traceId);
        r.setClientIp(AccessFields.clientAddress(clientIp));
        r.setUserAgent(userAgent);
        if (http) {
            if (status >= 0) {
                r.setStatus(STATUSES[status - 100]);
            }
            r.setMethod(method);
            AccessFields.target(r, target);
            if (query != null) {
                r.setQuery(query);
            }
            r.setLatencyMs(latency); // NaN: none
            if (bytes >= 0) {
                r.setBytes(bytes);
            }
        }
        if (level != null) {
            r.setLevel(level);
        } else if (status >= 0) {
            r.setLevel(Levels.fromStatus(status));
        }
        if (message == null || message.isEmpty() && r.isAccess()) {
            message = r.isAccess() ? AccessFields.message(r) : "";
        }
        r.setMessage(message);
        return true;
    }

    /** The contract key the cursor's name is, by length first: no String made for the name. */
    private static int key(FlatJsonCursor c) {
        switch (c.to - c.from) {
            case 4: return c.is("path") ? PATH : OTHER;
            case 5: return c.is("level") ? LEVEL : c.is("bytes") ? BYTES : c.is("query") ? QUERY : OTHER;
            case 6: return c.is("status") ? STATUS : c.is("method") ? METHOD : OTHER;
            case 7: return c.is("message") ? MESSAGE : c.is("service") ? SERVICE : OTHER;
            case 8: return c.is("trace_id") ? TRACE_ID : OTHER;
            case 9: return c.is("timestamp") ? TIMESTAMP : c.is("client_ip") ? CLIENT_IP : OTHER;
            case 10: return c.is("latency_ms") ? LATENCY_MS : c.is("user_agent") ? USER_AGENT : OTHER;
            default: return OTHER;
        }
    }

    /** As {@link LoggerFields#toInstant}: ISO text where it lies, other text, or an epoch number. */
    private static Instant timestamp(FlatJsonCursor c, int kind) {
        switch (kind) {
            case FlatJsonCursor.STRING: {
                String s = c.line();
                if (!c.escaped && c.to - c.from >= 10 && Timestamps.digits(s, c.from, 4)
                        && s.charAt(c.from + 4) == '-') {
                    return Timestamps.iso(s, c.from, c.to);
                }
                return Timestamps.parse(c.text());
            }
            case FlatJsonCursor.INT:
                return Timestamps.fromEpoch(c.longValue);
            case FlatJsonCursor.FLOAT:
                return Timestamps.fromEpoch(c.doubleValue());
            default:
                return null;
        }
    }

    private static String level(FlatJsonCursor c) {
        return c.escaped ? Levels.canonical(c.text()) : Levels.canonical(c.line(), c.from, c.to);
    }

    /** As {@link AccessFields#status}: an integer or three digits as text, 100-599; else -1. */
    private static int status(FlatJsonCursor c, int kind) {
        long s;
        if (kind == FlatJsonCursor.INT) {
            s = c.longValue;
        } else if (kind == FlatJsonCursor.STRING && !c.escaped && c.to - c.from == 3
                && Timestamps.digits(c.line(), c.from, 3)) {
            s = Integer.parseInt(c.line(), c.from, c.to, 10);
        } else {
            return -1;
        }
        return s >= 100 && s <= 599 ? (int) s : -1;
    }

    /** As {@link AccessFields#bytes}: a non-negative integer, or up to 18 digits as text; else -1. */
    private static long bytes(FlatJsonCursor c, int kind) {
        if (kind == FlatJsonCursor.INT) {
            return c.longValue;
        }
        int len = c.to - c.from;
        if (kind == FlatJsonCursor.STRING && !c.escaped && len > 0 && len <= 18
                && Timestamps.digits(c.line(), c.from, len)) {
            return Long.parseLong(c.line(), c.from, c.to, 10);
        }
        return -1;
    }

    /** An extra key's value as {@link JsonLineReader} would have put it in fields. */
    private static Object extra(FlatJsonCursor c, int kind) {
        switch (kind) {
            case FlatJsonCursor.STRING:
                return c.text();
            case FlatJsonCursor.INT: {
                // Jackson's getNumberValue(): Integer when the value fits, else Long (19+ digits never get here)
                long v = c.longValue;
                return v == (int) v ? (Object) (int) v : (Object) v;
            }
            case FlatJsonCursor.FLOAT:
                return c.doubleValue();
            case FlatJsonCursor.TRUE:
                return Boolean.TRUE;
            case FlatJsonCursor.FALSE:
                return Boolean.FALSE;
            case FlatJsonCursor.NULL:
                return NullNode.getInstance();
            default:
                return null;
        }
    }
}
