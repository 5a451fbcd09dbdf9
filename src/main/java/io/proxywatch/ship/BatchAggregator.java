package io.proxywatch.ship;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Joins slices into batches. A batch is closed before a slice that would take it past max-records or
 * max-bytes ({@link #preComplete}), when it is full ({@link #isFull}), or by the aggregator's timeout.
 */
public final class BatchAggregator implements AggregationStrategy {
    private final int maxRecords;
    private final long maxBytes;

    public BatchAggregator(int maxRecords, long maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        ShipSlice slice = newExchange.getIn().getBody(ShipSlice.class);
        if (oldExchange == null) {
            newExchange.getIn().setBody(Batch.of(slice));
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

    public boolean isFull(Exchange exchange) {
        Batch batch = exchange.getIn().getBody(Batch.class);
        return batch.size() >= maxRecords || batch.bytes() >= maxBytes;
    }
}
