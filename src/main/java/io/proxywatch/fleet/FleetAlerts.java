package io.proxywatch.fleet;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.detect.RateRule;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One alert per fleet incident. While Redis answers, a rate rule's firing event is held back from the alert stage
 * and becomes a claim; the flusher tries each claim with {@code SET <counter>:alert <instance> NX PX <window>}, and
 * only the instance that wins raises the alert, {@code waitMs} later, so that the instances still flushing their
 * share of the burst are named in it too (read from the counter's {@code @instance} fields). The others drop
 * theirs, and their resolved events with it: the winner resolves what it raised. If Redis fails before a claim is
 * decided, the event goes out locally: a fleet incident may then be told twice, never not at all.
 */
final class FleetAlerts {
    private static final int MAX_CLAIMS = 10_000;
    private static final int MAX_RAISED = 10_000;

    private final FleetKeys keys;
    private final String fleet;
    private final String instance;
    private final RedisLink link;
    private final Clock clock;
    private final long waitMs;
    private final Function<String, RateRule> rules;
    private final List<Claim> claims = new ArrayList<>();   // held, not yet tried; guarded by this
    private final List<Claim> waiting = new ArrayList<>();  // won, raised once due; guarded by this
    // rule + key -> the newest claim held or waiting, for its resolved event: scanning both lists for each resolved
    // event a peer raised was claims x events string comparisons under the lock the pipeline thread takes
    private final Map<String, Claim> unraised = new HashMap<>(); // guarded by this
    private final Map<String, Boolean> raised = new LinkedHashMap<>(); // rule + key this instance raised; guarded by this
    private final AtomicLong won = new AtomicLong();
    private final AtomicLong leftToPeers = new AtomicLong();

    FleetAlerts(FleetKeys keys, String fleet, String instance, RedisLink link, Clock clock, long waitMs,
                Function<String, RateRule> rules) {
        this.keys = keys;
        this.fleet = fleet;
        this.instance = instance;
        this.link = link;
        this.clock = clock;
        this.waitMs = waitMs;
        this.rules = rules;
    }

    /**
     * The events that go on to the alert stage now: everything but rate events while Redis answers. Runs on the
     * pipeline and timer threads: takes a lock for a moment, never waits on Redis.
     */
    List<AlertEvent> hold(List<AlertEvent> events) {
        if (events.isEmpty() || !link.isUp()) {
            return events;
        }
        List<AlertEvent> out = new ArrayList<>(events.size());
        synchronized (this) {
            for (AlertEvent e : events) {
                RateRule rule = "rate".equals(e.category()) ? rules.apply(e.rule()) : null;
                if (rule == null) {
                    out.add(e);
                } else if (!e.isResolved()) {
                    if (claims.size() >= MAX_CLAIMS) {
                        out.add(e); // Redis far behind: tell it locally rather than risk not at all
                    } else {
                        Claim claim = new Claim(e, rule, counterKey(rule, e.key()));
                        claims.add(claim);
                        unraised.put(claim.id, claim);
                    }
                } else if (raised.remove(id(e)) != null) {
                    out.add(e);
                } else {
                    Claim pending = unraised.get(id(e));
                    if (pending != null) {
                        pending.resolved = e; // told after the firing event it takes back
                    }
                    // else a peer raised it, and resolves it
                }
            }
        }
        return out;
    }

    /** Flusher thread: tries the claims held since the last call, and returns the alerts due from those won. */
    List<AlertEvent> settle() {
        List<Claim> batch;
        synchronized (this) {
            batch = new ArrayList<>(claims);
            claims.clear();
        }
        List<AlertEvent> out = new ArrayList<>();
        if (!batch.isEmpty()) {
            List<Object> replies = link.call(c -> {
                Pipeline p = c.jedis().pipelined();
                for (Claim claim : batch) {
                    p.set(keys.alert(claim.counterKey), instance,
                            SetParams.setParams().nx().px(claim.rule.window().toMillis()));
                }
                return RedisLink.orFirstError(p.syncAndReturnAll());
            });
            long now = clock.millis();
            synchronized (this) {
                for (int i = 0; i < batch.size(); i++) {
                    Claim claim = batch.get(i);
                    if (replies == null) {
                        out.addAll(raise(claim, claim.event)); // undecided: told locally
                    } else if ("OK".equals(replies.get(i))) {
                        won.incrementAndGet();
                        claim.dueMs = now + waitMs;
                        waiting.add(claim);
                    } else {
                        leftToPeers.incrementAndGet();
                        unraised.remove(claim.id, claim);
                    }
                }
            }
        }
        List<Claim> due = new ArrayList<>();
        synchronized (this) {
            long now = clock.millis();
            for (Iterator<Claim> it = waiting.iterator(); it.hasNext(); ) {
                Claim claim = it.next();
                if (claim.dueMs <= now) {
                    due.add(claim);
                    it.remove();
                }
            }
        }
        if (!due.isEmpty()) {
            List<Object> counters = link.call(c -> {
                Pipeline p = c.jedis().pipelined();
                due.forEach(claim -> p.hgetAll(claim.counterKey));
                return RedisLink.orFirstError(p.syncAndReturnAll());
            });
            synchronized (this) {
                for (int i = 0; i < due.size(); i++) {
                    @SuppressWarnings("unchecked")
                    Map<String, String> counter = counters == null ? null : (Map<String, String>) counters.get(i);
                    out.addAll(raise(due.get(i), fleetEvent(due.get(i), counter)));
                }
            }
        }
        return out;
    }

    long won() {
        return won.get();
    }

    long leftToPeers() {
        return leftToPeers.get();
    }

    /** The firing event, and the resolved one if it came meanwhile; remembers what this instance must resolve. */
    private List<AlertEvent> raise(Claim claim, AlertEvent firing) {
        unraised.remove(claim.id, claim);
        if (claim.resolved != null) {
            return List.of(firing, claim.resolved);
        }
        if (raised.size() >= MAX_RAISED) {
            Iterator<String> oldest = raised.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        raised.put(claim.id, Boolean.TRUE);
        return List.of(firing);
    }

    /** The claim's event retold with the fleet's count and the instances that counted into the window. */
    private AlertEvent fleetEvent(Claim claim, Map<String, String> counter) {
        AlertEvent e = claim.event;
        TreeSet<String> seenBy = new TreeSet<>();
        long requests = 0;
        if (counter != null && !counter.isEmpty()) {
            long top = Long.MIN_VALUE;
            for (Map.Entry<String, String> f : counter.entrySet()) {
                top = Math.max(top, slotOf(f));
            }
            for (Map.Entry<String, String> f : counter.entrySet()) {
                if (slotOf(f) <= top - FleetWindow.SLOTS) {
                    continue; // left the window; the next write deletes it
                }
                if (f.getKey().startsWith("@")) {
                    seenBy.add(f.getKey().substring(1));
                } else {
                    requests += Long.parseLong(f.getValue());
                }
            }
        }
        seenBy.add(instance);
        String summary = requests > claim.rule.limit()
                ? e.key() + ": " + requests + " requests in " + window(claim.rule) + " across fleet '" + fleet
                        + "' (limit " + claim.rule.limit() + ")"
                : e.summary() + " (fleet '" + fleet + "')";
        return new AlertEvent(e.rule(), e.category(), e.severity(), e.state(), e.key(), e.count(), e.firstSeen(),
                e.lastSeen(), summary + ", seen by " + String.join(", ", seenBy), e.evidence());
    }

    /** A counter field's slot: its name for a slot, its value for an instance ("@name" = newest slot written). */
    private static long slotOf(Map.Entry<String, String> field) {
        return Long.parseLong(field.getKey().startsWith("@") ? field.getValue() : field.getKey());
    }

    private String counterKey(RateRule rule, String key) {
        if (rule.key().equals("ip_path")) {
            int space = key.indexOf(' ');
            return space < 0 ? keys.counter(rule.id(), key, "") : keys.counter(rule.id(), key.substring(0, space),
                    key.substring(space + 1));
        }
        return keys.counter(rule.id(), key, null);
    }

    private static String id(AlertEvent e) {
        return e.rule() + '\u0000' + e.key();
    }

    static String window(RateRule rule) {
        long ms = rule.window().toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static final class Claim {
        final AlertEvent event;
        final RateRule rule;
        final String counterKey;
        final String id;
        long dueMs;
        AlertEvent resolved;

        Claim(AlertEvent event, RateRule rule, String counterKey) {
            this.event = event;
            this.rule = rule;
            this.counterKey = counterKey;
            this.id = id(event);
        }
    }
}
