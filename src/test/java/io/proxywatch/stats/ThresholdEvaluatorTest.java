package io.proxywatch.stats;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.record.LogRecord;
import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ThresholdEvaluatorTest {
    private static final List<ThresholdRule> DEFAULTS = defaultRules();

    private final MutableClock clock = new MutableClock();
    private final Instant start = clock.instant();
    private final TrafficStats stats = new TrafficStats(clock);
    private final ThresholdEvaluator evaluator = new ThresholdEvaluator(clock);
    private final List<AlertEvent> events = new ArrayList<>();

    private static List<ThresholdRule> defaultRules() {
        Object root = new Load(LoadSettings.builder().build())
                .loadFromInputStream(ThresholdEvaluatorTest.class.getResourceAsStream("/rules.yaml"));
        List<?> section = (List<?>) ((Map<?, ?>) root).get("thresholds");
        return ThresholdRule.fromYaml(section, "rules.yaml: thresholds");
    }

    private static List<ThresholdRule> rule(String id) {
        return DEFAULTS.stream().filter(r -> r.id().equals(id)).toList();
    }

    /** {@code seconds} seconds of {@code perSecond} traffic, evaluating the rules at the end of each second. */
    private List<AlertEvent> run(int seconds, List<LogRecord> perSecond, List<ThresholdRule> rules) {
        List<AlertEvent> now = runOn(stats, seconds, perSecond, rules);
        events.addAll(now);
        return now;
    }

    /** As {@link #run}, into statistics of the test's own. */
    private List<AlertEvent> runOn(TrafficStats into, int seconds, List<LogRecord> perSecond, List<ThresholdRule> rules) {
        List<AlertEvent> out = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            if (!perSecond.isEmpty()) {
                into.record(perSecond);
            }
            clock.advance(1_000);
            out.addAll(evaluator.evaluate(rules, into));
        }
        return out;
    }

    private Instant at(int seconds) {
        return start.plusSeconds(seconds);
    }

    @Test
    void theDefaultRulesParse() {
        assertThat(DEFAULTS).containsExactly(
                new ThresholdRule("error-rate-5xx", "error_rate_5xx", ThresholdRule.Op.GT, 0.05,
                        Duration.ofMinutes(1), Duration.ofMinutes(1), "critical", null, 20),
                new ThresholdRule("latency-p99", "p99_latency_ms", ThresholdRule.Op.GT, 500,
                        Duration.ofMinutes(5), Duration.ofMinutes(1), "warning", null, 20),
                new ThresholdRule("qps-high", "qps", ThresholdRule.Op.GT, 2000,
                        Duration.ofSeconds(30), Duration.ofSeconds(10), "warning", null, 0),
                new ThresholdRule("flatline", "qps", ThresholdRule.Op.LT, 1,
                        Duration.ofMinutes(5), Duration.ofMinutes(1), "critical", null, 0));
    }

    @Test
    void errorRate5xxPendsFiresAfterAMinuteAndResolves() {
        List<ThresholdRule> rules = rule("error-rate-5xx");
        List<LogRecord> bad = Traffic.mix(100, 10, 503, 5, "api");
        assertThat(run(1, bad, rules)).isEmpty();
        assertThat(evaluator.states()).containsExactly(Map.entry("error-rate-5xx", "pending"));
        assertThat(run(59, bad, rules)).isEmpty();

        List<AlertEvent> fired = run(1, bad, rules);
        assertThat(fired).containsExactly(new AlertEvent("error-rate-5xx", "threshold", "critical", "firing", "all",
                0, at(1), at(61), "error_rate_5xx 0.1 > 0.05 for 1m (all services)", List.of()));
        assertThat(evaluator.states()).containsExactly(Map.entry("error-rate-5xx", "firing"));

        // healthy traffic: the rate over the minute falls to 0.05 after half of it is healthy
        List<LogRecord> healthy = Traffic.mix(100, 0, 503, 5, "api");
        assertThat(run(29, healthy, rules)).isEmpty();
        List<AlertEvent> resolved = run(1, healthy, rules);
        assertThat(resolved).hasSize(1);
        AlertEvent r = resolved.get(0);
        assertThat(r.state()).isEqualTo(AlertEvent.RESOLVED);
        assertThat(r.firstSeen()).isEqualTo(at(1));
        assertThat(r.lastSeen()).isEqualTo(at(91));
        assertThat(r.summary()).isEqualTo("error_rate_5xx 0.05, no longer > 0.05 (all services)");
        assertThat(evaluator.states()).containsExactly(Map.entry("error-rate-5xx", "inactive"));
        assertThat(run(120, healthy, rules)).isEmpty();
    }

    @Test
    void aWallClockSteppedBackWhilePendingDoesNotPutOffFiring() {
        List<ThresholdRule> rules = rule("error-rate-5xx");
        List<LogRecord> bad = Traffic.mix(100, 10, 503, 5, "api");
        assertThat(run(10, bad, rules)).isEmpty();
        clock.advance(-120_000); // NTP steps back a clock that ran two minutes fast
        // the second in which the clock stepped back counts for nothing, every other one for a second
        assertThat(run(51, bad, rules)).isEmpty();
        assertThat(run(1, bad, rules)).as("a minute of evaluations after it began to hold")
                .extracting(AlertEvent::state).containsExactly("firing");
    }

    @Test
    void timeNobodyWatchedDoesNotCountTowardsAPendingRule() {
        List<ThresholdRule> rules = rule("flatline");
        assertThat(run(60, List.of(), rules)).isEmpty();
        assertThat(evaluator.states()).containsExactly(Map.entry("flatline", "pending"));
        clock.advance(8 * 3600_000); // the laptop proxywatch and the proxy run on sleeps for the night
        assertThat(run(1, List.of(), rules)).as("the first evaluation after waking").isEmpty();
        // the 59 s held before the sleep still count; the night and the second it ended in do not
        assertThat(run(240, List.of(), rules)).isEmpty();
        assertThat(run(1, List.of(), rules)).extracting(AlertEvent::state).containsExactly("firing");
    }

    @Test
    void aLateEvaluationStillCounts() {
        List<ThresholdRule> rules = rule("flatline");
        assertThat(run(1, List.of(), rules)).isEmpty();
        clock.advance(ThresholdEvaluator.UNWATCHED.toMillis() - 1_000); // a long pause, then the evaluation
        assertThat(run(285, List.of(), rules)).as("held 15 s, then 284 s").isEmpty();
        assertThat(run(1, List.of(), rules)).extracting(AlertEvent::state).containsExactly("firing");
    }

    private static final ThresholdRule FLATLINE_X = new ThresholdRule("flatline-x", "qps", ThresholdRule.Op.LT, 1,
            Duration.ofMinutes(5), Duration.ofMinutes(1), "critical", "x", 0);

    /** A second of 10 requests from each of {@code services}. */
    private static List<LogRecord> tenEach(String... services) {
        List<LogRecord> out = new ArrayList<>();
        for (String service : services) {
            out.addAll(Traffic.mix(10, 0, 200, 5, service));
        }
        return out;
    }

    @Test
    void aFlatlineOnAServiceFoldedIntoOtherHoldsStillInsteadOfReadingNoTraffic() {
        TrafficStats twoServices = new TrafficStats(clock, new StatsLimits(Duration.ofMinutes(5), 2, 100, 10, 64));
        List<LogRecord> busy = tenEach("a", "b", "x");
        // a and b take both series before any rule names x, whose requests go to "other"
        assertThat(runOn(twoServices, 5, busy, List.of())).isEmpty();
        assertThat(twoServices.services()).containsExactly("a", "b", TrafficStats.OTHER);

        assertThat(runOn(twoServices, 400, busy, List.of(FLATLINE_X))).as("x serves 10 requests a second").isEmpty();
        assertThat(evaluator.states()).containsEntry("flatline-x", "inactive");
    }

    @Test
    void aServiceARuleNamesKeepsItsSeriesWhenBusierServicesComeFirst() {
        TrafficStats twoServices = new TrafficStats(clock, new StatsLimits(Duration.ofMinutes(5), 2, 100, 10, 64));
        List<LogRecord> others = tenEach("a", "b", "c");
        assertThat(evaluator.evaluate(List.of(FLATLINE_X), twoServices)).isEmpty(); // the rules are read first
        // x is silent (its proxy died) while a, b and c are busy: x's series reads its silence
        List<AlertEvent> fired = runOn(twoServices, 301, others, List.of(FLATLINE_X));
        assertThat(fired).extracting(AlertEvent::state).containsExactly("firing");
        assertThat(twoServices.services()).containsExactly("x", "a", TrafficStats.OTHER);

        // x comes back: it is counted as itself, and the flatline resolves
        assertThat(runOn(twoServices, 60, tenEach("a", "b", "c", "x"), List.of(FLATLINE_X))).extracting(AlertEvent::state)
                .containsExactly("resolved");
    }

    @Test
    void aRuleWhoseSeverityIsEditedWhileFiringResolvesWithTheSeverityItFiredWith() {
        List<ThresholdRule> rules = rule("qps-high");
        List<LogRecord> busy = Traffic.mix(2500, 0, 200, 1, "api");
        assertThat(run(31, busy, rules)).extracting(AlertEvent::severity).containsExactly("warning");
        ThresholdRule r = rules.get(0);
        List<ThresholdRule> edited = List.of(new ThresholdRule(r.id(), r.metric(), r.op(), r.value(), r.forDuration(),
                r.window(), "critical", r.service(), r.minRequests()));
        // the resolved event is routed as the firing one was (warning: mail), not where critical ones go
        assertThat(run(20, Traffic.mix(100, 0, 200, 1, "api"), edited)).singleElement()
                .satisfies(e -> {
                    assertThat(e.state()).isEqualTo("resolved");
                    assertThat(e.severity()).isEqualTo("warning");
                });
    }

    @Test
    void aDeadServiceARuleNamesGetsTheFirstSeriesThatFallsSilent() {
        TrafficStats twoServices = new TrafficStats(clock, new StatsLimits(Duration.ofMinutes(5), 2, 100, 10, 64));
        assertThat(runOn(twoServices, 5, tenEach("a", "b", "c"), List.of())).isEmpty(); // c goes to "other"
        // then a rule names x, whose proxy is dead, and b falls silent: once b's series is free x takes it, before
        // c, which asks on every request (x never does), and x's silence fires the flatline
        List<AlertEvent> fired = runOn(twoServices, 700, tenEach("a", "c"), List.of(FLATLINE_X));
        assertThat(fired).extracting(AlertEvent::state).containsExactly("firing");
        assertThat(twoServices.services()).containsExactly("a", "x", TrafficStats.OTHER);
    }

    @Test
    void aBusyServiceARuleNamesTakesOneSeriesWhenSomeFallSilentTogether() {
        TrafficStats twoServices = new TrafficStats(clock, new StatsLimits(Duration.ofMinutes(5), 2, 100, 10, 64));
        assertThat(runOn(twoServices, 5, tenEach("a", "b", "x"), List.of())).isEmpty(); // x goes to "other"
        // a and b stop at once, x serves on: when their series fall silent together, x takes one of them, once
        assertThat(runOn(twoServices, 400, tenEach("x"), List.of(FLATLINE_X))).isEmpty();
        assertThat(twoServices.services()).containsExactly("x", "b", TrafficStats.OTHER); // b's stays, listed as b
        assertThat(twoServices.snapshot(Duration.ofSeconds(60), "x").requests()).isEqualTo(600);
    }

    @Test
    void latencyP99FiresAfterFiveMinutesAndResolves() {
        List<ThresholdRule> rules = rule("latency-p99");
        List<LogRecord> slow = Traffic.mix(50, 0, 200, 800, "api");
        assertThat(run(300, slow, rules)).isEmpty();
        List<AlertEvent> fired = run(1, slow, rules);
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).severity()).isEqualTo("warning");
        assertThat(fired.get(0).firstSeen()).isEqualTo(at(1));
        assertThat(fired.get(0).summary()).matches("p99_latency_ms 80\\d(\\.\\d+)? > 500 for 5m \\(all services\\)");

        List<AlertEvent> later = run(61, Traffic.mix(50, 0, 200, 100, "api"), rules);
        assertThat(later).extracting(AlertEvent::state).containsExactly("resolved");
        assertThat(later.get(0).summary()).matches("p99_latency_ms 100(\\.\\d+)?, no longer > 500 \\(all services\\)");
    }

    @Test
    void qpsHighFiresAfterThirtySecondsAndResolves() {
        List<ThresholdRule> rules = rule("qps-high");
        List<LogRecord> busy = Traffic.mix(2500, 0, 200, 1, "api");
        assertThat(run(30, busy, rules)).isEmpty();
        assertThat(run(1, busy, rules)).singleElement().satisfies(e -> {
            assertThat(e.summary()).isEqualTo("qps 2500 > 2000 for 30s (all services)");
            assertThat(e.severity()).isEqualTo("warning");
            assertThat(e.firstSeen()).isEqualTo(at(1));
        });
        List<LogRecord> calm = Traffic.mix(100, 0, 200, 1, "api");
        assertThat(run(2, calm, rules)).as("(8 x 2500 + 2 x 100) / 10 = 2020").isEmpty();
        assertThat(run(1, calm, rules)).singleElement()
                .satisfies(e -> assertThat(e.summary()).isEqualTo("qps 1780, no longer > 2000 (all services)"));
    }

    @Test
    void flatlineFiresWhenNoLineEverComesAndResolvesWhenTrafficDoes() {
        List<ThresholdRule> rules = rule("flatline");
        assertThat(evaluator.evaluate(rules, stats)).isEmpty();
        assertThat(evaluator.states()).containsExactly(Map.entry("flatline", "pending"));
        assertThat(run(299, List.of(), rules)).isEmpty();
        assertThat(run(1, List.of(), rules)).containsExactly(new AlertEvent("flatline", "threshold", "critical",
                "firing", "all", 0, at(0), at(300), "qps 0 < 1 for 5m (all services)", List.of()));

        // ten a second: the minute's qps reaches 1 after six seconds
        List<LogRecord> trickle = Traffic.mix(10, 0, 200, 1, "api");
        assertThat(run(5, trickle, rules)).isEmpty();
        assertThat(run(1, trickle, rules)).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo("resolved");
            assertThat(e.summary()).isEqualTo("qps 1, no longer < 1 (all services)");
        });
    }

    @Test
    void flatlineRightAfterStartUpReadsOnlyTheSecondsSinceStart() {
        List<ThresholdRule> rules = rule("flatline");
        evaluator.evaluate(rules, stats);
        // one second of ten requests is qps 10, not 10 / 60 diluted by a minute nobody watched
        run(1, Traffic.mix(10, 0, 200, 1, "api"), rules);
        assertThat(evaluator.states()).containsExactly(Map.entry("flatline", "inactive"));
        run(600, Traffic.mix(2, 0, 200, 1, "api"), rules);
        assertThat(events).isEmpty();
    }

    @Test
    void aPendingRuleWhoseConditionStopsGoesBackSilently() {
        List<ThresholdRule> rules = rule("qps-high");
        run(10, Traffic.mix(2500, 0, 200, 1, "api"), rules);
        assertThat(evaluator.states()).containsEntry("qps-high", "pending");
        run(20, Traffic.mix(100, 0, 200, 1, "api"), rules);
        assertThat(evaluator.states()).containsEntry("qps-high", "inactive");
        assertThat(events).isEmpty();
    }

    @Test
    void belowMinRequestsARateRuleHoldsItsState() {
        List<ThresholdRule> rules = rule("error-rate-5xx");
        // ten failures are a 100% rate, but too few to mean anything
        run(1, Traffic.mix(10, 10, 500, 1, "api"), rules);
        run(120, List.of(), rules);
        assertThat(evaluator.states()).containsEntry("error-rate-5xx", "inactive");

        run(61, Traffic.mix(100, 10, 503, 5, "api"), rules);
        assertThat(events).extracting(AlertEvent::state).containsExactly("firing");
        // the traffic stops: with no requests the rate is 0, but a quiet night does not resolve the alert
        assertThat(run(600, List.of(), rules)).isEmpty();
        assertThat(evaluator.states()).containsEntry("error-rate-5xx", "firing");
        assertThat(run(1, Traffic.mix(100, 0, 503, 5, "api"), rules)).extracting(AlertEvent::state)
                .containsExactly("resolved");
    }

    @Test
    void aLatencyRuleHoldsWhenNoRequestCarriedALatency() {
        List<ThresholdRule> rules = rule("latency-p99");
        run(301, Traffic.mix(50, 0, 200, 900, "api"), rules);
        assertThat(evaluator.states()).containsEntry("latency-p99", "firing");
        List<LogRecord> noLatency = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            noLatency.add(Traffic.access(200, null, "10.0.0.1", "/", "api"));
        }
        assertThat(run(120, noLatency, rules)).isEmpty();
        assertThat(evaluator.states()).containsEntry("latency-p99", "firing");
    }

    @Test
    void aRuleRemovedWhileFiringIsResolvedAndDropped() {
        List<ThresholdRule> rules = rule("flatline");
        run(301, List.of(), rules);
        assertThat(events).extracting(AlertEvent::state).containsExactly("firing");
        List<AlertEvent> removed = evaluator.evaluate(List.of(), stats);
        assertThat(removed).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo("flatline");
            assertThat(e.state()).isEqualTo("resolved");
            assertThat(e.summary()).isEqualTo("rule removed from the rules file while firing (qps < 1, all services)");
        });
        assertThat(evaluator.states()).isEmpty();
    }

    @Test
    void aChangedRuleKeepsItsStateAcrossAReload() {
        List<ThresholdRule> all = DEFAULTS;
        run(301, List.of(), all);
        assertThat(evaluator.states()).containsExactly(Map.entry("error-rate-5xx", "inactive"),
                Map.entry("latency-p99", "inactive"), Map.entry("qps-high", "inactive"),
                Map.entry("flatline", "firing"));
        ThresholdRule flatline = rule("flatline").get(0);
        ThresholdRule edited = new ThresholdRule("flatline", "qps", ThresholdRule.Op.LT, 0.5, Duration.ofMinutes(10),
                Duration.ofMinutes(1), "high", null, 0);
        assertThat(run(10, List.of(), List.of(edited))).isEmpty();
        assertThat(evaluator.states()).containsExactly(Map.entry("flatline", "firing"));
        List<AlertEvent> resolved = run(6, Traffic.mix(10, 0, 200, 1, null), List.of(edited));
        assertThat(resolved).singleElement().satisfies(e -> {
            assertThat(e.severity()).as("as it fired, so it reaches whoever the firing reached").isEqualTo("critical");
            assertThat(e.firstSeen()).isEqualTo(at(0).plusSeconds(1));
        });
        assertThat(flatline.severity()).isEqualTo("critical");
    }

    @Test
    void theTimeAPendingRuleHoldsStillDoesNotCountTowardsItsFor() {
        List<ThresholdRule> rules = ThresholdRule.fromYaml(List.of(Map.of("id", "e5", "when", "error_rate_5xx > 0.05",
                "for", "5m", "window", "10s", "min-requests", 20)), "t");
        List<LogRecord> bad = Traffic.mix(30, 10, 503, 5, "api");
        run(1, bad, rules);
        assertThat(evaluator.states()).containsEntry("e5", "pending");
        run(650, List.of(), rules); // a quiet night: too few requests to tell, the rule holds still
        assertThat(evaluator.states()).containsEntry("e5", "pending");
        // one bad second after it is not five minutes of errors
        assertThat(run(1, bad, rules)).isEmpty();
        assertThat(run(280, bad, rules)).isEmpty();
        // about five minutes seen failing: the 10 s the first second stayed in the window, and these
        assertThat(run(20, bad, rules)).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo("firing");
            assertThat(e.firstSeen()).isEqualTo(at(1));
        });
    }

    @Test
    void aRuleGivenAnotherServiceWhileFiringResolvesWhatItRaisedUnderItsOldKey() {
        List<ThresholdRule> all = ThresholdRule.fromYaml(List.of(Map.of("id", "e5", "when", "error_rate_5xx > 0.05",
                "window", "10s")), "t");
        List<ThresholdRule> api = ThresholdRule.fromYaml(List.of(Map.of("id", "e5", "when", "error_rate_5xx > 0.05",
                "window", "10s", "service", "api")), "t");
        List<LogRecord> bad = Traffic.mix(100, 10, 503, 5, "web");
        assertThat(run(1, bad, all)).extracting(AlertEvent::key, AlertEvent::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("all", "firing"));
        assertThat(run(1, bad, api)).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("all");
            assertThat(e.state()).isEqualTo("resolved");
            assertThat(e.summary()).isEqualTo("rule changed in the rules file while firing (error_rate_5xx > 0.05,"
                    + " all services is now error_rate_5xx > 0.05, service api)");
        });
        assertThat(evaluator.states()).containsExactly(Map.entry("e5", "inactive"));
    }

    @Test
    void aServiceRuleReadsOnlyThatService() {
        List<ThresholdRule> rules = ThresholdRule.fromYaml(List.of(Map.of("id", "api-5xx",
                "when", "error_rate_5xx >= 0.5", "service", "api", "window", "10s")), "t");
        List<LogRecord> chunk = new ArrayList<>(Traffic.mix(10, 10, 500, 1, "api"));
        chunk.addAll(Traffic.mix(90, 0, 500, 1, "web"));
        assertThat(run(1, chunk, rules)).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("api");
            assertThat(e.summary()).isEqualTo("error_rate_5xx 1 >= 0.5 (service api)");
            assertThat(e.severity()).isEqualTo("critical");
        });
    }
}
