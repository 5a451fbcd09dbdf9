package io.proxywatch.alert;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.time.Duration;

/**
 * Runs after every failed attempt at an alert channel, before Camel decides on the next delay: when the channel
 * named a wait (WeCom's 45009: the minute's quota; DingTalk's 130101: ten minutes' penalty), the next attempt waits
 * that long rather than the back-off's 2, 4, 8 s, which only spent the retries inside the penalty. Capped, so a
 * wrong answer cannot hold a channel for hours.
 */
public final class ChannelRetryAfter implements Processor {
    private final long maxWaitMs;

    /** @param maxWaitMs the longest wait a channel's answer may set (proxywatch.alert.retry.max-channel-wait-ms) */
    public ChannelRetryAfter(long maxWaitMs) {
        this.maxWaitMs = maxWaitMs;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        Duration wait = cause instanceof ChannelException c && c.answer() != null ? c.answer().retryAfter() : null;
        if (wait != null) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, Math.min(wait.toMillis(), maxWaitMs));
        } else {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        }
    }
}
