package io.proxywatch.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Alertmanager's grouping, for one process: alert events are grouped by (rule, key) into incidents, and an
 * incident is told about once, not once per event.
 * <ul>
 *   <li>a new incident is sent {@code groupWait} after its first event (events in that wait ride along);</li>
 *   <li>new events in an incident already sent are sent at most every {@code groupInterval};</li>
 *   <li>an incident still firing with nothing new is sent again after {@code repeatInterval};</li>
 *   <li>a resolved event (a threshold rule resolving, a burst gone quiet) is sent, at most {@code groupInterval}
 *       after the incident's previous message, and closes the incident; detector incidents (signatures) have no
 *       resolved event of their own and resolve after {@code resolveTimeout} without new events;</li>
 *   <li>silenced incidents are counted, not sent.</li>
 * </ul>
 * Incidents are capped: past {@code maxGroups}, a rule's further keys share one incident with key {@code *}, so an
 * attack from a million addresses is one more incident, not a million.
 */
public final class AlertGrouper {
    public static final String OVERFLOW_KEY = "*";
    /** Categories whose detectors send their own resolved events. */
    private static final Set<String> SELF_RESOLVING = Set.of("rate", "threshold", "health");

    /** The timings, Alertmanager's names. */
    public record Timings(Duration groupWait, Duration groupInterval, Duration repeatInterval, Duration resolveTimeout) {
    }

    private final Clock clock;
    private final Timings timings;
    private final int maxGroups;
    /** Each is checked against every open incident about once a second: a cap on what the dashboard can add. */
    static final int MAX_SILENCES = 1_000;
    private final List<Silence> silences;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private long suppressed;

    /**
     * The incident cap for {@code max-incidents=auto}: one per 48 KiB of heap, from 100 to 10,000 (1,365 at
     * -Xmx64m, 10,000 from -Xmx469m up). An incident holds at most five evidence lines, a key and a summary, all
     * cut short (~13 KB of two-byte text at worst, under 1 KB with the usual one short line), so at worst the open
     * incidents take a quarter of the heap. At -Xmx64m, 6,400 of them held 5 MB and G1 copied every chunk in
     * flight to the old generation: 2,000 gave back most of that time.
     */
    public static int maxGroupsForHeap(long maxHeapBytes) {
        return (int) Math.max(100, Math.min(10_000, maxHeapBytes / (48L << 10)));
    }

    public AlertGrouper(Clock clock, Timings timings, int maxGroups, List<Silence> silences) {
        this.clock = clock;
        this.timings = timings;
        this.maxGroups = maxGroups;
        this.silences = new CopyOnWriteArrayList<>(silences);
    }

    /** A chunk's (or a timer tick's) events, in order. */
    public synchronized void addAll(List<AlertEvent> events) {
        for (AlertEvent e : events) {
            add(e);
        }
    }

    public synchronized void add(AlertEvent e) {
        String id = e.rule() + '\u0000' + e.key();
        Group g = groups.get(id);
        if (g == null) {
            if (e.isResolved()) {
                return; // nothing was said about it in this process, so there is nothing to take back
            }
            if (groups.size() >= maxGroups) {
                id = e.rule() + '\u0000' + OVERFLOW_KEY;
                g = groups.get(id);
            }
            if (g == null) {
                g = new Group(e, id.endsWith('\u0000' + OVERFLOW_KEY) ? OVERFLOW_KEY : e.key(), clock.millis());
                groups.put(id, g);
            }
        }
        g.absorb(e, clock.millis());
    }

    /** The notifications due now; the timer route calls this about once a second. */
    public synchronized List<Notification> due() {
        long now = clock.millis();
        Instant nowInstant = Instant.ofEpochMilli(now);
        silences.removeIf(s -> s.expired(nowInstant));
        long resolveAfter = timings.resolveTimeout().toMillis();
        List<Notification> out = new ArrayList<>();
        // this runs five times a second over up to maxGroups incidents (an attack from many addresses fills them):
        // the per-incident work is a few field reads unless something is due
        for (Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
            Group g = it.next();
            if (!g.resolved && g.autoResolves && now - g.lastEventWall >= resolveAfter) {
                g.resolved = true;
                g.summary = "no new findings for " + timings.resolveTimeout().toSeconds() + "s";
            }
            if (isSilenced(g, nowInstant)) {
                suppressed += g.pending;
                g.pending = 0;
                if (g.resolved) {
                    it.remove();
                }
                continue;
            }
            Notification n = decide(g, now);
            if (n != null) {
                out.add(n);
                g.pending = 0;
                g.lastSentWall = now;
                if (g.resolved) {
                    it.remove();
                }
            }
        }
        return out;
    }

    private Notification decide(Group g, long now) {
        if (g.lastSentWall < 0) {
            return now - g.openedWall >= timings.groupWait().toMillis() ? g.notification(false) : null;
        }
        long sinceSent = now - g.lastSentWall;
        if ((g.resolved || g.pending > 0) && sinceSent >= timings.groupInterval().toMillis()) {
            return g.notification(false);
        }
        if (!g.resolved && sinceSent >= timings.repeatInterval().toMillis()) {
            return g.notification(true);
        }
        return null;
    }

    private boolean isSilenced(Group g, Instant now) {
        for (Silence s : silences) {
            if (s.matches(g.rule, g.key, now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds a silence while running (the dashboard's "silence this incident").
     *
     * @throws IllegalArgumentException when {@link #MAX_SILENCES} are in force already
     */
    public void silence(Silence s) {
        synchronized (silences) {
            silences.removeIf(old -> old.expired(clock.instant()));
            if (silences.size() >= MAX_SILENCES) {
                throw new IllegalArgumentException("at most " + MAX_SILENCES + " silences are kept; " + silences.size()
                        + " are in force (they end at their time, or at a restart)");
            }
            silences.add(s);
        }
    }

    /** The silences in force (and any expired since the last {@link #due}), for the dashboard. */
    public List<Silence> silences() {
        return List.copyOf(silences);
    }

    /** Events not sent because a silence matched them. */
    public synchronized long suppressed() {
        return suppressed;
    }

    /** Open incidents, for the dashboard's alert feed: rule, key, severity, state, total, first and last seen. */
    public synchronized List<Notification> open() {
        List<Notification> out = new ArrayList<>(groups.size());
        for (Group g : groups.values()) {
            out.add(new Notification(g.rule, g.category, g.severity, g.resolved ? AlertEvent.RESOLVED : AlertEvent.FIRING,
                    g.key, g.pending, g.total, g.firstSeen, g.lastSeen, g.summary, g.evidence, false));
        }
        return out;
    }

    private static final class Group {
        final String rule;
        final String category;
        final String key;
        final long openedWall;
        /** Signature findings and overflow incidents get no resolved event of their own; bursts, thresholds and health do. */
        final boolean autoResolves;
        String severity;
        Instant firstSeen;
        Instant lastSeen;
        String summary;
        List<String> evidence = List.of();
        long pending;
        long total;
        long lastEventWall;
        long lastSentWall = -1;
        boolean resolved;

        Group(AlertEvent first, String key, long wall) {
            this.rule = first.rule();
            this.category = first.category();
            this.key = key;
            this.openedWall = wall;
            this.autoResolves = OVERFLOW_KEY.equals(key) || !SELF_RESOLVING.contains(category);
            this.severity = first.severity();
            this.firstSeen = first.firstSeen();
        }

        void absorb(AlertEvent e, long wall) {
            if (e.isResolved()) {
                resolved = true;
            } else {
                resolved = false; // flapping: it came back before the resolved message went out
                long n = Math.max(1, e.count());
                pending += n;
                total += n;
                lastEventWall = wall;
                severity = e.severity();
                if (!e.evidence().isEmpty()) {
                    evidence = e.evidence();
                }
            }
            if (e.firstSeen() != null && (firstSeen == null || e.firstSeen().isBefore(firstSeen))) {
                firstSeen = e.firstSeen();
            }
            if (e.lastSeen() != null && (lastSeen == null || e.lastSeen().isAfter(lastSeen))) {
                lastSeen = e.lastSeen();
            }
            summary = e.summary();
        }

        Notification notification(boolean repeat) {
            return new Notification(rule, category, severity, resolved ? AlertEvent.RESOLVED : AlertEvent.FIRING, key,
                    pending, total, firstSeen, lastSeen, summary, evidence, repeat);
        }
    }
}
