package io.proxywatch.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Something an operator should hear about, as raised by a detector or a threshold rule. Alerting groups events
 * by (rule, key); the detectors already fold the findings of one chunk into one event per (rule, key).
 *
 * @param rule      rule id from the rules file
 * @param category  sqli, xss, cmd_injection, path_traversal, sensitive_path, scanner, rate or threshold
 * @param severity  critical, high, warning or info
 * @param state     {@code firing} or {@code resolved}
 * @param key       what the rule counted by: the client IP for detectors, the service (or "all") for thresholds;
 *                  cut to {@link #MAX_KEY_CHARS}
 * @param count     findings folded into this event (detectors) or 0 (thresholds)
 * @param firstSeen first finding (detectors) or when the condition started to hold (thresholds)
 * @param lastSeen  last finding, or when the event was raised
 * @param summary   one line for a human: what crossed what; cut to {@link #MAX_SUMMARY_CHARS}
 * @param evidence  up to five raw log lines (attacker-controlled text: escape it wherever it is shown), each cut to
 *                  {@link #MAX_EVIDENCE_CHARS}
 */
public record AlertEvent(String rule, String category, String severity, String state, String key, long count,
                         Instant firstSeen, Instant lastSeen, String summary, List<String> evidence) {
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
    public static final int MAX_EVIDENCE = 5;
    /**
     * Characters of a log line kept as evidence. Incidents hold their evidence until they close, and a line may be
     * a megabyte (input.max-line-bytes): whole lines, 10,000 incidents (alert.max-incidents) of five such lines each
     * could take gigabytes. The whole line is in the level files.
     */
    public static final int MAX_EVIDENCE_CHARS = 1024;
    /**
     * The key and the summary come from the log line too (a detector's summary names the request's path, an
     * {@code ip_path} burst's key holds it) and are kept as long as the incident, like the evidence.
     */
    public static final int MAX_KEY_CHARS = 256;
    public static final int MAX_SUMMARY_CHARS = 512;

    public AlertEvent {
        key = clip(key, MAX_KEY_CHARS);
        summary = clip(summary, MAX_SUMMARY_CHARS);
        List<String> kept = new ArrayList<>(evidence.size());
        for (String line : evidence) {
            kept.add(clip(line, MAX_EVIDENCE_CHARS));
        }
        evidence = List.copyOf(kept);
    }

    public boolean isResolved() {
        return RESOLVED.equals(state);
    }

    /**
     * {@code line} if it is at most {@code max} characters long; else its start and how much was cut, never
     * splitting a surrogate pair.
     */
    public static String clip(String line, int max) {
        if (line == null || line.length() <= max || isClipped(line, max)) {
            return line;
        }
        int end = max;
        if (Character.isHighSurrogate(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(0, end) + "…(" + (line.length() - end) + " more characters)";
    }

    /** Whether {@code line} is already what {@link #clip} made of a longer text, so that clipping twice changes nothing. */
    private static boolean isClipped(String line, int max) {
        int note = line.indexOf("…(", max - 1);
        return (note == max || note == max - 1) && line.length() <= note + 32 && line.endsWith(" more characters)");
    }
}
