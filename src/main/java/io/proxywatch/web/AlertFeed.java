package io.proxywatch.web;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.alert.AlertGrouper;
import io.proxywatch.alert.Notification;
import io.proxywatch.alert.Silence;
import io.proxywatch.stats.ThresholdRule;
import io.proxywatch.stats.ThresholdWatch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard's alert feed: the incidents the grouper holds, plus threshold rules whose condition holds but not
 * yet for their {@code for} time, each with one state an operator reads at a glance:
 * <ul>
 *   <li>{@code pending}: a threshold rule not yet firing, or an incident still in its group-wait (nobody told yet);</li>
 *   <li>{@code firing}: told, or due to be told;</li>
 *   <li>{@code resolved}: over, its resolved message about to go out.</li>
 * </ul>
 * Firing first, then pending, then resolved; newest first within each; at most {@value #MAX_ITEMS}.
 */
final class AlertFeed {
    static final int MAX_ITEMS = 100;
    static final String PENDING = "pending";

    /** One line of the feed; {@code silencedUntil} is null unless a silence matches it now. */
    record Item(String rule, String category, String severity, String state, String key, long eventsTotal,
                Instant firstSeen, Instant lastSeen, String summary, List<String> evidence, Instant silencedUntil) {
    }

    private final AlertGrouper grouper;
    private final ThresholdWatch thresholds;
    private final Clock clock;

    AlertFeed(AlertGrouper grouper, ThresholdWatch thresholds, Clock clock) {
        this.grouper = grouper;
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /** The feed now, and how many items there were before the cut to {@value #MAX_ITEMS}. */
    record Feed(List<Item> items, int total) {
    }

    Feed current() {
        Instant now = clock.instant();
        List<Silence> silences = grouper.silences();
        List<Item> items = new ArrayList<>();
        Set<String> open = new HashSet<>();
        for (Notification n : grouper.open()) {
            open.add(n.rule() + '\u0000' + n.key());
            items.add(new Item(n.rule(), n.category(), n.severity(), stateOf(n), n.key(), n.total(), n.firstSeen(),
                    n.lastSeen(), n.summary(), n.evidence(), silencedUntil(silences, n.rule(), n.key(), now)));
        }
        Map<String, String> states = thresholds.states();
        for (ThresholdRule rule : thresholds.rules()) {
            if (PENDING.equals(states.get(rule.id())) && !open.contains(rule.id() + '\u0000' + rule.scope())) {
                items.add(new Item(rule.id(), "threshold", rule.severity(), PENDING, rule.scope(), 0, null, null,
                        rule.condition() + " (waiting " + rule.forDuration().toSeconds() + "s before firing)",
                        List.of(), silencedUntil(silences, rule.id(), rule.scope(), now)));
            }
        }
        items.sort(Comparator.comparingInt((Item i) -> rank(i.state()))
                .thenComparing(Item::lastSeen, Comparator.nullsFirst(Comparator.<Instant>reverseOrder())));
        int total = items.size();
        return new Feed(total > MAX_ITEMS ? List.copyOf(items.subList(0, MAX_ITEMS)) : items, total);
    }

    /**
     * An incident whose every event is still waiting for its first message is pending (its group-wait); the
     * grouper zeroes the waiting events once it sends, or once a silence swallows them.
     */
    private static String stateOf(Notification n) {
        if (n.isResolved()) {
            return AlertEvent.RESOLVED;
        }
        return n.total() > 0 && n.events() == n.total() ? PENDING : AlertEvent.FIRING;
    }

    private static int rank(String state) {
        return switch (state) {
            case AlertEvent.FIRING -> 0;
            case PENDING -> 1;
            default -> 2;
        };
    }

    private static Instant silencedUntil(List<Silence> silences, String rule, String key, Instant now) {
        Instant until = null;
        for (Silence s : silences) {
            if (s.matches(rule, key, now) && (until == null || s.until().isAfter(until))) {
                until = s.until();
            }
        }
        return until;
    }
}
