package io.proxywatch.stats;

import java.util.Arrays;

/**
 * Exact request counts per (series, key) for the second being recorded, for one kind of key (client IP, path or
 * 404 path), with a hard cap on distinct keys: past it, new keys in that second are not counted, so a spray of a
 * million addresses costs the same memory as 2,000. Open addressing over parallel arrays, because a map of boxed
 * counters would allocate on every request.
 *
 * <p>The series is part of the key so one table serves both the per-service top lists (entries of that series)
 * and the overall ones (entries of every series, summed by key).
 *
 * <p>Keys are told apart by their 64-bit {@link io.proxywatch.record.TextHash} alone, never by comparing the
 * texts: the compare read every char of a path or address a second time, half of this table's cost. Two keys
 * sharing a hash (about 1 in 10^12 for a second's 2,000 keys, and the hash's seed changes with every process,
 * so a log line cannot be made to collide) would be counted as the first one seen.
 */
final class KeyCounter {
    private final int cap;
    private final int mask;
    private final String[] keys;
    private final long[] hashes;
    private final short[] series;
    private final int[] counts;
    private final int[] usedSlots; // in insertion order: clearing and freezing touch only these
    private int size;
    private boolean overflowed;

    KeyCounter(int cap) {
        this.cap = cap;
        int slots = Integer.highestOneBit(Math.max(4, cap) * 2 - 1) << 1; // power of two, load factor <= 0.5
        this.mask = slots - 1;
        this.keys = new String[slots];
        this.hashes = new long[slots];
        this.series = new short[slots];
        this.counts = new int[slots];
        this.usedSlots = new int[cap];
    }

    /** Counts one request for {@code key}, whose {@link io.proxywatch.record.TextHash} is {@code hash}. */
    void add(String key, long hash, int seriesIndex) {
        long h = hash + seriesIndex * 0x9E3779B97F4A7C15L;
        int slot = (int) (h ^ (h >>> 32)) & mask;
        while (true) {
            String k = keys[slot];
            if (k == null) {
                if (size == cap) {
                    overflowed = true;
                    return;
                }
                keys[slot] = key;
                hashes[slot] = hash;
                series[slot] = (short) seriesIndex;
                counts[slot] = 1;
                usedSlots[size++] = slot;
                return;
            }
            if (hashes[slot] == hash && series[slot] == seriesIndex) {
                counts[slot]++;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    /** The heaviest {@code keep} entries of the second just over, then empties the table for the next one. */
    SecondKeys freezeAndClear(int keep) {
        SecondKeys frozen;
        if (size == 0) {
            frozen = overflowed ? new SecondKeys(new String[0], new short[0], new int[0], true) : SecondKeys.EMPTY;
        } else {
            int n = Math.min(size, keep);
            int[] chosen = size <= keep ? usedSlots : heaviest(n);
            String[] k = new String[n];
            short[] s = new short[n];
            int[] c = new int[n];
            for (int i = 0; i < n; i++) {
                int slot = chosen[i];
                k[i] = keys[slot];
                s[i] = series[slot];
                c[i] = counts[slot];
            }
            frozen = new SecondKeys(k, s, c, overflowed || size > keep);
        }
        for (int i = 0; i < size; i++) {
            keys[usedSlots[i]] = null;
        }
        size = 0;
        overflowed = false;
        return frozen;
    }

    private int[] heaviest(int n) {
        // count in the high half, slot in the low half: one primitive sort, no boxing
        long[] packed = new long[size];
        for (int i = 0; i < size; i++) {
            int slot = usedSlots[i];
            packed[i] = ((long) counts[slot] << 32) | slot;
        }
        Arrays.sort(packed);
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            slots[i] = (int) packed[size - 1 - i];
        }
        return slots;
    }
}
