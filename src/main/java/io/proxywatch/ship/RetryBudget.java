package io.proxywatch.ship;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * Whether a failed batch may be sent once more: up to max-attempts in all, and, once proxywatch is stopping,
 * only within the shutdown grace period; after that the batch goes to the spool at once (its chunks are then
 * safe and the checkpoint can move before the process exits).
 */
public final class RetryBudget {
    private final CamelContext context;
    private final int maxAttempts;
    private final long shutdownGraceMs;
    private volatile long stoppingSinceMs;

    public RetryBudget(CamelContext context, int maxAttempts, long shutdownGraceMs) {
        this.context = context;
        this.maxAttempts = maxAttempts;
        this.shutdownGraceMs = shutdownGraceMs;
    }

    public boolean mayRetry(Exchange exchange) {
        int redeliveries = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        if (redeliveries + 1 >= maxAttempts) {
            return false;
        }
        if (context.isStopping()) {
            long now = System.currentTimeMillis();
            if (stoppingSinceMs == 0) {
                stoppingSinceMs = now;
            }
            return now - stoppingSinceMs < shutdownGraceMs;
        }
        return true;
    }
}
