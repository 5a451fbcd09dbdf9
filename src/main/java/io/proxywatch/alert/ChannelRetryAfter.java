package io.proxywatch.alert;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;

import java.time.Duration;
import java.util.List;

/**
 * Runs after every failed attempt at an alert channel and sets the delay before the next one: the wait the channel
 * named (WeCom's 45009: the minute's quota; DingTalk's 130101: ten minutes' penalty), capped so a wrong answer
 * cannot hold a channel for hours; else the back-off's own, the initial delay doubled per failure up to the
 * maximum. The back-off is counted here rather than left to Camel, whose doubling goes on from the last delay used:
 * after one named minute the next retries waited two, four minutes instead of 4 and 8 s.
 *
 * <p>A message that fails once is also watched to its end: if it ends failed without reaching the dead-letter
 * route (proxywatch stopped or reloaded while it waited out its delay, and the stop's timeout interrupted the
 * wait), its notifications are written to the dead letters here rather than lost.
 */
public final class ChannelRetryAfter implements Processor {
    /** Exchange property: the failed attempts of this message so far. */
    static final String FAILURES = "ProxywatchChannelFailures";

    private final long initialDelayMs;
    private final long maxDelayMs;
    private final long maxWaitMs;
    private final AlertDeadLetters deadLetters;

    /**
     * @param initialDelayMs the back-off's first delay (proxywatch.alert.retry.initial-delay-ms), doubled per failure
     * @param maxDelayMs     the back-off's longest delay (proxywatch.alert.retry.max-delay-ms)
     * @param maxWaitMs      the longest wait a channel's answer may set (proxywatch.alert.retry.max-channel-wait-ms)
     */
    public ChannelRetryAfter(long initialDelayMs, long maxDelayMs, long maxWaitMs, AlertDeadLetters deadLetters) {
        this.initialDelayMs = initialDelayMs;
        this.maxDelayMs = maxDelayMs;
        this.maxWaitMs = maxWaitMs;
        this.deadLetters = deadLetters;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        int failures = exchange.getProperty(FAILURES, 0, Integer.class) + 1;
        exchange.setProperty(FAILURES, failures);
        if (failures == 1 && deadLetters != null) {
            exchange.getExchangeExtension().addOnCompletion(new LostOnStop());
        }
        Duration wait = cause instanceof ChannelException c && c.answer() != null ? c.answer().retryAfter() : null;
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY,
                wait != null ? Math.min(wait.toMillis(), maxWaitMs) : backOff(failures));
    }

    /** Writes a failed message that never reached the dead-letter route to the dead letters. */
    private final class LostOnStop extends SynchronizationAdapter {
        @Override
        public void onFailure(Exchange exchange) {
            @SuppressWarnings("unchecked")
            List<Notification> notifications = exchange.getProperty("ProxywatchNotifications", List.class);
            Throwable cause = exchange.getException();
            // the stop interrupted this thread: a file channel written to with the flag set closes itself
            boolean interrupted = Thread.interrupted();
            try {
                deadLetters.write(exchange.getProperty("ProxywatchAlertChannel", String.class), notifications,
                        new IllegalStateException("proxywatch stopped while the message waited to be retried ("
                                + (cause == null ? "no error" : cause.getClass().getSimpleName()) + ")"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot write the alert dead letters", e);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
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
