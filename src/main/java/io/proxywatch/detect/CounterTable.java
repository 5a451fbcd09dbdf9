package io.proxywatch.detect;

import java.util.Arrays;

/**
 * Sliding-window counters for up to {@code maxKeys} keys in flat arrays: no object, string or map entry per key
 * or per request, because this runs for every access line under every rate rule (a LinkedHashMap of counters cost
 * ~700 ns a line under an address spray, more than parsing the line). A key's head, total and ten slots sit
 * together in one 48-byte run of {@code data}, so counting a request touches two cache lines, not six.
 *
 * <p>Keys are 64-bit hashes of the key text (two keys sharing one is about as likely as 1 in 10^9 at 100,000 keys).
 * Open addressing with linear probing; when the table holds {@code maxKeys} keys, a new key takes the place of the
 * least recently counted key among the slots it probes: an approximate LRU that keeps the busy keys (the ones that
 * can cross a limit). The arrays grow by doubling up to twice {@code maxKeys} rounded to a power of two, and never
 * beyond (the hard memory bound: 60 bytes a slot, 15.7 MB for the default 100,000 keys); a quiet proxy does not pay
 * for a table sized for a spray. (Rarely, when every probed slot is empty at the cap, a key is added past it; the
 * arrays still never grow.)
 *
 * <p>Each key has ten slots of a tenth of the window, as {@link SlidingCounter} describes; slot numbers are kept
 * relative to the first one seen, in an int. Not thread-safe.
 */
final class CounterTable {
    private static final int SLOTS = SlidingCounter.SLOTS;
    private static final int STRIDE = SLOTS + 2; // head, total, slots
    private static final int PROBES = 16;
    private static final long FAR = 1L << 30;

    private final int maxKeys;
    private final int maxCapacity;
    private long[] keys;    // 0 = empty
    private int[] touched;  // when each key was last counted, in adds: what "least recently counted" compares
    private int[] data;     // per key: head (relative slot), total, SLOTS counts
    private int size;
    private int adds;
    private long evicted;
    private long base = Long.MIN_VALUE;

    CounterTable(int maxKeys) {
        this.maxKeys = maxKeys;
        this.maxCapacity = Integer.highestOneBit(Math.max(PROBES, maxKeys - 1)) << 1;
        allocate(Math.min(1024, maxCapacity));
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
        int i = find(key);
        if (i < 0) {
            i = insert(key, slot);
        }
        touched[i] = ++adds;
        int d = i * STRIDE;
        int head = data[d];
        if (slot > head) {
            advance(d, head, slot);
        } else if (slot <= head - SLOTS) {
            return data[d + 1]; // older than the window: not counted
        }
        data[d + 2 + Math.floorMod(slot, SLOTS)]++;
        return ++data[d + 1];
    }

    int size() {
        return size;
    }

    long evicted() {
        return evicted;
    }

    private int find(long key) {
        int mask = keys.length - 1;
        int i = (int) mix(key) & mask;
        for (int p = 0; p < PROBES; p++, i = (i + 1) & mask) {
            if (keys[i] == key) {
                return i;
            }
            if (keys[i] == 0) {
                return -1;
            }
        }
        return -1;
    }

    private int insert(long key, int slot) {
        if (size >= keys.length / 2 && keys.length < maxCapacity) {
            grow();
        }
        int mask = keys.length - 1;
        int home = (int) mix(key) & mask;
        int oldest = -1;
        for (int p = 0, i = home; p < PROBES; p++, i = (i + 1) & mask) {
            if (keys[i] == 0 && size < maxKeys) {
                size++;
                return claim(i, key, slot);
            }
            if (keys[i] != 0 && (oldest < 0 || touched[i] - touched[oldest] < 0)) {
                oldest = i;
            }
        }
        if (oldest < 0) { // every probed slot empty although the cap is reached: nothing near to evict
            oldest = home;
            size++;
        } else {
            evicted++;
        }
        return claim(oldest, key, slot);
    }

    private int claim(int i, long key, int slot) {
        keys[i] = key;
        int d = i * STRIDE;
        Arrays.fill(data, d, d + STRIDE, 0);
        data[d] = slot;
        return i;
    }

    private void advance(int d, int head, int slot) {
        if (slot - head >= SLOTS) {
            Arrays.fill(data, d + 1, d + STRIDE, 0);
        } else {
            for (int s = head + 1; s <= slot; s++) {
                int j = d + 2 + Math.floorMod(s, SLOTS);
                data[d + 1] -= data[j];
                data[j] = 0;
            }
        }
        data[d] = slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldTouched = touched;
        int[] oldData = data;
        allocate(oldKeys.length * 2);
        int mask = keys.length - 1;
        for (int o = 0; o < oldKeys.length; o++) {
            if (oldKeys[o] == 0) {
                continue;
            }
            int i = (int) mix(oldKeys[o]) & mask;
            while (keys[i] != 0) {
                i = (i + 1) & mask;
            }
            keys[i] = oldKeys[o];
            touched[i] = oldTouched[o];
            System.arraycopy(oldData, o * STRIDE, data, i * STRIDE, STRIDE);
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        touched = new int[capacity];
        data = new int[capacity * STRIDE];
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** A 64-bit hash of {@code s} (FNV-1a over its chars), for use as a key. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The hash of {@code a + ' ' + b} without building that string. */
    static long hash(String a, String b) {
        long h = hash(a);
        h ^= ' ';
        h *= 0x100000001b3L;
        for (int i = 0; i < b.length(); i++) {
            h ^= b.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
