package io.proxywatch.demo;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.detect.Detection;
import io.proxywatch.detect.RateDetector;
import io.proxywatch.parse.RecordParser;
import io.proxywatch.record.LogRecord;
import io.proxywatch.rules.Rules;
import io.proxywatch.rules.RulesFile;
import io.proxywatch.stats.StatsLimits;
import io.proxywatch.stats.ThresholdEvaluator;
import io.proxywatch.stats.TrafficStats;
import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole demo cycle played, second by second on a hand-moved clock, through the real detectors, statistics and
 * threshold rules as packaged: what a newcomer is promised (a burst, probes, a scanner, the 5xx alert firing and
 * resolving) is what the packaged rules make of the demo's lines, and ordinary traffic raises nothing.
 */
class DemoScenarioTest {
    /** Every alert event of the first cycle, with the second it was raised in. */
    private static final List<Raised> RAISED = new ArrayList<>();

    private record Raised(int second, AlertEvent event) {
    }

    @BeforeAll
    static void playOneCycle() {
        MutableClock clock = new MutableClock();
        Rules rules = RulesFile.load(null).current();
        Detection detection = new Detection(() -> rules, new RateDetector(clock), clock);
        TrafficStats stats = new TrafficStats(clock, StatsLimits.defaults().withMaxWindow(Duration.ofSeconds(300)));
        ThresholdEvaluator thresholds = new ThresholdEvaluator(clock);
        RecordParser parser = new RecordParser("auto", null);
        DemoScript script = new DemoScript();
        DemoTraffic traffic = new DemoTraffic(2026);
        for (int s = 0; s < DemoScript.CYCLE_SECONDS; s++) {
            List<LogRecord> chunk = new ArrayList<>();
            for (String line : traffic.lines(script.plan(s), clock.instant())) {
                chunk.add(parser.parse(line, "access.log", 0));
            }
            clock.advance(1000); // the second is written once it has passed, as DemoRunner does
            for (AlertEvent e : detection.check(chunk)) {
                RAISED.add(new Raised(s, e));
            }
            stats.record(chunk);
            for (AlertEvent e : thresholds.evaluate(rules.thresholds(), stats)) {
                RAISED.add(new Raised(s, e));
            }
        }
    }

    @Test
    void theBurstAndEveryProbeRaiseAnAlertWithinTheFirst20Seconds() {
        List<String> early = RAISED.stream().filter(r -> r.second() < 20).map(r -> r.event().rule() + "/"
                + r.event().category()).toList();
        assertThat(early).anyMatch(s -> s.startsWith("ip-burst/rate"))
                .anyMatch(s -> s.startsWith("ip-path-burst/rate"))
                .anyMatch(s -> s.endsWith("/sqli"))
                .anyMatch(s -> s.endsWith("/xss"))
                .anyMatch(s -> s.endsWith("/path_traversal"))
                .anyMatch(s -> s.endsWith("/cmd_injection"))
                .anyMatch(s -> s.endsWith("/scanner") || s.endsWith("/sensitive_path"));
    }

    @Test
    void theScannerTripsThe404Rule() {
        assertThat(RAISED).anyMatch(r -> r.event().rule().equals("ip-404-scan")
                && r.event().key().startsWith("198.51.100.") && r.second() < 40);
    }

    @Test
    void the5xxSpellFiresTheErrorRateRuleAndItResolvesBeforeTheCycleEnds() {
        List<Raised> errorRate = RAISED.stream().filter(r -> r.event().rule().equals("error-rate-5xx")).toList();
        assertThat(errorRate).as("error-rate-5xx events").hasSize(2);
        Raised fired = errorRate.get(0);
        Raised resolved = errorRate.get(1);
        assertThat(fired.event().state()).isEqualTo(AlertEvent.FIRING);
        assertThat(fired.event().severity()).isEqualTo("critical");
        assertThat(fired.second()).as("fired at second").isBetween(80, 100);
        assertThat(resolved.event().state()).isEqualTo(AlertEvent.RESOLVED);
        assertThat(resolved.second()).as("resolved at second").isBetween(110, DemoScript.CYCLE_SECONDS - 1);
    }

    @Test
    void ordinaryClientsAndOtherThresholdsRaiseNothing() {
        assertThat(RAISED).noneMatch(r -> r.event().key().startsWith("10."));
        assertThat(RAISED.stream().map(r -> r.event().rule()).filter(rule -> !rule.startsWith("ip-")
                && !rule.equals("error-rate-5xx")).toList())
                .as("only signatures besides the rate and 5xx rules").allMatch(rule -> !rule.contains("latency")
                        && !rule.contains("qps") && !rule.contains("flatline"));
    }
}
