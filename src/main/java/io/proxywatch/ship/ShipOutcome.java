package io.proxywatch.ship;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Where a batch ends up, called by the ship routes: delivered (2xx), spooled, dead-lettered, or failed (it
 * could be made safe nowhere, so its chunks are read again). Each outcome settles the batch's chunk acks.
 */
public final class ShipOutcome {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.ship");
    public static final String BATCH = "ProxywatchBatch";

    private final Spool spool;
    private final DeadLetters deadLetters;
    private final CollectorState state;
    private final ShipStats stats;
    private ProducerTemplate resender;

    public ShipOutcome(Spool spool, DeadLetters deadLetters, CollectorState state, ShipStats stats) {
        this.spool = spool;
        this.deadLetters = deadLetters;
        this.state = state;
        this.stats = stats;
    }

    public void delivered(@ExchangeProperty(BATCH) Batch batch) {
        state.answered();
        stats.recordsShipped.addAndGet(batch.size());
        stats.batchesShipped.incrementAndGet();
        stats.lastDeliveredMs.set(System.currentTimeMillis());
        batch.settled();
    }

    public void spool(@Body Batch batch) {
        settleAfter(batch, "spool", () -> spool.write(batch));
    }

    public void deadLetter(@ExchangeProperty(BATCH) Batch batch,
                           @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        state.answered(); // a 4xx is an answer: the collector is up
        settleAfter(batch, "dead-letter", () -> deadLetters.write(batch, cause));
    }

    private interface Write {
        void run() throws Exception;
    }

    /** The batch is safe once written; if it cannot be written anywhere, its chunks are read again. */
    private static void settleAfter(Batch batch, String where, Write write) {
        try {
            write.run();
        } catch (Exception e) {
            LOG.error("could not {} batch {} ({} records): {}; its lines will be read again", where, batch.id(),
                    batch.size(), e.toString());
            batch.failed();
            return;
        }
        batch.settled();
    }

    /**
     * A 413: the collector takes smaller batches. Each half goes through ship-send again as a new exchange, so
     * it gets the full error handling of its own (a half that is still too large is halved again).
     */
    public void resendHalves(@ExchangeProperty(BATCH) Batch batch,
                             @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause, Exchange exchange) {
        state.answered();
        if (batch.size() < 2) {
            deadLetter(batch, cause); // one record too large: no smaller batch exists
            return;
        }
        LOG.warn("collector says batch {} of {} records is too large (413): sending it in halves", batch.id(),
                batch.size());
        ProducerTemplate template = template(exchange);
        for (Batch half : batch.halves()) {
            template.asyncSendBody("direct:ship-send", half);
        }
    }

    private synchronized ProducerTemplate template(Exchange exchange) {
        if (resender == null) {
            resender = exchange.getContext().createProducerTemplate();
        }
        return resender;
    }
}
