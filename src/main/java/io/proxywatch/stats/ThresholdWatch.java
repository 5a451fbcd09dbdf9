package io.proxywatch.stats;

import io.proxywatch.alert.AlertEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The threshold rules in force evaluated over the live statistics; polled once a second by detect.yaml.
 *
 * <p>The statistics count records as they pass, so a backlog read at full speed (after a restart, or from the
 * start of a file) would look like live traffic: an hour of the log in two minutes is thirty times the qps, and
 * its old errors an error rate now. While proxywatch is catching up, i.e. more than {@link #BACKLOG_BYTES} of the
 * followed files are unread and the records read are more than {@code catchUp} behind the clock, every rule holds
 * still, as it does below its min-requests; either alone is not enough (a burst leaves a moment's backlog of fresh
 * lines, and a proxy's clock may be off by a while).
 */
public final class ThresholdWatch {
    /** Unread bytes of the followed files above which proxywatch may be catching up: about a chunk's worth. */
    public static final long BACKLOG_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ThresholdWatch.class);

    private final Supplier<List<ThresholdRule>> rules;
    private final ThresholdEvaluator evaluator;
    private final TrafficStats stats;
    private final LongSupplier unreadBytes;
    private final long catchUpMs;
    private boolean catchingUp;

    /**
     * @param unreadBytes the followed files' bytes not read yet
     * @param catchUp     records further behind the clock than this, with a backlog, mean catching up; 0: never
     */
    public ThresholdWatch(Supplier<List<ThresholdRule>> rules, ThresholdEvaluator evaluator, TrafficStats stats,
                          LongSupplier unreadBytes, Duration catchUp) {
        this.rules = rules;
        this.evaluator = evaluator;
        this.stats = stats;
        this.unreadBytes = unreadBytes;
        this.catchUpMs = catchUp.toMillis();
    }

    public synchronized List<AlertEvent> check() {
        long behind = stats.recordsBehindMs();
        long unread = unreadBytes.getAsLong();
        boolean now = catchUpMs > 0 && behind > catchUpMs && unread > BACKLOG_BYTES;
        if (now != catchingUp) {
            catchingUp = now;
            if (now) {
                LOG.info("catching up: {} B unread, records {} s behind the clock; threshold rules hold still until"
                        + " the backlog is read", unread, behind / 1000);
            } else {
                LOG.info("caught up: threshold rules are evaluated again");
            }
        }
        return evaluator.evaluate(rules.get(), stats, now);
    }

    /** True while a backlog is read and the threshold rules hold still. */
    public synchronized boolean catchingUp() {
        return catchingUp;
    }

    /** Rule id → inactive, pending or firing: the dashboard shows pending rules before they fire. */
    public java.util.Map<String, String> states() {
        return evaluator.states();
    }

    /** The threshold rules in force. */
    public List<ThresholdRule> rules() {
        return rules.get();
    }
}
