package io.proxywatch.stats;

import io.proxywatch.rules.RulesError;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThresholdRuleTest {
    private static List<ThresholdRule> parse(String yaml) {
        List<?> section = (List<?>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
        return ThresholdRule.fromYaml(section, "rules.yaml: thresholds");
    }

    private static void fails(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(RulesError.class).hasMessage(message);
    }

    @Test
    void defaultsForTheOptionalKeys() {
        ThresholdRule r = parse("- id: slow\n  when: p95_latency_ms>=250\n").get(0);
        assertThat(r).isEqualTo(new ThresholdRule("slow", "p95_latency_ms", ThresholdRule.Op.GE, 250,
                Duration.ZERO, Duration.ofMinutes(1), "warning", null, 0));
        assertThat(r.scope()).isEqualTo("all");
        assertThat(r.condition()).isEqualTo("p95_latency_ms >= 250");
    }

    @Test
    void defaultSeverityIsCriticalFor5xxAndFlatlinesAndWarningOtherwise() {
        List<ThresholdRule> rules = parse("""
                - {id: a, when: error_rate_5xx > 0.1}
                - {id: b, when: qps < 1}
                - {id: c, when: requests <= 10}
                - {id: d, when: qps > 100}
                - {id: e, when: error_rate_4xx > 0.5}
                - {id: f, when: p50_latency_ms > 10, severity: High}
                """);
        assertThat(rules).extracting(ThresholdRule::severity)
                .containsExactly("critical", "critical", "critical", "warning", "warning", "high");
    }

    @Test
    void aServiceNameAndMinRequests() {
        ThresholdRule r = parse("- {id: a, when: 'qps < 0.5', service: api, min-requests: 5, for: 90s, window: 2m}")
                .get(0);
        assertThat(r.service()).isEqualTo("api");
        assertThat(r.scope()).isEqualTo("api");
        assertThat(r.minRequests()).isEqualTo(5);
        assertThat(r.forDuration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(r.window()).isEqualTo(Duration.ofMinutes(2));
        assertThat(r.crossed(0.4)).isTrue();
        assertThat(r.crossed(0.5)).isFalse();
        assertThat(parse("- {id: a, when: qps < 1, service: all}").get(0).service()).isNull();
    }

    @Test
    void errorsNameThePlace() {
        fails("""
                - {id: a, when: qps > 1}
                - {id: b, when: p98_latency > 500}
                """, "rules.yaml: thresholds[1].when: unknown metric 'p98_latency'; known: qps, requests, "
                + "p50_latency_ms, p95_latency_ms, p99_latency_ms, error_rate_4xx, error_rate_5xx");
        fails("- {id: a, when: qps >> 1}", "rules.yaml: thresholds[0].when: expected '<metric> <op> <number>' like"
                + " 'error_rate_5xx > 0.05' (op one of >, >=, <, <=), found 'qps >> 1'");
        fails("- {id: a, when: qps = 1}", "rules.yaml: thresholds[0].when: expected '<metric> <op> <number>' like"
                + " 'error_rate_5xx > 0.05' (op one of >, >=, <, <=), found 'qps = 1'");
        fails("- {id: a, when: qps > lots}", "rules.yaml: thresholds[0].when: expected a number after '>', found 'lots'");
        fails("- {id: a}", "rules.yaml: thresholds[0].when: missing");
        fails("- {when: qps > 1}", "rules.yaml: thresholds[0].id: missing");
        fails("- {id: a, when: qps > 1}\n- {id: b, when: qps > 1}\n- {id: a, when: qps < 1}",
                "rules.yaml: thresholds[2].id: 'a' is used twice (also rules.yaml: thresholds[0])");
        fails("- {id: a, when: qps > 1, window: 500ms}", "rules.yaml: thresholds[0].window: must be whole seconds"
                + " from 1s to 1h (the statistics keep 1 s buckets), found 500ms");
        fails("- {id: a, when: qps > 1, window: 2h}", "rules.yaml: thresholds[0].window: must be whole seconds"
                + " from 1s to 1h (the statistics keep 1 s buckets), found 2h");
        fails("- {id: a, when: qps > 1, for: soon}",
                "rules.yaml: thresholds[0].for: expected a duration like 500ms, 10s, 5m or 1h, found 'soon'");
        fails("- {id: a, when: qps > 1, fro: 1m}",
                "rules.yaml: thresholds[0].fro: unknown key; known keys here: for, id, min-requests, service,"
                        + " severity, when, window");
        fails("- {id: a, when: qps > 1, severity: loud}",
                "rules.yaml: thresholds[0].severity: severity must be critical, high, warning or info, found 'loud'");
        fails("- {id: a, when: qps > 1, min-requests: -3}",
                "rules.yaml: thresholds[0].min-requests: must be 0 or more, found -3");
        fails("- {id: a, when: qps > 1, min-requests: 2.5}",
                "rules.yaml: thresholds[0].min-requests: expected a whole number, found '2.5'");
        fails("- qps > 1", "rules.yaml: thresholds[0]: expected a mapping (key: value lines), found 'qps > 1'");
        // rules that could never fire, or always would
        fails("- {id: a, when: error_rate_5xx > 5}", "rules.yaml: thresholds[0].when: error_rate_5xx is a fraction"
                + " of the requests, 0 to 1 (0.05 is 5%), found 5");
        fails("- {id: a, when: qps > -1}", "rules.yaml: thresholds[0].when: qps is never below 0, found -1");
        fails("- {id: a, when: qps > 2000d}", "rules.yaml: thresholds[0].when: expected a number after '>', found"
                + " '2000d'");
        fails("- {id: a, when: qps > 1, 404: x}", "rules.yaml: thresholds[0].404: a key must be text; quote it"
                + " ('404') if it is meant");
        fails("- {id: a, when: qps > 1, for: 99999999999999999999h}", "rules.yaml: thresholds[0].for: out of range"
                + " (at most 9 digits), found '99999999999999999999h'");
    }

    @Test
    void numbersAndDurationsInSummaries() {
        assertThat(Numbers.format(0.0833333)).isEqualTo("0.083");
        assertThat(Numbers.format(2000.0)).isEqualTo("2000");
        assertThat(Numbers.format(0.0)).isEqualTo("0");
        assertThat(Numbers.format(0.0001)).as("a small threshold is not 0").isEqualTo("0.0001");
        assertThat(Numbers.format(0.0012345)).isEqualTo("0.0012");
        assertThat(Numbers.format(1.5e-7)).isEqualTo("0.00000015");
        assertThat(Numbers.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Numbers.format(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(Numbers.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    }
}
