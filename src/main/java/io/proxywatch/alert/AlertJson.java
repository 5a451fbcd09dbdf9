package io.proxywatch.alert;

import io.proxywatch.record.JsonBuffer;

/**
 * An alert event as one JSON object (alerts.log, the webhook channel, the dashboard feed): rule, category,
 * severity, state, key, count, first_seen, last_seen, summary, evidence. Evidence is log text, escaped like every
 * string ({@link JsonBuffer} writes the bytes Jackson's generator wrote; its per-event generator and java.time's
 * formatter were a good part of a bulk run's JIT when an attack raised thousands of events).
 */
public final class AlertJson {
    private static final ThreadLocal<JsonBuffer> BUFFERS = ThreadLocal.withInitial(JsonBuffer::new);

    private AlertJson() {
    }

    public static byte[] toBytes(AlertEvent e) {
        JsonBuffer b = BUFFERS.get();
        b.reset();
        return write(e, b).toByteArray();
    }

    /** Appends the event's object to {@code b}. */
    public static JsonBuffer write(AlertEvent e, JsonBuffer b) {
        b.raw('{');
        field(b, "rule", e.rule()).raw(',');
        field(b, "category", e.category()).raw(',');
        field(b, "severity", e.severity()).raw(',');
        field(b, "state", e.state()).raw(',');
        field(b, "key", e.key()).raw(',');
        b.name("count").number(e.count()).raw(',');
        b.name("first_seen");
        instantOrNull(b, e.firstSeen()).raw(',');
        b.name("last_seen");
        instantOrNull(b, e.lastSeen()).raw(',');
        field(b, "summary", e.summary()).raw(',');
        b.name("evidence").raw('[');
        boolean first = true;
        for (String line : e.evidence()) {
            if (!first) {
                b.raw(',');
            }
            first = false;
            b.stringOrNull(line);
        }
        return b.raw(']').raw('}');
    }

    private static JsonBuffer field(JsonBuffer b, String name, String value) {
        return b.name(name).stringOrNull(value);
    }

    /** As Jackson wrote {@code String.valueOf(instant)}: "null" (quoted) when there is none. */
    private static JsonBuffer instantOrNull(JsonBuffer b, java.time.Instant t) {
        return t == null ? b.string("null") : b.instant(t);
    }
}
