package io.proxywatch.fleet;

import io.proxywatch.detect.InMemoryWindowStore;
import io.proxywatch.detect.RateRule;
import io.proxywatch.detect.WindowStore;
import redis.clients.jedis.Pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate windows shared by the instances of a fleet through Redis. Counting stays local and never waits: requests
 * are appended to {@link PendingCounts} on the pipeline thread, and {@link #flush} (the flusher's timer, never the
 * pipeline) sends everything counted since the last flush in one pipeline, one {@link WindowScript} call per
 * client, then learns the fleet's counts back: keys near their limit get a view of the other instances' requests
 * (added to the local count from then on), and keys over it become {@link Crossing}s for the detector.
 * While the link is down nothing is appended and windows count locally, exactly as without a fleet.
 */
public final class RedisWindowStore implements WindowStore {
    /** Requests waiting for the flusher at most: about ten seconds of a busy proxy. */
    static final int MAX_PENDING = 1 << 18;
    /** Slack on a counter's expiry beyond its window: flush delay and clock skew between instances. */
    static final long EXPIRY_SLACK_MS = 1000;
    private static final int MAX_CROSSINGS = 10_000;

    private final InMemoryWindowStore local = new InMemoryWindowStore();
    private final PendingCounts pending;
    private final FleetKeys keys;
    private final RedisLink link;
    private final String instance;
    private final ConcurrentLinkedQueue<Crossing> crossings = new ConcurrentLinkedQueue<>();
    private final AtomicInteger crossingCount = new AtomicInteger();
    private final AtomicLong flushes = new AtomicLong();
    private volatile long lastFlushMicros;
    private volatile long lastLatencyMicros;

    RedisWindowStore(FleetKeys keys, RedisLink link, String instance, int maxPending) {
        this.keys = keys;
        this.link = link;
        this.instance = instance;
        this.pending = new PendingCounts(maxPending);
    }

    @Override
    public Window window(RateRule rule, int maxKeys) {
        return new FleetWindow(rule, local.window(rule, maxKeys), this);
    }

    @Override
    public void endChunk() {
        pending.endChunk();
    }

    @Override
    public List<Crossing> crossings() {
        List<Crossing> out = new ArrayList<>();
        for (Crossing c; (c = crossings.poll()) != null; ) {
            out.add(c);
        }
        crossingCount.addAndGet(-out.size());
        return out;
    }

    boolean sharing() {
        return link.isUp();
    }

    PendingCounts pending() {
        return pending;
    }

    /**
     * Flusher thread: sends the requests counted since the last flush and applies what the fleet's counts say.
     * Never called on the pipeline thread; a Redis failure here switches detection to local counting at once.
     */
    void flush() {
        List<PendingCounts.Batch> batches = pending.drain();
        if (batches.isEmpty()) {
            if (!link.isUp()) {
                link.call(c -> c.jedis().ping()); // nothing to send: still find out whether Redis is back
            }
            return;
        }
        long started = System.nanoTime();
        Map<String, Map<CounterId, Counter>> byClient = group(batches);
        List<Object> replies = link.call(c -> {
            Pipeline p = c.jedis().pipelined();
            for (Map<CounterId, Counter> counters : byClient.values()) {
                List<String> k = new ArrayList<>(counters.size());
                List<String> args = new ArrayList<>(1 + counters.size() * 5);
                args.add(instance);
                for (Counter counter : counters.values()) {
                    k.add(counter.redisKey);
                    args.add(Long.toString(counter.window.rule.window().toMillis() + EXPIRY_SLACK_MS));
                    args.add(Integer.toString(FleetWindow.SLOTS));
                    args.add(Integer.toString(counter.bySlot.size()));
                    counter.bySlot.forEach((slot, n) -> {
                        args.add(Long.toString(slot));
                        args.add(Integer.toString(n));
                    });
                }
                p.evalsha(c.windowSha(), k, args);
            }
            return RedisLink.orFirstError(p.syncAndReturnAll());
        });
        if (replies == null) {
            long lost = 0;
            for (PendingCounts.Batch b : batches) {
                lost += b.size();
            }
            pending.countDropped(lost);
            return;
        }
        int i = 0;
        for (Map<CounterId, Counter> counters : byClient.values()) {
            List<?> reply = (List<?>) replies.get(i++);
            int at = 0;
            for (Counter counter : counters.values()) {
                long newest = (Long) reply.get(at);
                int[] fleet = new int[FleetWindow.SLOTS];
                for (int s = 0; s < fleet.length; s++) {
                    fleet[s] = ((Long) reply.get(at + 1 + s)).intValue();
                }
                at += 1 + FleetWindow.SLOTS;
                learn(counter, newest, fleet);
            }
        }
        long now = System.nanoTime();
        flushes.incrementAndGet();
        lastFlushMicros = (now - started) / 1000;
        lastLatencyMicros = (now - batches.get(0).handedNanos()) / 1000;
        prune(byClient);
    }

    /** The fleet's counts of one counter, as the script returned them, turned into a view and maybe a crossing. */
    private void learn(Counter counter, long newest, int[] fleet) {
        FleetWindow w = counter.window;
        FleetWindow.Sent own = w.sent.computeIfAbsent(counter.id.key(), k -> new FleetWindow.Sent());
        counter.bySlot.forEach(own::add);
        w.newestSlot = Math.max(w.newestSlot, newest);
        int total = 0;
        int othersTotal = 0;
        int[] others = new int[fleet.length];
        for (int s = 0; s < fleet.length; s++) {
            total += fleet[s];
            others[s] = Math.max(0, fleet[s] - own.at(newest - FleetWindow.SLOTS + 1 + s));
            othersTotal += others[s];
        }
        // below half the limit the others cannot take a key over it before the next flush shows it anyway
        if (othersTotal > 0 && total * 2L >= w.rule.limit()) {
            w.views.put(counter.id.key(), new FleetWindow.View(newest, others));
        } else if (!w.views.isEmpty()) {
            w.views.remove(counter.id.key());
        }
        if (total > w.rule.limit() && crossingCount.get() < MAX_CROSSINGS) {
            crossingCount.incrementAndGet();
            crossings.add(new Crossing(w.rule.id(), counter.name, total, counter.lastTimeMs, null));
        }
    }

    /** Drops what has left every window: views and own contributions of keys not flushed for a window. */
    private void prune(Map<String, Map<CounterId, Counter>> flushed) {
        java.util.Set<FleetWindow> touched = new java.util.HashSet<>();
        flushed.values().forEach(m -> m.keySet().forEach(id -> touched.add(id.window())));
        for (FleetWindow w : touched) {
            long oldest = w.newestSlot - FleetWindow.SLOTS;
            // the newest of this flush, not of every flush: after one line stamped far ahead, the newest ever made
            // every view look too old, so the other instances' counts were dropped from every key until that time
            w.newestSlot = Long.MIN_VALUE;
            if (w.sent.size() > 4096) {
                w.sent.values().removeIf(s -> s.newest <= oldest);
            }
            if (!w.views.isEmpty()) {
                w.views.values().removeIf(v -> v.newest() <= oldest);
            }
        }
    }

    /** The chunks' requests summed per client, counter and slot: what one flush sends. */
    private Map<String, Map<CounterId, Counter>> group(List<PendingCounts.Batch> batches) {
        Map<String, Map<CounterId, Counter>> byClient = new LinkedHashMap<>();
        for (PendingCounts.Batch b : batches) {
            for (int j = 0; j < b.size(); j++) {
                FleetWindow w = b.windows()[j];
                CounterId id = new CounterId(w, b.keys()[j]);
                String ip = b.ips()[j];
                String path = b.paths()[j];
                Counter c = byClient.computeIfAbsent(ip, x -> new LinkedHashMap<>())
                        .computeIfAbsent(id, x -> new Counter(id, keys.counter(w.rule.id(), ip, path),
                                path == null ? ip : ip + ' ' + path));
                c.bySlot.merge(Math.floorDiv(b.times()[j], w.slotMs), 1, Integer::sum);
                c.lastTimeMs = Math.max(c.lastTimeMs, b.times()[j]);
            }
        }
        return byClient;
    }

    long flushes() {
        return flushes.get();
    }

    long lastFlushMicros() {
        return lastFlushMicros;
    }

    /** From the oldest request of a flush being handed over to the fleet's counts of it being known here. */
    long lastLatencyMicros() {
        return lastLatencyMicros;
    }

    long dropped() {
        return pending.dropped();
    }

    /** One rule's counter of one key (identity: the window object, so a rules edit starts afresh). */
    private record CounterId(FleetWindow window, long key) {
    }

    private static final class Counter {
        final CounterId id;
        final FleetWindow window;
        final String redisKey;
        final String name;
        final Map<Long, Integer> bySlot = new TreeMap<>();
        long lastTimeMs = Long.MIN_VALUE;

        Counter(CounterId id, String redisKey, String name) {
            this.id = id;
            this.window = id.window();
            this.redisKey = redisKey;
            this.name = name;
        }
    }
}
