package io.proxywatch.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxywatch.record.Jackson;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * The generic JSON webhook body, for receivers of our own (a SOAR, a chat bridge, a ticket system):
 * <pre>
 * {"source":"proxywatch","notifications":[{"rule":…,"category":…,"severity":…,"state":…,"key":…,"events":3,
 *   "total":12,"first_seen":"2024-05-01T10:00:00Z","last_seen":…,"repeat":false,"summary":…,"evidence":[…]}]}
 * </pre>
 * Times are ISO-8601 UTC. Text is as logged (JSON-escaped by Jackson, nothing more): the receiver must escape it
 * for wherever it shows it. Success is any 2xx ({@link WebhookResponse}); the body is not checked.
 */
public final class WebhookMessage {
    public static final String SOURCE = "proxywatch";

    public String body(List<Notification> notifications) {
        ObjectNode root = Jackson.mapper().createObjectNode();
        root.put("source", SOURCE);
        ArrayNode list = root.putArray("notifications");
        for (Notification n : notifications) {
            ObjectNode o = list.addObject();
            o.put("rule", n.rule());
            o.put("category", n.category());
            o.put("severity", n.severity());
            o.put("state", n.state());
            o.put("key", n.key());
            o.put("events", n.events());
            o.put("total", n.total());
            o.put("first_seen", n.firstSeen() == null ? null : n.firstSeen().toString());
            o.put("last_seen", n.lastSeen() == null ? null : n.lastSeen().toString());
            o.put("repeat", n.repeat());
            o.put("summary", n.summary());
            ArrayNode ev = o.putArray("evidence");
            n.evidence().forEach(ev::add);
        }
        try {
            return Jackson.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
