package io.proxywatch.alert;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a channel sends for one alert group, i.e. one incident: a (rule, key) pair, as the grouper decided it is
 * time to tell someone. Channels render one notification as a message, or several as one digest.
 *
 * @param rule      rule id
 * @param category  sqli, xss, cmd_injection, path_traversal, sensitive_path, scanner, rate or threshold
 * @param severity  critical, high, warning or info
 * @param state     {@code firing} or {@code resolved}
 * @param key       the client IP, or the service for threshold rules ("all" for every service)
 * @param events    alert events folded into this notification since the group's previous one
 * @param total     alert events in the group since it opened (the incident's size)
 * @param firstSeen when the incident started
 * @param lastSeen  the latest event's time
 * @param summary   the latest event's one-line summary (log-derived text: escape it)
 * @param evidence  up to five log lines (attacker-controlled: escape them for the channel's format)
 * @param repeat    true when this re-sends a still-firing incident after the repeat interval
 */
public record Notification(String rule, String category, String severity, String state, String key, long events,
                           long total, Instant firstSeen, Instant lastSeen, String summary, List<String> evidence,
                           boolean repeat) {
    public Notification {
        evidence = List.copyOf(evidence);
    }

    /** Severities, most severe first. */
    static final List<String> SEVERITIES = List.of("critical", "high", "warning", "info");

    /**
     * Firing before resolved, then most severe first, else in arrival order (the sort is stable): the order a
     * message shows incidents in, so one cut to fit a channel's size drops the least urgent.
     */
    static final Comparator<Notification> MOST_URGENT_FIRST = Comparator.comparing(Notification::isResolved)
            .thenComparingInt(n -> rank(n.severity()));

    public boolean isResolved() {
        return AlertEvent.RESOLVED.equals(state);
    }

    /** Index in most-severe-first order; an unknown severity sorts last. */
    static int rank(String severity) {
        int i = SEVERITIES.indexOf(severity == null ? "" : severity.toLowerCase(Locale.ROOT));
        return i < 0 ? SEVERITIES.size() : i;
    }
}
