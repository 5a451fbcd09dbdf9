package io.proxywatch.stats;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.record.LogRecord;
import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A backlog read at full speed is not live traffic: threshold rules hold still while proxywatch catches up. */
class ThresholdWatchTest {
    private final MutableClock clock = new MutableClock();
    private final TrafficStats stats = new TrafficStats(clock);
    private final List<ThresholdRule> rules = ThresholdRule.fromYaml(List.of(
            Map.of("id", "qps-high", "when", "qps > 2000", "for", "30s", "window", "10s"),
            Map.of("id", "flatline", "when", "qps < 1", "for", "1m")), "t");
    private long unread;
    private final ThresholdWatch watch = new ThresholdWatch(() -> rules, new ThresholdEvaluator(clock), stats,
            () -> unread, Duration.ofSeconds(60));

    /** {@code n} requests logged at {@code written}. */
    private static List<LogRecord> written(int n, Instant written) {
        List<LogRecord> out = new ArrayList<>(Traffic.mix(n, 0, 200, 5, "api"));
        out.forEach(r -> r.setTimestamp(written));
        return out;
    }

    private List<AlertEvent> seconds(int n, int perSecond, long behindMs) {
        List<AlertEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            stats.record(written(perSecond, clock.instant().minusMillis(behindMs)));
            clock.advance(1000);
            events.addAll(watch.check());
        }
        return events;
    }

    @Test
    void anHourOfBacklogReadAtThirtyThousandLinesASecondFiresNothing() {
        unread = 300L << 20;
        assertThat(seconds(120, 30_000, 3_600_000)).isEmpty();
        assertThat(watch.catchingUp()).isTrue();
        assertThat(watch.states()).containsEntry("qps-high", "inactive").containsEntry("flatline", "inactive");

        // caught up: the live traffic is what counts again
        unread = 0;
        assertThat(seconds(40, 3000, 100)).extracting(AlertEvent::rule, AlertEvent::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("qps-high", "firing"));
        assertThat(watch.catchingUp()).isFalse();
    }

    @Test
    void freshLinesWithAMomentsBacklogAreLiveTraffic() {
        unread = 8L << 20; // a burst the reader is a moment behind
        assertThat(seconds(40, 3000, 200)).extracting(AlertEvent::rule).containsExactly("qps-high");
        assertThat(watch.catchingUp()).isFalse();
    }

    @Test
    void oldTimestampsWithNothingUnreadAreLiveTraffic() {
        unread = 0; // a proxy whose clock is an hour off, read as it writes
        assertThat(seconds(40, 3000, 3_600_000)).extracting(AlertEvent::rule).containsExactly("qps-high");
    }
}
