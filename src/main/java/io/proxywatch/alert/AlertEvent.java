package io.proxywatch.alert;

import java.time.Instant;
import java.util.List;

/**
 * Something an operator should hear about, as raised by a detector or a threshold rule. Alerting groups events
 * by (rule, key); the detectors already fold the findings of one chunk into one event per (rule, key).
 *
 * @param rule      rule id from the rules file
 * @param category  sqli, xss, cmd_injection, path_traversal, sensitive_path, scanner, rate or threshold
 * @param severity  critical, high, warning or info
 * @param state     {@code firing} or {@code resolved}
 * @param key       what the rule counted by: the client IP for detectors, the service (or "all") for thresholds
 * @param count     findings folded into this event (detectors) or 0 (thresholds)
 * @param firstSeen first finding (detectors) or when the condition started to hold (thresholds)
 * @param lastSeen  last finding, or when the event was raised
 * @param summary   one line for a human: what crossed what
 * @param evidence  up to five raw log lines (attacker-controlled text: escape it wherever it is shown)
 */
public record AlertEvent(String rule, String category, String severity, String state, String key, long count,
                         Instant firstSeen, Instant lastSeen, String summary, List<String> evidence) {
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
    public static final int MAX_EVIDENCE = 5;

    public AlertEvent {
        evidence = List.copyOf(evidence);
    }

    public boolean isResolved() {
        return RESOLVED.equals(state);
    }
}
