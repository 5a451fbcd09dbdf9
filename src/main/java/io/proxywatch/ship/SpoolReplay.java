package io.proxywatch.ship;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;

/**
 * Sends spooled batches again, oldest first, one at a time, each deleted only after a 2xx. After a failure it
 * waits, doubling the wait up to the retry maximum; a success resets the wait. Called by the ship-replay route.
 */
public final class SpoolReplay {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.ship");
    static final String SPOOLED = "ProxywatchSpooled";

    private final Spool spool;
    private final DeadLetters deadLetters;
    private final CollectorState state;
    private final ShipStats stats;
    private final boolean enabled;
    private final long initialDelayMs;
    private final long maxDelayMs;
    private final Clock clock;
    private long delayMs;
    private long notBeforeMs;

    public SpoolReplay(Spool spool, DeadLetters deadLetters, CollectorState state, ShipStats stats, boolean enabled,
                       long initialDelayMs, long maxDelayMs, Clock clock) {
        this.spool = spool;
        this.deadLetters = deadLetters;
        this.state = state;
        this.stats = stats;
        this.enabled = enabled;
        this.initialDelayMs = initialDelayMs;
        this.maxDelayMs = maxDelayMs;
        this.clock = clock;
    }

    /** True when a spooled batch is waiting and the back-off allows a try. */
    public synchronized boolean due() {
        return enabled && spool.batches() > 0 && clock.millis() >= notBeforeMs;
    }

    /** Loads the oldest batch as the body; null if it vanished meanwhile (dropped by drop-oldest). */
    public Batch next(Exchange exchange) throws IOException {
        Spool.SpooledBatch spooled = spool.oldest();
        if (spooled == null) {
            return null;
        }
        exchange.setProperty(SPOOLED, spooled);
        return spooled.batch();
    }

    public synchronized void delivered(@ExchangeProperty(SPOOLED) Spool.SpooledBatch spooled) throws IOException {
        spool.remove(spooled);
        stats.recordsReplayed.addAndGet(spooled.batch().size());
        stats.lastDeliveredMs.set(System.currentTimeMillis());
        state.answered();
        delayMs = 0;
        notBeforeMs = 0;
    }

    /** The collector refused the batch for good (4xx): keep it with the dead letters and go on. */
    public synchronized void rejected(@ExchangeProperty(SPOOLED) Spool.SpooledBatch spooled,
                                      @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) throws IOException {
        deadLetters.write(spooled.batch(), cause);
        spool.remove(spooled);
        state.answered();
    }

    /**
     * A 413: the collector takes smaller batches. The batch's halves take its place in the spool and are sent in
     * turn (a half still too large is halved again), as the live path does; a single record too large for the
     * collector goes to the dead letters. It went to the dead letters whole.
     */
    public synchronized void tooLarge(@ExchangeProperty(SPOOLED) Spool.SpooledBatch spooled,
                                      @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) throws IOException {
        Batch batch = spooled.batch();
        if (batch.size() < 2) {
            rejected(spooled, cause);
            return;
        }
        LOG.warn("collector says spooled batch {} of {} records is too large (413): spooling it in halves", batch.id(),
                batch.size());
        spool.replace(spooled, batch.halves());
        state.answered();
    }

    public synchronized void failed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        delayMs = delayMs == 0 ? initialDelayMs : Math.min(maxDelayMs, delayMs * 2);
        notBeforeMs = clock.millis() + delayMs;
        state.failed(RetryAfter.describe(cause));
        // the first failure of an outage is logged by CollectorState; later ones would repeat it every back-off
        LOG.debug("replay failed ({}); next try in {} ms, {} batches spooled", RetryAfter.describe(cause), delayMs,
                spool.batches());
    }
}
