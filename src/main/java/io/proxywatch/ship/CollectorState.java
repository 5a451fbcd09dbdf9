package io.proxywatch.ship;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the collector is known to be down: set by a failed send, cleared by the next 2xx. While it is down
 * new batches go straight to the spool, so a retrying batch never holds up the logs being followed.
 */
public final class CollectorState {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.ship");

    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong downSinceMs = new AtomicLong();

    public boolean isDown() {
        return down.get();
    }

    /** When the collector was last found down (epoch ms): the first failure since it last answered; 0 before any. */
    public long downSinceMs() {
        return downSinceMs.get();
    }

    public void failed(String why) {
        if (down.compareAndSet(false, true)) {
            downSinceMs.set(System.currentTimeMillis());
            LOG.warn("collector unreachable or failing ({}): new batches go to the spool until it answers", why);
        }
    }

    public void answered() {
        if (down.compareAndSet(true, false)) {
            LOG.info("collector answers again: sending live, replaying the spool");
        }
    }
}
