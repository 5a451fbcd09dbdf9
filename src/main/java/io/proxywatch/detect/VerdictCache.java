package io.proxywatch.detect;

/**
 * The last verdicts for one field's values, so a value seen again (the same few user agents, referers and paths make
 * up most of a log) skips normalising and scanning. A verdict is a pure function of the value and the rules (never of
 * the record: which findings an exception drops is decided after, see {@link Verdict}), and each detector has its own
 * cache, so a hit gives exactly what checking again would.
 *
 * <p>Two-way: a value may sit in either of a pair of slots, so two frequent values that hash alike do not keep
 * evicting each other (with one slot, {@code /api/orders} and {@code /static/site.css} did, on every other line); a
 * new value takes a free slot of its pair, or else the first slot, whose old value moves to the second. Lock-free
 * and safe under races: a slot holds an immutable entry (final fields, so a reader on another thread sees it whole)
 * replaced by a plain store; a reader compares the key itself, so a lost or stale write only costs a miss.
 */
final class VerdictCache {

    /**
     * Slots for user agents, referers and queries at a small heap. On the corpus's real access log (1,368 distinct
     * paths, 558 user agents, 628 referers in 10,000 lines), 256 slots missed 31% of paths and 8-13% of the rest;
     * 1,024 miss 16% and 4-6%, and checking and counting a real line took 25-60% less in two interleaved pairs
     * (BENCHMARKS.md, session 18).
     */
    static final int SLOTS = 1024;
    /**
     * Slots for paths at a small heap: a site's working set of paths is larger than of its clients' agents. At 1,024
     * the real log's paths still missed on 13% of lines once warm, each miss normalised and scanned (session 20).
     */
    static final int PATH_SLOTS = 4096;
    /**
     * How many times more slots a cache has when the heap is over {@link #LARGE_HEAP}. With two slots a value, the
     * real log's values still missed once warm at the sizes above (user agents 1.5% of lines, referers 3.0%, paths
     * 1.8%: values that share a slot pair with two others), each miss normalised and scanned; at four times the
     * slots 0.1%, 0.3% and 0.2%, and checking a real line's signatures took 137-172 ns instead of 216-303, the two
     * sizes measured in one JVM (session 26).
     */
    static final int LARGE_HEAP_SCALE = 4;
    /**
     * Above this heap, as the JVM reports it, the caches are larger: from -Xmx256m whatever survivor space a collector
     * leaves out (parallel and serial report 245.5 and 247.5 MiB), and from any -Xmx over 192 MiB under G1.
     */
    static final long LARGE_HEAP = 192L << 20;
    /**
     * Longer values are not kept: rarely repeated, and this bounds the text a cache holds to slots x MAX_CHARS
     * characters: at a small heap 512 KB of Latin-1 for 1,024 slots, 2 MB for the paths' 4,096, 3.5 MB for a
     * detector's four fields, as much as a 64 MB heap can spare; four times that (14 MB) over {@link #LARGE_HEAP}.
     */
    private static final int MAX_CHARS = 512;

    /** The cache for one field's values at a heap of {@code maxHeapBytes}: paths have more slots. */
    static VerdictCache forField(boolean path, long maxHeapBytes) {
        int slots = path ? PATH_SLOTS : SLOTS;
        return new VerdictCache(maxHeapBytes > LARGE_HEAP ? slots * LARGE_HEAP_SCALE : slots);
    }

    /**
     * What one value of a field matched: {@code best}, the most severe rule matched that no exception names (a rule
     * index, -1: none), and {@code named}, the rules matched that some exception names and that would beat
     * {@code best} (a set of rule indices; null: none, as for nearly every value). Whether a named rule's finding is
     * dropped depends on the record (its path, its service), so the verdict keeps every one that could win: keeping
     * only the best would lose the rule to report when an exception drops the best on one record and not on the next.
     */
    record Verdict(String value, int best, long[] named) {
    }

    private final Verdict[] slots;
    private final int shift; // 32 - log2(slots)

    /** With {@code slots} slots, a power of two. */
    VerdictCache(int slots) {
        if (Integer.bitCount(slots) != 1 || slots < 2) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.slots = new Verdict[slots];
        this.shift = 32 - Integer.numberOfTrailingZeros(slots);
    }

    /**
     * The verdict stored for {@code value}, whose hash (any hash that equal values share; values crafted to share
     * one only take turns in a slot pair) is {@code hash}, or null.
     */
    Verdict get(String value, int hash) {
        if (value.length() > MAX_CHARS) {
            return null;
        }
        int i = slot(hash);
        Verdict e = slots[i];
        if (e != null && e.value().equals(value)) {
            return e;
        }
        e = slots[i ^ 1];
        return e != null && e.value().equals(value) ? e : null;
    }

    /** Keeps {@code verdict} for its value; {@code hash} as given to {@link #get}. */
    void put(int hash, Verdict verdict) {
        if (verdict.value().length() > MAX_CHARS) {
            return;
        }
        int i = slot(hash);
        Verdict first = slots[i];
        if (first != null && slots[i ^ 1] == null) {
            i ^= 1;
        } else if (first != null) {
            slots[i ^ 1] = first;
        }
        slots[i] = verdict;
    }

    /** Slots (for tests). */
    int capacity() {
        return slots.length;
    }

    /**
     * The pair of slots (this one and its neighbour) for a hash: the top bits of its product with the golden ratio.
     * Folding the hash's halves together instead left values that differ in a number (a search term, a page id) in
     * fewer pairs than there were: 15 of 627 such referers missed at 4,096 slots, against 0 now.
     */
    private int slot(int h) {
        return (h * 0x9E3779B9) >>> shift;
    }
}
