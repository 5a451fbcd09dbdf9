package io.proxywatch.web;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.alert.AlertGrouper;
import io.proxywatch.alert.Silence;
import io.proxywatch.stats.ThresholdEvaluator;
import io.proxywatch.stats.ThresholdRule;
import io.proxywatch.stats.ThresholdWatch;
import io.proxywatch.stats.TrafficStats;
import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlertFeedTest {
    private final MutableClock clock = new MutableClock();
    private final AlertGrouper grouper = new AlertGrouper(clock, new AlertGrouper.Timings(Duration.ofSeconds(10),
            Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofMinutes(5)), 100, List.of());
    private final ThresholdRule flatline = new ThresholdRule("traffic-flatline", "qps", ThresholdRule.Op.LT, 1,
            Duration.ofMinutes(5), Duration.ofMinutes(1), "critical", null, 0);
    private final ThresholdWatch thresholds = new ThresholdWatch(() -> List.of(flatline), new ThresholdEvaluator(clock),
            new TrafficStats(clock), () -> 0, Duration.ofMinutes(1));
    private final AlertFeed feed = new AlertFeed(grouper, thresholds, clock);

    @Test
    void anIncidentIsPendingThroughItsGroupWaitThenFiringThenResolved() {
        grouper.add(event("ip-burst", "203.0.113.9", AlertEvent.FIRING));
        assertThat(item("ip-burst").state()).isEqualTo("pending");
        clock.advance(10_000);
        grouper.due();
        assertThat(item("ip-burst").state()).isEqualTo("firing");
        grouper.add(event("ip-burst", "203.0.113.9", AlertEvent.FIRING));
        assertThat(item("ip-burst").state()).as("new events after the first message").isEqualTo("firing");
        grouper.add(event("ip-burst", "203.0.113.9", AlertEvent.RESOLVED));
        assertThat(item("ip-burst").state()).isEqualTo("resolved");
    }

    @Test
    void aThresholdRuleWaitingForItsForTimeIsPending() {
        clock.advance(2_000);
        thresholds.check(); // no traffic: qps 0 < 1 holds, but not yet for 5 min
        AlertFeed.Item item = item("traffic-flatline");
        assertThat(item.state()).isEqualTo("pending");
        assertThat(item.key()).isEqualTo("all");
        assertThat(item.severity()).isEqualTo("critical");
    }

    @Test
    void aSilencedIncidentSaysUntilWhenAndFiringComesFirst() {
        grouper.add(event("sqli-union-select", "198.51.100.7", AlertEvent.FIRING));
        clock.advance(10_000);
        grouper.due();
        grouper.add(event("scanner-ua", "192.0.2.1", AlertEvent.FIRING));
        Instant until = clock.instant().plus(Duration.ofHours(1));
        grouper.silence(new Silence("sqli-*", "198.51.100.7", until));
        assertThat(feed.current().items()).extracting(AlertFeed.Item::rule)
                .containsExactly("sqli-union-select", "scanner-ua");
        assertThat(item("sqli-union-select").silencedUntil()).isEqualTo(until);
        assertThat(item("scanner-ua").silencedUntil()).isNull();
    }

    private AlertFeed.Item item(String rule) {
        return feed.current().items().stream().filter(i -> i.rule().equals(rule)).findFirst().orElseThrow();
    }

    private AlertEvent event(String rule, String key, String state) {
        return new AlertEvent(rule, "rate", "high", state, key, 1, clock.instant(), clock.instant(),
                rule + " from " + key, List.of("GET /x"));
    }
}
