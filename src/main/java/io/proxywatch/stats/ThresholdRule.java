package io.proxywatch.stats;

import io.proxywatch.rules.RulesError;
import io.proxywatch.rules.RulesYaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "{@code metric op value}" over a window of the traffic statistics, held for {@code forDuration} before it fires:
 * one entry of the rules file's {@code thresholds:} section.
 *
 * @param window      how far back the metric looks; whole seconds, since the statistics keep 1 s buckets
 * @param service     the one service looked at, or null for all of them ({@code all} in the file)
 * @param minRequests below this many requests in the window a rate or latency rule holds still: five requests
 *                    are not a 5xx rate. Volume rules (qps, requests) ignore it: little traffic is their point.
 */
public record ThresholdRule(String id, String metric, Op op, double value, Duration forDuration, Duration window,
                            String severity, String service, long minRequests) {
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    /** A sanity bound; the statistics' own limit ({@link StatsLimits#maxWindow()}) should cover the rules. */
    public static final Duration MAX_WINDOW = Duration.ofHours(1);
    private static final Set<String> KEYS = Set.of("id", "when", "for", "window", "severity", "service",
            "min-requests");
    private static final Pattern WHEN = Pattern.compile("\\s*([A-Za-z0-9_]+)\\s*(>=|<=|>|<)\\s*(\\S+)\\s*");
    // a decimal number as the rules file documents it: not Java's "2000d" or "0x1p3", which parseDouble takes too
    private static final Pattern NUMBER = Pattern.compile("[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?");

    public enum Op {
        GT(">"), GE(">="), LT("<"), LE("<=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean test(double actual, double threshold) {
            return switch (this) {
                case GT -> actual > threshold;
                case GE -> actual >= threshold;
                case LT -> actual < threshold;
                case LE -> actual <= threshold;
            };
        }

        static Op of(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            throw new IllegalArgumentException(symbol);
        }
    }

    /** True when the metric's current value crosses the threshold. */
    public boolean crossed(double actual) {
        return op.test(actual, value);
    }

    /** What the rule is about, as alert events key it: the service, or "all". */
    public String scope() {
        return service == null ? "all" : service;
    }

    /** {@code error_rate_5xx > 0.05}. */
    public String condition() {
        return metric + " " + op.symbol + " " + Numbers.format(value);
    }

    /** Critical for 5xx rates and for flatlines (too little traffic: the proxy or its log is dead), else warning. */
    static String defaultSeverity(String metric, Op op) {
        boolean flatline = StatsSnapshot.isVolume(metric) && (op == Op.LT || op == Op.LE);
        return metric.equals("error_rate_5xx") || flatline ? "critical" : "warning";
    }

    /** The {@code thresholds:} section; {@code where} names it in errors ({@code rules.yaml: thresholds}). */
    public static List<ThresholdRule> fromYaml(List<?> section, String where) {
        List<ThresholdRule> rules = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < section.size(); i++) {
            String at = where + "[" + i + "]";
            Map<String, Object> m = RulesYaml.map(section.get(i), at);
            RulesYaml.onlyKeys(m, KEYS, at);
            String id = RulesYaml.string(m, "id", at).trim();
            if (id.isEmpty()) {
                throw new RulesError(at + ".id", "empty");
            }
            Integer earlier = ids.putIfAbsent(id, i);
            if (earlier != null) {
                throw new RulesError(at + ".id", "'" + id + "' is used twice (also " + where + "[" + earlier + "])");
            }
            String when = RulesYaml.string(m, "when", at);
            Matcher w = WHEN.matcher(when);
            if (!w.matches()) {
                throw new RulesError(at + ".when", "expected '<metric> <op> <number>' like 'error_rate_5xx > 0.05'"
                        + " (op one of >, >=, <, <=), found '" + when + "'");
            }
            String metric = w.group(1);
            if (!StatsSnapshot.METRICS.contains(metric)) {
                throw new RulesError(at + ".when", "unknown metric '" + metric + "'; known: "
                        + String.join(", ", StatsSnapshot.METRICS));
            }
            Op op = Op.of(w.group(2));
            double value = NUMBER.matcher(w.group(3)).matches() ? Double.parseDouble(w.group(3)) : Double.NaN;
            if (!Double.isFinite(value)) {
                throw new RulesError(at + ".when", "expected a number after '" + op.symbol + "', found '"
                        + w.group(3) + "'");
            }
            // a rule that can never fire (or always does) is a typo the operator would not see until an outage
            if (value < 0) {
                throw new RulesError(at + ".when", metric + " is never below 0, found " + w.group(3));
            }
            if (metric.startsWith("error_rate_") && value > 1) {
                throw new RulesError(at + ".when", metric + " is a fraction of the requests, 0 to 1 (0.05 is 5%),"
                        + " found " + w.group(3));
            }
            Duration forDuration = RulesYaml.duration(m, "for", at, Duration.ZERO);
            Duration window = RulesYaml.duration(m, "window", at, DEFAULT_WINDOW);
            if (window.toMillis() < 1000 || window.toMillis() % 1000 != 0 || window.compareTo(MAX_WINDOW) > 0) {
                throw new RulesError(at + ".window", "must be whole seconds from 1s to 1h (the statistics keep 1 s"
                        + " buckets), found " + Numbers.format(window));
            }
            String severity = RulesYaml.severity(RulesYaml.string(m, "severity", at, defaultSeverity(metric, op)),
                    at + ".severity");
            String service = RulesYaml.string(m, "service", at, "all").trim();
            if (service.isEmpty()) {
                throw new RulesError(at + ".service", "empty; leave it out or write 'all' for every service");
            }
            long minRequests = RulesYaml.number(m, "min-requests", at, 0);
            if (minRequests < 0) {
                throw new RulesError(at + ".min-requests", "must be 0 or more, found " + minRequests);
            }
            rules.add(new ThresholdRule(id, metric, op, value, forDuration, window, severity,
                    service.equals("all") ? null : service, minRequests));
        }
        return List.copyOf(rules);
    }
}
