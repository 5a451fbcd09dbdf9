package io.proxywatch.fleet;

import io.proxywatch.detect.RateRule;
import io.proxywatch.detect.WindowStore;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One rule's window in fleet mode: the local table stays the fast path and the source of this instance's own
 * count; the other instances' requests, as the last flush learnt them, are added on top. Only keys whose fleet
 * count reached half the limit carry such a view, so for almost every request the extra cost is an append to the
 * pending arrays and an empty-map check.
 */
final class FleetWindow implements WindowStore.Window {
    static final int SLOTS = WindowStore.SLOTS;

    final RateRule rule;
    final long slotMs;
    private final WindowStore.Window local;
    private final RedisWindowStore store;
    /** The other instances' counts per key: written by the flusher, read by the pipeline thread. */
    final Map<Long, View> views = new ConcurrentHashMap<>();
    /** What this instance has added to the fleet's count per key and slot: flusher only. */
    final Map<Long, Sent> sent = new HashMap<>();
    /** Newest slot in the flush being learnt, for pruning after it: flusher only. */
    long newestSlot = Long.MIN_VALUE;

    FleetWindow(RateRule rule, WindowStore.Window local, RedisWindowStore store) {
        this.rule = rule;
        this.slotMs = rule.slotMs();
        this.local = local;
        this.store = store;
    }

    @Override
    public int add(long key, String ip, String path, long timeMs) {
        int own = local.add(key, ip, path, timeMs);
        if (!store.sharing()) {
            return own;
        }
        store.pending().add(this, key, timeMs, ip, path);
        if (views.isEmpty()) {
            return own;
        }
        View v = views.get(key);
        return v == null ? own : own + v.others(Math.floorDiv(timeMs, slotMs));
    }

    @Override
    public int warm(long key) {
        return local.warm(key);
    }

    @Override
    public boolean keepKeys(int maxKeys) {
        return local.keepKeys(maxKeys);
    }

    @Override
    public int size() {
        return local.size();
    }

    /** The other instances' requests per slot, for the window ending at {@code newest}, as of a flush. */
    record View(long newest, int[] others) {
        /** Their requests inside the window ending at {@code slot}. */
        int others(long slot) {
            long from = Math.max(slot, newest) - SLOTS + 1;
            long to = Math.min(slot, newest);
            int sum = 0;
            for (long s = Math.max(from, newest - SLOTS + 1); s <= to; s++) {
                sum += others[(int) (s - newest + SLOTS - 1)];
            }
            return sum;
        }
    }

    /** This instance's own contributions to one counter, per slot of the newest window. */
    static final class Sent {
        long newest = Long.MIN_VALUE;
        final int[] bySlot = new int[SLOTS];

        void add(long slot, int n) {
            if (slot > newest) {
                long shift = newest == Long.MIN_VALUE ? SLOTS : Math.min(SLOTS, slot - newest);
                for (long s = slot - shift + 1; s <= slot; s++) {
                    bySlot[(int) Math.floorMod(s, SLOTS)] = 0;
                }
                newest = slot;
            }
            if (slot > newest - SLOTS) {
                bySlot[(int) Math.floorMod(slot, SLOTS)] += n;
            }
        }

        int at(long slot) {
            return slot <= newest && slot > newest - SLOTS ? bySlot[(int) Math.floorMod(slot, SLOTS)] : 0;
        }
    }
}
