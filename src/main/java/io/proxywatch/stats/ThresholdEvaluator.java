package io.proxywatch.stats;

import io.proxywatch.alert.AlertEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the threshold rules against the traffic statistics, about once a second, and says when one starts or stops
 * firing. Each rule moves inactive → pending (condition holds) → firing (held for its {@code for}) → back to
 * inactive when the condition stops holding, with an alert event on firing and on resolving; a pending rule whose
 * condition stops holding goes back to inactive without a word.
 *
 * <p>State is kept by rule id, and the rules are passed in on every call, so a live edit of the rules file keeps
 * what is pending or firing: a changed rule carries on from its state, a removed one is dropped (resolved if it was
 * firing, so no alert is left open forever).
 */
public final class ThresholdEvaluator {
    private enum Phase { INACTIVE, PENDING, FIRING }

    private static final class State {
        Phase phase = Phase.INACTIVE;
        Instant since;
        Instant evaluated;      // the last evaluation, held still or not
        // how long a pending rule was seen to hold: the time from each evaluation to the next that found it
        // holding, so time held still does not count, nor does a wall clock stepped back (counted from since, a
        // step back of 2 minutes put off a "for 1m" by as much)
        Duration held = Duration.ZERO;
        ThresholdRule rule;
        // the severity it fired with: its resolved event goes where the firing one went, though an edit changed it
        String firedSeverity;
    }

    /**
     * The longest time between two evaluations (once a second) that counts towards a pending rule's {@code for}:
     * a longer one is time nobody watched, and counting it fired a rule on the first evaluation after it.
     */
    static final Duration UNWATCHED = Duration.ofSeconds(15);

    private final Clock clock;
    private final Map<String, State> states = new LinkedHashMap<>();

    public ThresholdEvaluator(Clock clock) {
        this.clock = clock;
    }

    /** Moves every rule on by what the statistics say now; returns the events of rules that fired or resolved. */
    public List<AlertEvent> evaluate(List<ThresholdRule> rules, TrafficStats stats) {
        return evaluate(rules, stats, false);
    }

    /**
     * As {@link #evaluate(List, TrafficStats)}; with {@code holdAll} (a backlog being read) every rule holds still
     * as it does below its min-requests, and rules removed from the file are still resolved.
     */
    public synchronized List<AlertEvent> evaluate(List<ThresholdRule> rules, TrafficStats stats, boolean holdAll) {
        Instant now = clock.instant();
        List<AlertEvent> events = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> services = new HashSet<>();
        for (ThresholdRule rule : rules) {
            ids.add(rule.id());
            if (rule.service() != null) {
                services.add(rule.service());
            }
        }
        stats.keepSeriesFor(services);
        for (Iterator<Map.Entry<String, State>> it = states.entrySet().iterator(); it.hasNext(); ) {
            State s = it.next().getValue();
            if (!ids.contains(s.rule.id())) {
                if (s.phase == Phase.FIRING) {
                    events.add(event(s, AlertEvent.RESOLVED, now, "rule removed from the rules file while firing ("
                            + s.rule.condition() + ", " + scopeText(s.rule) + ")"));
                }
                it.remove();
            }
        }
        // rules sharing a window and a service read one snapshot
        Map<String, StatsSnapshot> snapshots = new HashMap<>();
        for (ThresholdRule rule : rules) {
            State s = states.computeIfAbsent(rule.id(), id -> new State());
            if (s.rule != null && !sameCondition(s.rule, rule)) {
                // another scope, metric or operator is another alert: what the old one raised is resolved under
                // its own key, not left open forever while the new one carries on from its state
                if (s.phase == Phase.FIRING) {
                    events.add(event(s, AlertEvent.RESOLVED, now, "rule changed in the rules file while firing ("
                            + s.rule.condition() + ", " + scopeText(s.rule) + " is now " + rule.condition() + ", "
                            + scopeText(rule) + ")"));
                }
                s = new State();
                states.put(rule.id(), s);
            }
            s.rule = rule;
            Instant before = s.evaluated;
            s.evaluated = now;
            // while everything holds still (a backlog read) no rule reads the statistics
            StatsSnapshot snap = holdAll ? null : snapshots.computeIfAbsent(rule.window().toSeconds() + " "
                    + rule.scope(), k -> stats.metrics(rule.window(), rule.service()));
            // a service folded into "other" may be among its requests: its own series would read no traffic
            if (holdAll || !stats.tracks(rule.service()) || holdsStill(rule, snap)) {
                continue; // not seen to hold meanwhile: that time does not count towards its "for"
            }
            double value = snap.metric(rule.metric());
            boolean crossed = rule.crossed(value);
            switch (s.phase) {
                case INACTIVE -> {
                    if (crossed) {
                        s.phase = Phase.PENDING;
                        s.since = now;
                        s.held = Duration.ZERO;
                        fireIfHeld(s, value, now, events);
                    }
                }
                case PENDING -> {
                    if (crossed) {
                        // evaluated when it became pending, at the latest; a gap longer than UNWATCHED is time
                        // nobody watched (a laptop asleep, the process stopped): a pending flatline fired on
                        // waking, before the proxy, asleep too, had a second to log
                        Duration gap = Duration.between(before, now);
                        if (now.isAfter(before) && gap.compareTo(UNWATCHED) <= 0) {
                            s.held = s.held.plus(gap);
                        }
                        fireIfHeld(s, value, now, events);
                    } else {
                        s.phase = Phase.INACTIVE;
                    }
                }
                case FIRING -> {
                    if (!crossed) {
                        events.add(event(s, AlertEvent.RESOLVED, now, rule.metric() + " " + Numbers.format(value)
                                + ", no longer " + rule.op().symbol() + " " + Numbers.format(rule.value())
                                + " (" + scopeText(rule) + ")"));
                        s.phase = Phase.INACTIVE;
                    }
                }
            }
        }
        return events;
    }

    /** Rule id → inactive, pending or firing, in rules-file order, for the dashboard. */
    public synchronized Map<String, String> states() {
        Map<String, String> out = new LinkedHashMap<>();
        states.forEach((id, s) -> out.put(id, s.phase.name().toLowerCase(java.util.Locale.ROOT)));
        return out;
    }

    /** The same alert: same scope (its key), metric and operator; a new threshold value or window carries on. */
    private static boolean sameCondition(ThresholdRule a, ThresholdRule b) {
        return a.scope().equals(b.scope()) && a.metric().equals(b.metric()) && a.op() == b.op();
    }

    /**
     * Too few requests for a rate or a percentile to mean anything (or none carrying a latency): the rule keeps its
     * state, so a firing alert is not resolved by a quiet minute nor a pending one fired by three requests; the
     * time a pending rule holds still does not count towards its {@code for}.
     * Volume rules always count: a quiet minute is what a flatline rule is for.
     */
    private static boolean holdsStill(ThresholdRule rule, StatsSnapshot snap) {
        if (StatsSnapshot.isVolume(rule.metric())) {
            return false;
        }
        if (snap.requests() < rule.minRequests()) {
            return true;
        }
        return StatsSnapshot.isLatency(rule.metric()) && snap.latencyCount() == 0;
    }

    private static void fireIfHeld(State s, double value, Instant now, List<AlertEvent> events) {
        ThresholdRule rule = s.rule;
        if (s.held.compareTo(rule.forDuration()) >= 0) {
            s.phase = Phase.FIRING;
            s.firedSeverity = rule.severity();
            String held = rule.forDuration().isZero() ? "" : " for " + Numbers.format(rule.forDuration());
            events.add(event(s, AlertEvent.FIRING, now, rule.metric() + " " + Numbers.format(value) + " "
                    + rule.op().symbol() + " " + Numbers.format(rule.value()) + held + " (" + scopeText(rule) + ")"));
        }
    }

    private static AlertEvent event(State s, String state, Instant now, String summary) {
        ThresholdRule rule = s.rule;
        // only a firing rule resolves, and with the severity it fired with
        String severity = state.equals(AlertEvent.RESOLVED) ? s.firedSeverity : rule.severity();
        return new AlertEvent(rule.id(), "threshold", severity, state, rule.scope(), 0, s.since, now, summary,
                List.of());
    }

    private static String scopeText(ThresholdRule rule) {
        return rule.service() == null ? "all services" : "service " + rule.service();
    }
}
