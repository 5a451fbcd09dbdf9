package io.proxywatch.ship;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.time.Clock;

/**
 * Joins slices into batches. A batch is closed before a slice that would take it past max-records or
 * max-bytes ({@link #preComplete}), together with the slice that makes it full or that joins it once it is
 * {@code maxAgeMs} old ({@link #closesBatch}, asked by the route before each slice joins), or by the aggregator's
 * timeout when no slice comes for that long.
 *
 * <p>Camel asks no completion predicate of a strategy that pre-completes, so "full" cannot be a predicate: a full
 * batch would wait for the next slice or the timeout (the last batch of a bulk read sat 1-2 s). The route sets
 * Camel's "complete all groups inclusive" header from {@link #closesBatch} instead; there is one group.
 *
 * <p>The age matters because Camel's completion timeout counts from the last slice, not the first: a log read at
 * a steady few lines a second would otherwise hold its batch until max-records, minutes at a time.
 */
public final class BatchAggregator implements AggregationStrategy {

    private final int maxRecords;
    private final long maxBytes;
    private final long maxAgeMs;
    private final Clock clock;
    // the batch slices join now: read by closesBatch on the pipeline thread, cleared by the completion (pipeline
    // thread or Camel's timeout checker)
    private Batch open;

    public BatchAggregator(int maxRecords, long maxBytes, long maxAgeMs, Clock clock) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.maxAgeMs = maxAgeMs;
        this.clock = clock;
    }

    @Override
    public synchronized Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        ShipSlice slice = newExchange.getIn().getBody(ShipSlice.class);
        if (oldExchange == null) {
            open = Batch.of(slice, clock.millis());
            newExchange.getIn().setBody(open);
            return newExchange;
        }
        oldExchange.getIn().getBody(Batch.class).add(slice);
        return oldExchange;
    }

    @Override
    public synchronized void onCompletion(Exchange exchange) {
        if (exchange != null && exchange.getIn().getBody() == open) {
            open = null;
        }
    }

    @Override
    public boolean canPreComplete() {
        return true;
    }

    @Override
    public boolean preComplete(Exchange oldExchange, Exchange newExchange) {
        if (oldExchange == null) {
            return false;
        }
        Batch batch = oldExchange.getIn().getBody(Batch.class);
        ShipSlice slice = newExchange.getIn().getBody(ShipSlice.class);
        return batch.size() + slice.records().size() > maxRecords || batch.bytes() + slice.bytes() > maxBytes;
    }

    /**
     * True when {@code slice} will close the batch it joins: it makes the batch full, or the batch it joins is as
     * old as the batch timeout. A slice that would overflow the open batch starts a new one ({@link #preComplete}),
     * which it closes only if it is full on its own. Called just before the slice reaches the aggregator.
     */
    public synchronized boolean closesBatch(ShipSlice slice) {
        long records = slice.records().size();
        long bytes = slice.bytes();
        Batch b = open;
        if (b != null && b.size() + records <= maxRecords && b.bytes() + bytes <= maxBytes) {
            if (clock.millis() - b.openedAtMs() >= maxAgeMs) {
                return true;
            }
            records += b.size();
            bytes += b.bytes();
        }
        return records >= maxRecords || bytes >= maxBytes;
    }
}
