package io.proxywatch.alert;

import io.proxywatch.record.JsonBuffer;
import io.proxywatch.store.RollingFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

/**
 * alerts.log: every alert event as a JSON line, whatever the channels do with it, so there is always a local
 * record of what proxywatch saw (a DEBUG line each in proxywatch's own log); and an INFO line for each incident
 * message the grouper lets out. Rolls like the level files.
 */
public final class AlertLog {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.alert");
    private static final java.util.logging.Logger NOTIFIED = java.util.logging.Logger.getLogger("proxywatch.alert");

    private final Callable<RollingFile> opener;
    private final AtomicLong written = new AtomicLong();
    private RollingFile file;
    private final JsonBuffer lines = new JsonBuffer(); // guarded by this

    /** The file is opened at the first alert, so a folder that is not writable yet does not stop start-up. */
    public AlertLog(Callable<RollingFile> opener) {
        this.opener = opener;
    }

    /** A chunk's (or a timer tick's) events, in one write. */
    public synchronized void append(List<AlertEvent> events) throws Exception {
        if (events.isEmpty()) {
            return;
        }
        if (file == null) {
            file = opener.call();
        }
        lines.reset();
        for (AlertEvent e : events) {
            AlertJson.write(e, lines).raw('\n');
        }
        file.append(lines.toByteArray());
        written.addAndGet(events.size());
        if (LOG.isDebugEnabled()) {
            for (AlertEvent e : events) {
                LOG.debug("alert event {} {} {} {}: {}", e.severity(), e.state(), e.rule(),
                        PlainText.loggable(e.key()), PlainText.loggable(e.summary()));
            }
        }
    }

    /**
     * One INFO line per incident message going out (events are many; alerts.log has each of them). Logged through
     * java.util.logging itself: SLF4J's binding to it builds a stack trace for every line to find the caller, which
     * ConsoleLogging never prints, and an attack from thousands of addresses is thousands of incidents.
     */
    public void notified(Notification n) {
        if (NOTIFIED.isLoggable(Level.INFO)) {
            NOTIFIED.info("alert " + n.severity() + ' ' + n.state() + (n.repeat() ? " (repeat)" : "") + ' ' + n.rule()
                    + ' ' + PlainText.loggable(n.key()) + ": " + n.events() + " events (" + n.total()
                    + " in the incident); " + PlainText.loggable(n.summary()));
        }
    }

    public long written() {
        return written.get();
    }

}
