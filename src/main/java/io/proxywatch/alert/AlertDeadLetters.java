package io.proxywatch.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.proxywatch.store.RollingFile;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Alert messages a channel could not deliver: one JSON line each in the alert dead-letter file (when, channel,
 * why, the notifications), an ERROR log line, and a count. Whatever reached here is never retried by proxywatch;
 * the file is for the operator.
 */
public final class AlertDeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.alert");
    private static final JsonFactory JSON = new JsonFactory();

    private final Callable<RollingFile> opener;
    private final AlertStats stats;
    private final Clock clock;
    private RollingFile file;

    public AlertDeadLetters(Callable<RollingFile> opener, AlertStats stats, Clock clock) {
        this.opener = opener;
        this.stats = stats;
        this.clock = clock;
    }

    public synchronized void write(@ExchangeProperty("ProxywatchAlertChannel") String channel,
                                   @ExchangeProperty("ProxywatchNotifications") List<Notification> notifications,
                                   @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) throws Exception {
        String why = cause == null ? "unknown" : SecretUrl.mask(String.valueOf(cause.getMessage()));
        List<Notification> lost = notifications == null ? List.of() : notifications;
        stats.deadLettered(channel == null ? "unknown" : channel);
        LOG.error("alert channel {} failed for good ({}): {} notifications written to the alert dead-letter file",
                channel, PlainText.loggable(why), lost.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", clock.instant().toString());
            g.writeStringField("channel", channel);
            g.writeStringField("error", why);
            g.writeArrayFieldStart("notifications");
            for (Notification n : lost) {
                g.writeStartObject();
                g.writeStringField("rule", n.rule());
                g.writeStringField("severity", n.severity());
                g.writeStringField("state", n.state());
                g.writeStringField("key", n.key());
                g.writeNumberField("events", n.events());
                g.writeNumberField("total", n.total());
                g.writeStringField("summary", n.summary());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
        if (file == null) {
            file = opener.call();
        }
        file.append(out.toByteArray());
    }

}
