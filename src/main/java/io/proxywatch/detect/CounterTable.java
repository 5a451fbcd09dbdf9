package io.proxywatch.detect;

import java.util.Arrays;

/**
 * Sliding-window counters for up to {@code maxKeys} keys in one flat int array: no object, string or map entry
 * per key or per request, because this runs for every access line under every rate rule (a LinkedHashMap of
 * counters cost ~700 ns a line under an address spray, more than parsing the line). A key's hash, recency, head,
 * total and ten slots sit together in one 64-byte entry, so counting a request usually costs one or two cache
 * misses; with tens of thousands of clients the table outgrows the core's caches, and misses are the whole cost.
 *
 * <p>Keys are 64-bit hashes of the key text ({@link io.proxywatch.record.TextHash}; two keys sharing one is about
 * as likely as 1 in 10^9 at 100,000 keys).
 * Open addressing with linear probing; when the table holds {@code maxKeys} keys, a new key takes the place of the
 * least recently counted key among the entries it probes: an approximate LRU that keeps the busy keys (the ones
 * that can cross a limit). The array grows by doubling up to twice {@code maxKeys} rounded to a power of two, and
 * never beyond (the hard memory bound: 64 bytes an entry, 16.8 MB for the default 100,000 keys); a quiet proxy
 * does not pay for a table sized for a spray. (Rarely, when every probed entry is empty at the cap, a key is added
 * past it; the array still never grows.)
 *
 * <p>Most keys come once and never again inside a window (an address spray, one visitor's page views by path):
 * a doorkeeper bitset, small enough to stay in the core's cache, takes a key's first request of a window without
 * touching the table; the second one admits the key with a count of two. The doorkeeper is cleared at each window
 * boundary, so a key's first request after a clear is not added to counts it already holds: a burst is counted at
 * most one request short per window, and a key sharing a doorkeeper bit with another is admitted one request early.
 *
 * <p>Each key has eight slots of an eighth of the window: the count at the window's far edge may be off by at most
 * one slot's worth, the usual trade of a sliding window kept in fixed memory (eight, a power of two, so the ring
 * index is a mask, not a division). Time is whatever the caller passes (the request's own timestamp), so a log read
 * long after it was written still counts the bursts it had; a time older than the oldest slot is outside the window
 * and not counted. Slot numbers are kept relative to the first one seen, in an int. Not thread-safe.
 */
final class CounterTable {
    static final int SLOTS = 8;
    private static final int RING = SLOTS - 1;
    private static final int STRIDE = 16;
    private static final int KEY_LO = 0;
    private static final int KEY_HI = 1;
    private static final int TOUCHED = 2; // when last counted, in adds: what "least recently counted" compares
    private static final int HEAD = 3;    // newest slot, relative
    private static final int TOTAL = 4;
    private static final int FIRST_SLOT = 5;
    private static final int PROBES = 16;
    private static final long FAR = 1L << 30;

    private final int maxKeys;
    private final int maxCapacity;
    private int[] table;
    private int capacity;
    private int size;
    private int adds;
    private long base = Long.MIN_VALUE;
    private final long[] door;
    private final int doorMask;
    private long doorWindow = Long.MIN_VALUE; // which window the doorkeeper's bits belong to

    CounterTable(int maxKeys) {
        this.maxKeys = maxKeys;
        this.maxCapacity = Integer.highestOneBit(Math.max(PROBES, maxKeys - 1)) << 1;
        allocate(Math.min(1024, maxCapacity));
        int doorBits = Math.max(1 << 12, Math.min(1 << 20, maxCapacity * 4)); // 1 Mbit (128 KB) at the default
        this.door = new long[doorBits / 64];
        this.doorMask = doorBits - 1;
    }

    /** Counts one event for {@code key} in absolute slot {@code slot}; returns the key's count over the window. */
    int add(long key, long absoluteSlot) {
        if (key == 0) {
            key = 1;
        }
        if (base == Long.MIN_VALUE) {
            base = absoluteSlot;
        }
        // a timestamp decades off (a broken clock in the log) is pinned, not allowed to wrap the int
        int slot = (int) Math.max(-FAR, Math.min(FAR, absoluteSlot - base));
        long window = Math.floorDiv(absoluteSlot, SLOTS);
        if (window > doorWindow) {
            Arrays.fill(door, 0);
            doorWindow = window;
        }
        long bit = mix(key) >>> 40;
        int word = (int) (bit & doorMask) >>> 6;
        long mask = 1L << bit;
        if ((door[word] & mask) == 0) {
            door[word] |= mask;
            return 1; // the key's first request this window: not worth a table entry yet
        }
        int d = find(key);
        if (d < 0) {
            // the doorkeeper's request came in this doorkeeper window: the entry starts there at the earliest
            int start = (int) Math.max(slot, Math.max(-FAR, Math.min(FAR, doorWindow * SLOTS - base)));
            d = insert(key, start);
            data(d, start);
        }
        int[] t = table;
        t[d + TOUCHED] = ++adds;
        int head = t[d + HEAD];
        if (slot > head) {
            advance(d, head, slot);
        } else if (slot <= head - SLOTS) {
            return t[d + TOTAL]; // older than the window: not counted
        }
        t[d + FIRST_SLOT + (slot & RING)]++;
        return ++t[d + TOTAL];
    }

    /**
     * Reads the entry {@code key} would be found at first and returns what it read (for the caller to fold into a
     * sum the JIT cannot drop). Called for a whole chunk before counting it: these loads do not depend on each
     * other, so the core overlaps their cache misses, where the counting loop would wait for each one in turn. No
     * branch on the doorkeeper: a mispredicted one would throw away the loads issued after it, and a key it would
     * have turned away costs only a wasted read.
     */
    int warm(long key) {
        return table[((int) mix(key == 0 ? 1 : key) & (capacity - 1)) * STRIDE + KEY_LO];
    }

    /** Counts the request the doorkeeper took into a newly admitted key. */
    private void data(int d, int slot) {
        table[d + FIRST_SLOT + (slot & RING)] = 1;
        table[d + TOTAL] = 1;
    }

    int size() {
        return size;
    }

    /** The entry's offset in {@code table}, or -1. */
    private int find(long key) {
        int lo = (int) key;
        int hi = (int) (key >>> 32);
        int mask = capacity - 1;
        int i = (int) mix(key) & mask;
        for (int p = 0; p < PROBES; p++, i = (i + 1) & mask) {
            int d = i * STRIDE;
            int klo = table[d + KEY_LO];
            int khi = table[d + KEY_HI];
            if (klo == lo && khi == hi) {
                return d;
            }
            if (klo == 0 && khi == 0) {
                return -1;
            }
        }
        return -1;
    }

    private int insert(long key, int slot) {
        if (size >= capacity / 2 && capacity < maxCapacity) {
            grow();
        }
        while (true) {
            int mask = capacity - 1;
            int home = (int) mix(key) & mask;
            int oldest = -1;
            for (int p = 0, i = home; p < PROBES; p++, i = (i + 1) & mask) {
                int d = i * STRIDE;
                boolean empty = table[d + KEY_LO] == 0 && table[d + KEY_HI] == 0;
                if (empty && size < maxKeys) {
                    size++;
                    return claim(d, key, slot);
                }
                if (!empty && (oldest < 0 || table[d + TOUCHED] - table[oldest + TOUCHED] < 0)) {
                    oldest = d;
                }
            }
            if (size < maxKeys && capacity < maxCapacity) {
                grow(); // a crowded run below the cap: make room rather than drop a live key
                continue;
            }
            if (oldest < 0) { // every probed entry empty although the cap is reached: nothing near to evict
                oldest = home * STRIDE;
                size++;
            }
            return claim(oldest, key, slot);
        }
    }

    private int claim(int d, long key, int slot) {
        Arrays.fill(table, d, d + STRIDE, 0);
        table[d + KEY_LO] = (int) key;
        table[d + KEY_HI] = (int) (key >>> 32);
        table[d + HEAD] = slot;
        return d;
    }

    private void advance(int d, int head, int slot) {
        int[] t = table;
        if (slot - head >= SLOTS) {
            Arrays.fill(t, d + TOTAL, d + FIRST_SLOT + SLOTS, 0);
        } else {
            int total = t[d + TOTAL];
            for (int s = head + 1; s <= slot; s++) {
                int j = d + FIRST_SLOT + (s & RING);
                total -= t[j];
                t[j] = 0;
            }
            t[d + TOTAL] = total;
        }
        t[d + HEAD] = slot;
    }

    private void grow() {
        int[] old = table;
        int oldCapacity = capacity;
        allocate(capacity * 2);
        int mask = capacity - 1;
        for (int o = 0; o < oldCapacity; o++) {
            int od = o * STRIDE;
            if (old[od + KEY_LO] == 0 && old[od + KEY_HI] == 0) {
                continue;
            }
            long key = (old[od + KEY_LO] & 0xffffffffL) | ((long) old[od + KEY_HI] << 32);
            int i = (int) mix(key) & mask;
            while (table[i * STRIDE + KEY_LO] != 0 || table[i * STRIDE + KEY_HI] != 0) {
                i = (i + 1) & mask;
            }
            System.arraycopy(old, od, table, i * STRIDE, STRIDE);
        }
    }

    private void allocate(int newCapacity) {
        capacity = newCapacity;
        table = new int[newCapacity * STRIDE];
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
