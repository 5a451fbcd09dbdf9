package io.proxywatch.ship;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.time.Clock;

/**
 * Joins slices into batches. A batch is closed before a slice that would take it past max-records or
 * max-bytes ({@link #preComplete}), when it is full or {@code maxAgeMs} old ({@link #isFull}, asked as each slice
 * joins), or by the aggregator's timeout when no slice comes for that long.
 *
 * <p>The age matters because Camel's completion timeout counts from the last slice, not the first: a log read at
 * a steady few lines a second would otherwise hold its batch until max-records, minutes at a time.
 */
public final class BatchAggregator implements AggregationStrategy {
    static final String OPENED_AT = "ProxywatchBatchOpenedAt";

    private final int maxRecords;
    private final long maxBytes;
    private final long maxAgeMs;
    private final Clock clock;

    public BatchAggregator(int maxRecords, long maxBytes, long maxAgeMs, Clock clock) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.maxAgeMs = maxAgeMs;
        this.clock = clock;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        ShipSlice slice = newExchange.getIn().getBody(ShipSlice.class);
        if (oldExchange == null) {
            newExchange.getIn().setBody(Batch.of(slice));
            newExchange.setProperty(OPENED_AT, clock.millis());
            return newExchange;
        }
        oldExchange.getIn().getBody(Batch.class).add(slice);
        return oldExchange;
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

    /** Full, or as old as the batch timeout: then it goes with the slice that just joined. */
    public boolean isFull(Exchange exchange) {
        Batch batch = exchange.getIn().getBody(Batch.class);
        if (batch.size() >= maxRecords || batch.bytes() >= maxBytes) {
            return true;
        }
        Long opened = exchange.getProperty(OPENED_AT, Long.class);
        return opened != null && clock.millis() - opened >= maxAgeMs;
    }
}
