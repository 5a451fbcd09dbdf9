package io.proxywatch.ship;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the ship stage, for the progress line (and, later, metrics). */
public final class ShipStats {
    public final AtomicLong recordsShipped = new AtomicLong();
    public final AtomicLong batchesShipped = new AtomicLong();
    public final AtomicLong retries = new AtomicLong();
    public final AtomicLong recordsSpooled = new AtomicLong();
    public final AtomicLong recordsReplayed = new AtomicLong();
    public final AtomicLong recordsDeadLettered = new AtomicLong();
    public final AtomicLong recordsDropped = new AtomicLong();
    /** When the collector last took a batch (sent or replayed), epoch ms; the start time until it first does. */
    public final AtomicLong lastDeliveredMs = new AtomicLong(System.currentTimeMillis());

    @Override
    public String toString() {
        return "shipped " + recordsShipped + " (" + batchesShipped + " batches), retries " + retries + ", spooled "
                + recordsSpooled + ", replayed " + recordsReplayed + ", dead-letter " + recordsDeadLettered
                + ", dropped " + recordsDropped;
    }
}
