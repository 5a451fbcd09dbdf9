package io.proxywatch.detect;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.record.LogRecord;
import io.proxywatch.record.TextHash;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests per key in sliding windows (the {@code rate:} rules). A request past a rule's limit is a finding; the
 * key's burst stays open while it keeps coming and is resolved once the key has been quiet for the rule's window
 * (by the wall clock, so a proxy that stops logging still closes its bursts).
 *
 * <p>Counter state is kept by rule id across rules edits: a new limit, severity or {@code max-keys} applies to the
 * counts already held; a new window or key starts that rule's counts afresh (old slots would mean something else).
 * Not thread-safe on its own: the caller holds {@link #lock()} around a chunk (one lock per chunk, not per line),
 * and {@link #sweep} takes it too.
 *
 * <p>The counts live in a {@link WindowStore}: this process's own tables by default, or windows shared by a fleet
 * of instances, whose keys pushed over a limit by the other instances' requests come back through {@link #sweep}.
 */
public final class RateDetector {
    static final int MAX_OPEN_BURSTS = 10_000;

    private final Clock clock;
    private final WindowStore store;
    private final Map<String, RuleState> states = new HashMap<>();
    private RateRule.Section activeFor;
    private List<RuleState> active = List.of();
    @SuppressWarnings("unused") // read by nobody: written so the JIT keeps warm's loads
    private int warmed;
    private long[] keys = new long[0];
    private long[] clients = new long[0];
    // IPv6 clients' networks as the rate rules count them, by address (v6Slot)
    private static final int V6_CACHE = 1024;
    private final String[] v6Addresses = new String[V6_CACHE];
    private final String[] v6Networks = new String[V6_CACHE];
    private final long[] v6Hashes = new long[V6_CACHE];
    private int v6Bits;

    public RateDetector(Clock clock) {
        this(clock, new InMemoryWindowStore());
    }

    public RateDetector(Clock clock, WindowStore store) {
        this.clock = clock;
        this.store = store;
    }

    /** The monitor to hold while calling {@link #observe} for a chunk. */
    public Object lock() {
        return this;
    }

    /**
     * Counts one access record under every rule and returns the finding of the most severe rule it takes past its
     * limit (the earlier in the file on a tie), or null. Findings are also folded into {@code events}. Call with
     * {@link #lock()} held.
     */
    public Finding observe(LogRecord r, long timeMs, RateRule.Section section, ChunkEvents events) {
        String ip = r.getClientIp();
        if (ip == null) {
            return null;
        }
        Finding worst = null;
        long ipHash = r.clientIpHash();
        int v6 = v6Slot(ip, section.ipv6Prefix());
        if (v6 >= 0) {
            ip = v6Networks[v6]; // counted, and told in alerts, as its network
            ipHash = v6Hashes[v6];
        }
        List<RuleState> rules = active(section);
        for (int i = 0; i < rules.size(); i++) { // by index: the iterator was 10 bytes a line the JIT kept
            RuleState s = rules.get(i);
            long key = ipHash;
            if (s.byPath) {
                if (r.getPath() == null) {
                    continue;
                }
                key = withPath(ipHash, r);
            } else if (s.only404 && (r.getStatus() == null || r.getStatus() != 404)) {
                continue;
            }
            String path = s.byPath ? r.getPath() : null;
            int count = s.window.add(key, ip, path, timeMs);
            if (count > s.rule.limit()) {
                Burst b = s.burst(key, ip, path, timeMs);
                if (s.open(b, timeMs, clock.millis(), 1)) {
                    events.add(s.finding, b.key, b.reportFirstMs, timeMs, b.reportCount, r.getRaw(),
                            new RateSummary(b.key, count, s.rule));
                }
                if (s.finding.moreSevereThan(worst)) {
                    worst = s.finding; // a 404 scan's warning must not hide the same client's burst
                }
            }
        }
        return worst;
    }

    /**
     * Touches the counters the chunk's records will be counted in, before {@link #observe} counts them one by one:
     * with tens of thousands of clients the tables outgrow the core's caches, and a lookup that misses stalls the
     * counting loop (it was a third of detection's time). The touching loops do nothing else, so the core has
     * many of their loads in flight at once and the misses overlap. Call with {@link #lock()} held.
     */
    public void warm(List<LogRecord> records, RateRule.Section section) {
        List<RuleState> rules = active(section);
        int n = records.size();
        if (keys.length < n) {
            keys = new long[n];
        }
        if (clients.length < n) {
            clients = new long[n];
        }
        long[] c = clients;
        for (int i = 0; i < n; i++) {
            c[i] = clientHash(records.get(i), section.ipv6Prefix());
        }
        long[] k = keys;
        int sum = 0;
        for (RuleState s : rules) {
            if (s.only404) {
                continue; // a few percent of requests: not worth a pass
            }
            for (int i = 0; i < n; i++) {
                k[i] = s.byPath ? withPath(c[i], records.get(i)) : c[i];
            }
            WindowStore.Window w = s.window;
            for (int i = 0; i < n; i++) {
                sum += w.warm(k[i]);
            }
        }
        warmed = sum;
    }

    /** The counter key of a client (by its hash) and a record's path under an ip_path rule; 0 when either is none. */
    private static long withPath(long client, LogRecord r) {
        long path = r.pathHash();
        return client == 0 || path == 0 ? 0 : TextHash.combine(client, path);
    }

    /** An IPv6 address has a ':' in its first five characters, an IPv4 one a '.' first: no scan of the whole. */
    private static boolean isV6(String ip) {
        for (int i = 0, n = Math.min(5, ip.length()); i < n; i++) {
            char c = ip.charAt(i);
            if (c == ':') {
                return true;
            }
            if (c == '.') {
                return false;
            }
        }
        return false;
    }

    /** The hash the rate rules count a record's client under: its address's, or an IPv6 client's network's. */
    private long clientHash(LogRecord r, int ipv6Prefix) {
        int v6 = v6Slot(r.getClientIp(), ipv6Prefix);
        return v6 < 0 ? r.clientIpHash() : v6Hashes[v6];
    }

    /**
     * The cache entry holding {@code ip}'s network ({@code ipv6-prefix}) and its hash, filled if need be; -1 for an
     * IPv4 address, a prefix of 128 or no address. Kept by address: the warm pass and the count ask for every
     * record's, and clients interleave.
     */
    private int v6Slot(String ip, int ipv6Prefix) {
        if (ip == null || ipv6Prefix >= 128 || !isV6(ip)) {
            return -1;
        }
        if (ipv6Prefix != v6Bits) {
            Arrays.fill(v6Addresses, null);
            v6Bits = ipv6Prefix;
        }
        int i = ip.hashCode() & (V6_CACHE - 1);
        if (!ip.equals(v6Addresses[i])) {
            v6Addresses[i] = ip;
            v6Networks[i] = ClientPrefix.of(ip, ipv6Prefix);
            v6Hashes[i] = TextHash.of(v6Networks[i]);
        }
        return i;
    }

    /** The chunk's requests have all been observed; call with {@link #lock()} held. */
    public void endChunk() {
        store.endChunk();
    }

    /**
     * The state of each rule of {@code section}, looked up once per rules version rather than per line and rule:
     * a rules edit brings a new section object, which is when states are matched to rules again.
     */
    private List<RuleState> active(RateRule.Section section) {
        if (section != activeFor) {
            List<RuleState> list = new ArrayList<>(section.rules().size());
            for (RateRule rule : section.rules()) {
                list.add(state(rule, section.maxKeys()));
            }
            active = list;
            activeFor = section;
        }
        return active;
    }

    /**
     * Resolved events for bursts quiet for their window; rules that left the file close their bursts too. With a
     * shared store, also the firing events of keys that the fleet's counts took past a limit.
     */
    public synchronized List<AlertEvent> sweep(RateRule.Section section) {
        long now = clock.millis();
        List<AlertEvent> out = new ArrayList<>();
        for (WindowStore.Crossing c : store.crossings()) {
            RuleState s = states.get(c.rule());
            if (s == null) {
                continue;
            }
            // 0 requests: the burst's count is of this process's requests over the limit, and none came here; a
            // report now still tells those that did since the last one
            Burst b = s.burst(c.key(), c.timeMs());
            if (s.open(b, c.timeMs(), now, 0)) {
                out.add(new AlertEvent(s.rule.id(), "rate", b.severity, AlertEvent.FIRING, c.key(),
                        Math.max(1, b.reportCount), Instant.ofEpochMilli(b.reportFirstMs),
                        Instant.ofEpochMilli(b.lastMs),
                        new RateSummary(c.key(), c.count(), s.rule).get(),
                        c.line() == null ? List.of() : List.of(c.line())));
            }
        }
        Map<String, RateRule> byId = new HashMap<>();
        section.rules().forEach(rule -> byId.put(rule.id(), rule));
        for (Iterator<Map.Entry<String, RuleState>> it = states.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, RuleState> e = it.next();
            RateRule rule = byId.get(e.getKey());
            RuleState s = e.getValue();
            long quietMs = rule == null ? 0 : rule.window().toMillis();
            for (Burst given; (given = s.dropped.poll()) != null; ) {
                if (s.bursts.containsKey(given.key)) {
                    continue; // bursting again since: that burst's own resolved event will close the alert
                }
                out.add(resolved(s, given, given.key + ": no longer followed, " + MAX_OPEN_BURSTS
                        + " newer bursts open, after " + given.count + " requests over the limit"));
            }
            for (Iterator<Burst> b = s.bursts.values().iterator(); b.hasNext(); ) {
                Burst burst = b.next();
                if (now - burst.lastWallMs >= quietMs) {
                    b.remove();
                    burst.closed = true;
                    out.add(resolved(s, burst, rule == null
                            ? burst.key + ": rule " + s.rule.id() + " removed from the rules file"
                            : burst.count == 0 // over by the fleet's count only
                            ? burst.key + ": quiet for " + RateSummary.window(rule) + " across the fleet"
                            : burst.key + ": quiet for " + RateSummary.window(rule) + " after " + burst.count
                            + " requests over the limit"));
                }
            }
            if (rule == null) {
                it.remove();
                activeFor = null; // the list of states in use may hold it: built again from the rules next time
            }
        }
        return out;
    }

    /**
     * The resolved event of a burst, with the severity it was reported with: it reaches whoever the firing one
     * reached, though an edit changed the rule's severity since.
     */
    private static AlertEvent resolved(RuleState s, Burst b, String summary) {
        return new AlertEvent(s.rule.id(), "rate", b.severity, AlertEvent.RESOLVED, b.key, b.count,
                Instant.ofEpochMilli(b.firstMs), Instant.ofEpochMilli(b.lastMs), summary, List.of());
    }

    /** Keys tracked per rule id, for progress and memory checks. */
    public synchronized Map<String, Integer> trackedKeys() {
        Map<String, Integer> out = new LinkedHashMap<>();
        states.forEach((id, s) -> out.put(id, s.window.size()));
        return out;
    }

    private RuleState state(RateRule rule, int maxKeys) {
        RuleState s = states.get(rule.id());
        if (s == null || s.slotMs != rule.slotMs() || !s.rule.key().equals(rule.key())) {
            s = new RuleState(rule, maxKeys, s, store.window(rule, maxKeys));
            states.put(rule.id(), s);
        } else if (s.maxKeys != maxKeys) {
            // the counts held stay (a window that cannot keep them is started afresh)
            s = new RuleState(rule, maxKeys, s, s.window.keepKeys(maxKeys) ? s.window : store.window(rule, maxKeys));
            states.put(rule.id(), s);
        } else if (s.rule != rule) {
            s.rule = rule;
            s.finding = new Finding(rule.id(), "rate", rule.severity());
        }
        return s;
    }

    /** "203.0.113.9: 150 requests in 10s (limit 100)", built only if the chunk's event is rendered. */
    private record RateSummary(String key, int count, RateRule rule) implements java.util.function.Supplier<String> {
        @Override
        public String get() {
            return key + ": " + count + " requests in " + window(rule) + " (limit " + rule.limit() + ")";
        }

        static String window(RateRule rule) {
            long ms = rule.window().toMillis();
            return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        }
    }

    /** The keys of a rule's open bursts, as kept (for tests). */
    List<String> openBurstKeys(String ruleId) {
        synchronized (lock()) {
            RuleState s = states.get(ruleId);
            return s == null ? List.of() : new ArrayList<>(s.bursts.keySet());
        }
    }

    private static final class RuleState {
        RateRule rule;
        Finding finding;
        final long slotMs;
        final boolean byPath;
        final boolean only404;
        final int maxKeys;
        final WindowStore.Window window;
        final LinkedHashMap<String, Burst> bursts;
        // bursts given up at MAX_OPEN_BURSTS, each owed a resolved event (or its alert stayed open for good)
        final ArrayDeque<Burst> dropped;
        private final Burst[] recent = new Burst[64]; // by counter key: the bursts lines came from lately

        RuleState(RateRule rule, int maxKeys, RuleState previous, WindowStore.Window window) {
            this.rule = rule;
            this.finding = new Finding(rule.id(), "rate", rule.severity());
            this.slotMs = rule.slotMs();
            this.byPath = rule.key().equals("ip_path");
            this.only404 = rule.key().equals("ip_404");
            this.maxKeys = maxKeys;
            this.window = window;
            // open bursts outlive a window change: they still need their resolved event
            this.bursts = previous == null ? new LinkedHashMap<>() : previous.bursts;
            this.dropped = previous == null ? new ArrayDeque<>() : previous.dropped;
        }

        /**
         * The open burst of the key a request over the limit came from (its counter key, address and path), found
         * without building the key's text: a key over its limit sends every request of its burst here, and
         * building "ip path" and looking it up in the map for each of them was most of the cost of a burst line.
         */
        Burst burst(long counterKey, String ip, String path, long timeMs) {
            int i = (int) counterKey & (recent.length - 1);
            Burst b = recent[i];
            if (b != null && !b.closed && b.counterKey == counterKey) {
                return b;
            }
            b = burst(path == null ? ip : ip + ' ' + path, timeMs);
            if (b.counterKey == 0) {
                b.counterKey = counterKey;
            }
            recent[i] = b;
            return b;
        }

        /**
         * The open burst of a key, by its text, opened now if there is none. The text is cut as an alert's key is
         * (an address or path is whatever the client sent): 10,000 open bursts kept the whole of each, 167 MB for
         * 16 KB forwarded-for addresses.
         */
        Burst burst(String key, long timeMs) {
            key = AlertEvent.clip(key, AlertEvent.MAX_KEY_CHARS);
            Burst b = bursts.get(key);
            if (b == null) {
                if (bursts.size() >= MAX_OPEN_BURSTS) {
                    Iterator<Burst> oldest = bursts.values().iterator();
                    Burst given = oldest.next();
                    given.closed = true;
                    oldest.remove();
                    if (dropped.size() < MAX_OPEN_BURSTS) { // more between two sweeps (a second) are not told
                        dropped.add(given);
                    }
                }
                b = new Burst(key, timeMs);
                bursts.put(key, b);
            }
            return b;
        }

        /**
         * Counts a request past the limit into its key's burst; true when it should be reported: the burst's first
         * request, and then one a window while it lasts, each report with the requests over the limit since the one
         * before ({@link Burst#reportCount} from {@link Burst#reportFirstMs}). An attack at 1,000 requests a second is
         * then a handful of alert events, not one per chunk, whose counts add up to its requests over the limit.
         */
        boolean open(Burst b, long timeMs, long wallMs, int requests) {
            long windowMs = rule.window().toMillis();
            b.count += requests;
            if (requests > 0) {
                b.unreported += requests;
                b.unreportedFirstMs = Math.min(b.unreportedFirstMs, timeMs);
            }
            b.lastMs = Math.max(b.lastMs, timeMs);
            b.lastWallMs = wallMs;
            if (b.reportedWallMs == Long.MIN_VALUE || wallMs - b.reportedWallMs >= windowMs) {
                b.reportedWallMs = wallMs;
                b.severity = rule.severity();
                b.reportCount = b.unreported;
                b.reportFirstMs = b.unreported > 0 ? b.unreportedFirstMs : timeMs; // a fleet's crossing alone: now
                b.unreported = 0;
                b.unreportedFirstMs = Long.MAX_VALUE;
                return true;
            }
            return false;
        }
    }

    private static final class Burst {
        final String key;
        final long firstMs;
        long lastMs;
        long lastWallMs;
        long reportedWallMs = Long.MIN_VALUE;
        long count;
        long unreported;                          // requests over the limit since the last report ...
        long unreportedFirstMs = Long.MAX_VALUE;  // ... and the first of them
        long reportCount;                         // what the last report told: that many ...
        long reportFirstMs;                       // ... from then
        String severity; // of the last event reported for it (the first report comes with the burst)
        boolean closed; // resolved or evicted: no longer in the map, so a new request opens a new burst
        // the counter key (a hash of the address, or of address and path) that finds this burst without its text;
        // 0 while only the fleet's counts opened it (found by text only)
        long counterKey;

        Burst(String key, long firstMs) {
            this.key = key;
            this.firstMs = firstMs;
            this.lastMs = firstMs;
        }
    }
}
