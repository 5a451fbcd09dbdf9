package io.proxywatch.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An alert event as one JSON object (alerts.log, the webhook channel, the dashboard feed): rule, category,
 * severity, state, key, count, first_seen, last_seen, summary, evidence. Evidence is log text, escaped by Jackson.
 */
public final class AlertJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private AlertJson() {
    }

    public static byte[] toBytes(AlertEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("rule", e.rule());
            g.writeStringField("category", e.category());
            g.writeStringField("severity", e.severity());
            g.writeStringField("state", e.state());
            g.writeStringField("key", e.key());
            g.writeNumberField("count", e.count());
            g.writeStringField("first_seen", String.valueOf(e.firstSeen()));
            g.writeStringField("last_seen", String.valueOf(e.lastSeen()));
            g.writeStringField("summary", e.summary());
            g.writeArrayFieldStart("evidence");
            for (String line : e.evidence()) {
                g.writeString(line);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    public static String toJson(AlertEvent e) {
        return new String(toBytes(e), java.nio.charset.StandardCharsets.UTF_8);
    }
}
