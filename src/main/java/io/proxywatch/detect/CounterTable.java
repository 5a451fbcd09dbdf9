package io.proxywatch.detect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Sliding-window counters for up to {@code maxKeys} keys in one flat table of longs: no object, string or map entry
 * per key or per request, because this runs for every access line under every rate rule (a LinkedHashMap of
 * counters cost ~700 ns a line under an address spray, more than parsing the line). A key's hash, recency, head
 * and eight slot counts sit together in one 32-byte entry, half a cache line, so counting a request usually costs
 * one cache miss; with tens of thousands of clients the table outgrows the core's caches, and misses are the whole
 * cost. The key's count over the window is the sum of its slots, added in two 64-bit words (four 16-bit lanes
 * each) rather than kept: a stored total would not fit the entry, and the sum reads no other line.
 *
 * <p>The entries live outside the Java heap, in a direct buffer aligned to a cache line: they are primitive,
 * long-lived and up to 8.4 MB a rule, which in a heap of 64 MB (issue 7's {@code -Xmx64m}) left G1 an eden of one
 * or two regions, so every request in flight was copied to the old generation and collected there; off the heap
 * they cost the collector nothing. Direct memory is limited too ({@code -XX:MaxDirectMemorySize}, the heap's maximum
 * by default) and file and socket I/O borrow from it: the tables grow only while all direct buffers stay within
 * three quarters of it, and a table that may not grow (or that the JVM refuses) keeps at most half as many keys as
 * it has entries and evicts beyond that, with one warning.
 *
 * <p>Keys are 64-bit hashes of the key text ({@link io.proxywatch.record.TextHash}; two keys sharing one is about
 * as likely as 1 in 10^9 at 100,000 keys).
 * Open addressing with linear probing. The table grows by doubling, at half full, up to twice {@code maxKeys}
 * rounded up to a power of two, and never beyond (the hard memory bound: 32 bytes an entry, 8.4 MB for the default
 * 100,000 keys), so even at the cap a key is found in a probe or two: a bulk read of a busy log keeps the
 * {@code ip_path} table at its cap, and walking long runs of full entries to insert new keys was 14% of the
 * tailer's time. A quiet proxy does not pay for a table sized for a spray. At the cap a new key evicts the least
 * recently counted of the eight keys from its home entry on (a sampled LRU that keeps the busy keys, the ones that
 * can cross a limit); an evicted key's entry is emptied by moving back the keys after it in its run, not marked with
 * a tombstone, so a look-up of a new key still stops at the first free entry however long the spray has gone on.
 *
 * <p>Most keys come once and never again inside a window (an address spray, one visitor's page views by path):
 * a doorkeeper bitset, small enough to stay in the core's cache, takes the first request of a window of a key the
 * table does not hold; the second one admits the key with a count of two. A key the table holds is counted there
 * straight away. The doorkeeper is cleared at each window boundary, so a key whose first two requests straddle one
 * is admitted a request short, and a key sharing a doorkeeper bit with another is admitted one request early.
 *
 * <p>Each key has eight slots of an eighth of the window: the count at the window's far edge may be off by at most
 * one slot's worth, the usual trade of a sliding window kept in fixed memory (eight, a power of two, so the ring
 * index is a mask, not a division). A slot counts up to 65,535 requests and then stays there, so a count is at
 * most {@link #MAX_COUNT} ({@link RateRule} limits stay below it). Time is whatever the caller passes (the request's
 * own timestamp), so a log read long after it was written still counts the bursts it had; a time older than the
 * oldest slot is outside the window and not counted, unless so many requests in a row are that the log's time has
 * gone back (see {@link #followTime}). Slot numbers are kept relative to the first one seen, in an int. Not
 * thread-safe.
 */
final class CounterTable {
    static final int SLOTS = 8;
    /** The highest count a key can reach: every slot full. */
    static final int MAX_COUNT = SLOTS * 0xffff;
    private static final int RING = SLOTS - 1;
    private static final int STRIDE = 4;     // longs an entry
    private static final int KEY = 0;        // the key's hash; 0 for an empty entry
    private static final int META = 1;      // when last counted, in adds (high int), and the newest slot, relative (low)
    private static final int COUNTS = 2;    // slots 0-3 then 4-7, 16 bits each
    private static final long LANES = 0x0000ffff0000ffffL;
    private static final int CACHE_LINE = 64;
    private static final int PROBES = 16;
    /** Keys an eviction picks the least recently counted from (sampled LRU). */
    private static final int SAMPLE = 8;
    private static final long FAR = 1L << 30;
    /** Requests in a row too old for the window that tell the log's time went back rather than one line was late. */
    static final int STEP_BACK_RUN = 64;
    private static final Logger LOG = LoggerFactory.getLogger(CounterTable.class);

    private int maxKeys;     // lowered, with maxCapacity, when the table may not grow
    private int maxCapacity;
    private LongBuffer table;
    private int capacity;
    private int size;
    private int adds;
    private long base = Long.MIN_VALUE;
    private long[] door;
    private int doorMask;
    private long doorWindow = Long.MIN_VALUE; // which window the doorkeeper's bits belong to
    private int newest;     // the slot of the newest request, relative: the table's time
    private int staleRun;   // requests in a row older than the newest one's window
    private boolean steppedBackBefore; // warned once

    CounterTable(int maxKeys) {
        this.maxKeys = maxKeys;
        this.maxCapacity = maxCapacity(maxKeys);
        this.table = allocate(Math.min(1024, maxCapacity));
        this.capacity = Math.min(1024, maxCapacity);
        sizeDoor();
    }

    /** A doorkeeper for {@link #maxCapacity}: 1 Mbit (128 KB) at the default 100,000 keys, emptied. */
    private void sizeDoor() {
        int doorBits = Math.max(1 << 12, Math.min(1 << 20, maxCapacity * 4));
        if (door == null || door.length != doorBits / 64) {
            door = new long[doorBits / 64];
            doorMask = doorBits - 1;
            doorWindow = Long.MIN_VALUE; // a key's first request this window is forgotten: counted a request short
        }
    }

    /** Entries at most for {@code maxKeys} keys: twice as many, rounded up to a power of two. */
    private static int maxCapacity(int maxKeys) {
        return Integer.highestOneBit(Math.max(PROBES, maxKeys - 1)) << 2;
    }

    /**
     * Holds at most {@code maxKeys} keys from now on, keeping the counts held: a rules edit of {@code max-keys}
     * must not lose the windows. Fewer keys than held keep the most recently counted ones, in a table sized for the
     * new cap.
     */
    void setMaxKeys(int maxKeys) {
        int cap = maxCapacity(maxKeys);
        this.maxKeys = maxKeys;
        this.maxCapacity = cap;
        sizeDoor();
        if (capacity > cap || size > maxKeys) {
            try {
                int entries = Math.min(capacity, cap);
                moveInto(allocate(entries), entries, maxKeys);
            } catch (OutOfMemoryError e) {
                // the table as it is: new keys evict old ones until it is down to the new cap
                LOG.warn("a rate window's table could not be rebuilt for max-keys {} ({}): it keeps its {} keys and "
                        + "evicts one for each new key", maxKeys, e.getMessage(), size);
            }
        }
    }

    /**
     * Moves the keys into {@code into}, a new table of {@code entries} entries: the {@code keep} most recently
     * counted when there are more. A key with no free entry within its {@link #PROBES} is left out, as
     * {@link #insert} would evict rather than put it further: a look-up would never reach it.
     */
    private void moveInto(LongBuffer into, int entries, int keep) {
        long[] byAge = new long[size]; // age in adds (high half), then the entry's offset
        int n = 0;
        for (int e = 0; e < capacity; e++) {
            int d = e * STRIDE;
            if (table.get(d + KEY) != 0) {
                byAge[n++] = (long) (adds - touched(d)) << 32 | d;
            }
        }
        if (n > keep) {
            Arrays.sort(byAge, 0, n);
        }
        LongBuffer old = table;
        int mask = entries - 1;
        int kept = 0;
        for (int k = 0; k < n && kept < keep; k++) {
            int od = (int) byAge[k];
            int i = (int) mix(old.get(od + KEY)) & mask;
            int p = 0;
            while (p < PROBES && into.get(i * STRIDE + KEY) != 0) {
                i = (i + 1) & mask;
                p++;
            }
            if (p < PROBES) {
                copyEntry(old, od, into, i * STRIDE);
                kept++;
            }
        }
        table = into;
        capacity = entries;
        size = kept;
    }

    private static void copyEntry(LongBuffer from, int fromOffset, LongBuffer to, int toOffset) {
        for (int w = 0; w < STRIDE; w++) {
            to.put(toOffset + w, from.get(fromOffset + w));
        }
    }

    /** Counts one event for {@code key} in absolute slot {@code slot}; returns the key's count over the window. */
    int add(long key, long absoluteSlot) {
        key = stored(key);
        if (base == Long.MIN_VALUE) {
            base = absoluteSlot;
        }
        // a timestamp decades off (a broken clock in the log) is pinned, not allowed to wrap the int
        int slot = (int) Math.max(-FAR, Math.min(FAR, absoluteSlot - base));
        long window = Math.floorDiv(absoluteSlot, SLOTS);
        boolean steppedBack = followTime(slot);
        if (window > doorWindow || steppedBack) {
            Arrays.fill(door, 0);
            doorWindow = window;
        }
        long h = mix(key);
        int d = find(key, h);
        if (d < 0) {
            long bit = h >>> 40;
            int word = (int) (bit & doorMask) >>> 6;
            long mask = 1L << bit;
            if ((door[word] & mask) == 0) {
                door[word] |= mask;
                return 1; // the key's first request this window: not worth a table entry yet
            }
            // the doorkeeper's request came in this doorkeeper window: the entry starts there at the earliest
            int start = (int) Math.max(slot, Math.max(-FAR, Math.min(FAR, doorWindow * SLOTS - base)));
            d = insert(key, h, start);
            bump(d, start); // the request the doorkeeper took
        }
        // the entry's three words are read once and written once: each access to the direct buffer is checked
        LongBuffer t = table;
        int head = (int) t.get(d + META);
        long a = t.get(d + COUNTS);
        long b = t.get(d + COUNTS + 1);
        if (head > newest && slot <= head - SLOTS) {
            // counted last before the log's time went back (ahead of the table's time now): the key starts over
            a = 0;
            b = 0;
            head = slot;
        } else if (slot > head) {
            int ring = passedRing(head, slot);
            a &= ~LANE_MASKS[ring & 0xf];
            b &= ~LANE_MASKS[ring >>> 4];
            head = slot;
        }
        t.put(d + META, (long) ++adds << 32 | (head & 0xffffffffL));
        if (slot > head - SLOTS) { // else older than the window: not counted
            int shift = laneShift(slot);
            if ((slot & RING) < 4) {
                a = bumped(a, shift);
            } else {
                b = bumped(b, shift);
            }
        }
        t.put(d + COUNTS, a);
        t.put(d + COUNTS + 1, b);
        return count(a, b);
    }

    /**
     * Moves the table's time to {@code slot} when it is newer; returns true when the log's time has gone back: a
     * run of {@link #STEP_BACK_RUN} requests in a row older than the newest one's window (a clock stepped back, a
     * daylight-saving hour repeated in local-time lines, or the requests after one line stamped far in the future).
     * The table's time then restarts there and each key counted since starts over when next seen; before, those
     * requests were all too old to count and the window stayed blind until the log's time caught up, for new keys
     * forever after a single line from the future. A lone late line (a long request logged with its start time)
     * is not counted, as before, and restarts nothing.
     */
    private boolean followTime(int slot) {
        if (slot > newest) {
            newest = slot;
            staleRun = 0;
            return false;
        }
        if (slot > newest - SLOTS) {
            staleRun = 0;
            return false;
        }
        if (++staleRun < STEP_BACK_RUN) {
            return false;
        }
        if (!steppedBackBefore) {
            steppedBackBefore = true;
            LOG.warn("a rate window's requests went back in time by {} slots, {} in a row (the log's clock stepped "
                    + "back?): counting restarts from their time", newest - slot, STEP_BACK_RUN);
        }
        newest = slot;
        staleRun = 0;
        return true;
    }

    /**
     * Reads the entry {@code key} would be found at first and returns what it read (for the caller to fold into a
     * sum the JIT cannot drop). Called for a whole chunk before counting it: these loads do not depend on each
     * other, so the core overlaps their cache misses, where the counting loop would wait for each one in turn.
     * Every key is looked for in the table before the doorkeeper, so each of these reads is one {@link #add} makes.
     */
    int warm(long key) {
        return (int) table.get(((int) mix(stored(key)) & (capacity - 1)) * STRIDE + KEY);
    }

    /** The key as the table stores it: 0 marks a free entry, so that key moves up by one. */
    private static long stored(long key) {
        return key == 0 ? 1 : key;
    }

    int size() {
        return size;
    }

    /** Entries (for tests). */
    int capacity() {
        return capacity;
    }

    /** Whether every key is found by a look-up: no free entry between its home and itself (for tests). */
    boolean allKeysFound() {
        for (int e = 0; e < capacity; e++) {
            long k = table.get(e * STRIDE + KEY);
            if (k != 0 && find(k, mix(k)) != e * STRIDE) {
                return false;
            }
        }
        return true;
    }

    /** Entries a look-up stops at (for tests). */
    int freeEntries() {
        int free = 0;
        for (int e = 0; e < capacity; e++) {
            free += table.get(e * STRIDE + KEY) == 0 ? 1 : 0;
        }
        return free;
    }

    /** One more request in the entry's slot, unless the slot is full. */
    private void bump(int d, int slot) {
        int j = d + laneWord(slot);
        table.put(j, bumped(table.get(j), laneShift(slot)));
    }

    /** {@code word} with one more in the lane at {@code shift}, unless that lane is full. */
    private static long bumped(long word, int shift) {
        return (word >>> shift & 0xffff) != 0xffff ? word + (1L << shift) : word;
    }

    /** Where in an entry a slot's count is: the word (slots 0-3, then 4-7) ... */
    private static int laneWord(int slot) {
        return COUNTS + ((slot & RING) >>> 2);
    }

    /** ... and the shift of its 16 bits in that word. */
    private static int laneShift(int slot) {
        return (slot & 3) << 4;
    }

    /** The count over the window of an entry whose two words of slots are {@code a} and {@code b}. */
    private static int count(long a, long b) {
        long s = (a & LANES) + (a >>> 16 & LANES) + (b & LANES) + (b >>> 16 & LANES); // two sums of four lanes
        return (int) s + (int) (s >>> 32);
    }

    /** The entry's offset in {@code table}, or -1; {@code h} is {@code mix(key)}. */
    private int find(long key, long h) {
        int mask = capacity - 1;
        int i = (int) h & mask;
        for (int p = 0; p < PROBES; p++, i = (i + 1) & mask) {
            int d = i * STRIDE;
            long k = table.get(d + KEY);
            if (k == key) {
                return d;
            }
            if (k == 0) {
                return -1;
            }
        }
        return -1;
    }

    /** Adds {@code key}, whose {@link #mix} is {@code h}; returns its entry. */
    private int insert(long key, long h, int slot) {
        if (size >= capacity / 2 && capacity < maxCapacity) {
            grow();
        }
        while (true) {
            int mask = capacity - 1;
            int home = (int) h & mask;
            if (size < maxKeys) {
                for (int p = 0, i = home; p < PROBES; p++, i = (i + 1) & mask) {
                    int d = i * STRIDE;
                    if (table.get(d + KEY) == 0) {
                        size++;
                        return claim(d, key, slot);
                    }
                }
                if (capacity < maxCapacity) {
                    grow(); // a crowded run below the cap: make room rather than drop a live key
                    continue;
                }
            }
            return evictFor(home, key, slot);
        }
    }

    /**
     * Makes room for {@code key} at the cap (or in a full run at the largest size): the least recently counted of
     * the {@link #SAMPLE} keys from {@code home} on gives way. One within the new key's probes with no free entry
     * before it is replaced in place; otherwise it is removed and the new key takes the first free entry.
     */
    private int evictFor(int home, long key, int slot) {
        int mask = capacity - 1;
        int oldest = -1;
        int oldestAt = 0;
        int firstFree = -1;
        int firstFreeAt = 0;
        for (int n = 0, seen = 0; seen < SAMPLE && n < capacity; n++) {
            int d = ((home + n) & mask) * STRIDE;
            if (table.get(d + KEY) == 0) {
                if (firstFree < 0 && n < PROBES) {
                    firstFree = d;
                    firstFreeAt = n;
                }
                continue;
            }
            seen++;
            if (oldest < 0 || touched(d) - touched(oldest) < 0) {
                oldest = d;
                oldestAt = n;
            }
        }
        if (oldest < 0) { // no key at all
            size++;
            return claim(firstFree, key, slot);
        }
        // in place only when no free entry comes before it: a look-up stops at an empty entry, so a key put past
        // one would never be found again, and each of its requests would be admitted afresh with a count of two
        if (oldestAt < PROBES && (firstFree < 0 || oldestAt < firstFreeAt)) {
            return claim(oldest, key, slot);
        }
        // a free entry comes first (when the oldest is past the probes, fewer than SAMPLE keys filled them, so one
        // did): removing the oldest moves only entries after it, so that free entry is still there
        remove(oldest);
        return claim(firstFree, key, slot);
    }

    /**
     * Empties the entry at {@code d} and moves back each later key of its run that may sit nearer its home, so
     * that no run has a hole a look-up would stop at (deletion without tombstones, for linear probing): a marker
     * left in place would be stepped over by look-ups, and a spray at the cap turned every free entry into one,
     * after which each look-up of a new key walked all its probes (eight cache lines) to find nothing.
     */
    private void remove(int d) {
        LongBuffer t = table;
        int mask = capacity - 1;
        int hole = d / STRIDE;
        for (int i = (hole + 1) & mask; ; i = (i + 1) & mask) {
            long k = t.get(i * STRIDE + KEY);
            if (k == 0) {
                break;
            }
            int home = (int) mix(k) & mask;
            // the key at i may fill the hole unless its home lies after the hole, up to i (round the ring)
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                copyEntry(t, i * STRIDE, t, hole * STRIDE);
                hole = i;
            }
        }
        t.put(hole * STRIDE + KEY, 0);
    }

    /** When the entry was last counted, in adds. */
    private int touched(int d) {
        return (int) (table.get(d + META) >>> 32);
    }

    private int claim(int d, long key, int slot) {
        LongBuffer t = table;
        t.put(d + KEY, key);
        t.put(d + META, (long) adds << 32 | (slot & 0xffffffffL));
        t.put(d + COUNTS, 0);
        t.put(d + COUNTS + 1, 0);
        return d;
    }

    /**
     * The ring positions of the slots after {@code head} up to {@code slot}, as eight bits: they now count a new
     * stretch of time, and are emptied with one mask per word, not slot by slot (a key seen again after a few
     * slots was one read-modify-write per slot passed, 5% of counting).
     */
    private static int passedRing(int head, int slot) {
        int passed = slot - head;
        if (passed >= SLOTS) {
            return 0xff;
        }
        int run = (1 << passed) - 1;                  // that many positions ...
        int from = (head + 1) & RING;                 // ... from the one after head, round the ring
        return (run << from | run >>> (SLOTS - from)) & 0xff;
    }

    /** For each set of four lanes (a bit each), the mask of their 16 bits in a word. */
    private static final long[] LANE_MASKS = new long[16];

    static {
        for (int m = 0; m < 16; m++) {
            for (int lane = 0; lane < 4; lane++) {
                if ((m & 1 << lane) != 0) {
                    LANE_MASKS[m] |= 0xffffL << (lane << 4);
                }
            }
        }
    }

    private void grow() {
        long more = (long) capacity * STRIDE * Long.BYTES; // doubling adds as many bytes as the table has
        LongBuffer bigger = null;
        String why;
        if (directInUse() + more > maxDirectMemory() / 4 * 3) {
            why = "direct memory is three quarters used";
        } else {
            try {
                bigger = allocate(capacity * 2);
                why = null;
            } catch (OutOfMemoryError e) {
                why = e.getMessage();
            }
        }
        if (bigger == null) {
            // counting goes on in the table as it is: at most half full, so that new keys evict rather than crowd
            maxCapacity = capacity;
            maxKeys = Math.min(maxKeys, capacity / 2);
            LOG.warn("a rate window's table cannot grow past {} entries ({}): it keeps at most {} keys and evicts the "
                    + "least recently counted beyond that", capacity, why, maxKeys);
            return;
        }
        moveInto(bigger, capacity * 2, Integer.MAX_VALUE);
    }

    /** Bytes of every direct buffer of the JVM, ours and the JDK's, whether still used or not yet collected. */
    private static long directInUse() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    /** -XX:MaxDirectMemorySize, or the heap's maximum when it is not set (the JVM's own rule). */
    private static long maxDirectMemory() {
        try {
            String v = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxDirectMemorySize").getValue();
            long set = Long.parseLong(v);
            if (set > 0) {
                return set;
            }
        } catch (RuntimeException e) {
            // not HotSpot: the default rule
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** Zeroed entries, each in one half of a cache line. */
    private static LongBuffer allocate(int entries) {
        return ByteBuffer.allocateDirect(entries * STRIDE * Long.BYTES + CACHE_LINE).alignedSlice(CACHE_LINE)
                .order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
