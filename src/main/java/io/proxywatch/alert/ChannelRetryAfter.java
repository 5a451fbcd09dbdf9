package io.proxywatch.alert;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.time.Duration;

/**
 * Runs after every failed attempt at an alert channel and sets the delay before the next one: the wait the channel
 * named (WeCom's 45009: the minute's quota; DingTalk's 130101: ten minutes' penalty), capped so a wrong answer
 * cannot hold a channel for hours; else the back-off's own, the initial delay doubled per failure up to the
 * maximum. The back-off is counted here rather than left to Camel, whose doubling goes on from the last delay used:
 * after one named minute the next retries waited two, four minutes instead of 4 and 8 s.
 */
public final class ChannelRetryAfter implements Processor {
    /** Exchange property: the failed attempts of this message so far. */
    static final String FAILURES = "ProxywatchChannelFailures";

    private final long initialDelayMs;
    private final long maxDelayMs;
    private final long maxWaitMs;

    /**
     * @param initialDelayMs the back-off's first delay (proxywatch.alert.retry.initial-delay-ms), doubled per failure
     * @param maxDelayMs     the back-off's longest delay (proxywatch.alert.retry.max-delay-ms)
     * @param maxWaitMs      the longest wait a channel's answer may set (proxywatch.alert.retry.max-channel-wait-ms)
     */
    public ChannelRetryAfter(long initialDelayMs, long maxDelayMs, long maxWaitMs) {
        this.initialDelayMs = initialDelayMs;
        this.maxDelayMs = maxDelayMs;
        this.maxWaitMs = maxWaitMs;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        int failures = exchange.getProperty(FAILURES, 0, Integer.class) + 1;
        exchange.setProperty(FAILURES, failures);
        Duration wait = cause instanceof ChannelException c && c.answer() != null ? c.answer().retryAfter() : null;
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY,
                wait != null ? Math.min(wait.toMillis(), maxWaitMs) : backOff(failures));
    }

    /** The back-off's delay after the {@code failures}-th failed attempt: initial, doubled each time, capped. */
    long backOff(int failures) {
        long delay = initialDelayMs;
        for (int i = 1; i < failures && delay < maxDelayMs; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxDelayMs);
    }
}
