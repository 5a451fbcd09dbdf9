package io.proxywatch.alert;

import io.proxywatch.store.RollingFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * alerts.log: every alert event as a JSON line, whatever the channels do with it, so there is always a local
 * record of what proxywatch saw (a DEBUG line each in proxywatch's own log); and an INFO line for each incident
 * message the grouper lets out. Rolls like the level files.
 */
public final class AlertLog {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.alert");

    private final Callable<RollingFile> opener;
    private final AtomicLong written = new AtomicLong();
    private RollingFile file;

    /** The file is opened at the first alert, so a folder that is not writable yet does not stop start-up. */
    public AlertLog(Callable<RollingFile> opener) {
        this.opener = opener;
    }

    public synchronized void append(AlertEvent e) throws Exception {
        if (file == null) {
            file = opener.call();
        }
        byte[] json = AlertJson.toBytes(e);
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        file.append(line);
        written.incrementAndGet();
        if (LOG.isDebugEnabled()) {
            LOG.debug("alert event {} {} {} {}: {}", e.severity(), e.state(), e.rule(), PlainText.loggable(e.key()),
                    PlainText.loggable(e.summary()));
        }
    }

    /** One INFO line per incident message going out (events are many; alerts.log has each of them). */
    public void notified(Notification n) {
        LOG.info("alert {} {}{} {} {}: {} events ({} in the incident); {}", n.severity(), n.state(),
                n.repeat() ? " (repeat)" : "", n.rule(), PlainText.loggable(n.key()), n.events(), n.total(), PlainText.loggable(n.summary()));
    }

    public long written() {
        return written.get();
    }

}
