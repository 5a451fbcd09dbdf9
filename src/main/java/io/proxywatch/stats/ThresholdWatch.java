package io.proxywatch.stats;

import io.proxywatch.alert.AlertEvent;

import java.util.List;
import java.util.function.Supplier;

/** The threshold rules in force evaluated over the live statistics; polled once a second by detect.yaml. */
public final class ThresholdWatch {
    private final Supplier<List<ThresholdRule>> rules;
    private final ThresholdEvaluator evaluator;
    private final TrafficStats stats;

    public ThresholdWatch(Supplier<List<ThresholdRule>> rules, ThresholdEvaluator evaluator, TrafficStats stats) {
        this.rules = rules;
        this.evaluator = evaluator;
        this.stats = stats;
    }

    public List<AlertEvent> check() {
        return evaluator.evaluate(rules.get(), stats);
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
