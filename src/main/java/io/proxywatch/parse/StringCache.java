package io.proxywatch.parse;

/**
 * Hands out one String per distinct short text for values that repeat on almost every line (method, service, user
 * agent, referer, extra keys), so a record holds a shared String instead of a fresh copy per line: less to allocate
 * and to collect while the records of a chunk wait for the level files.
 *
 * <p>Direct-mapped and lossy: a slot holds the last text that hashed to it, so memory stays fixed however many
 * distinct values pass. Safe to share between threads without locks: a slot holds an immutable String or null, and
 * a racing reader at worst misses and makes its own copy.
 */
final class StringCache {
    private static final int SLOT_BITS = 10;
    private static final int SLOTS = 1 << SLOT_BITS;
    /** Longer texts are rarely repeated exactly and cost more to hash than to copy. */
    private static final int MAX_LENGTH = 160;

    private final String[] slots = new String[SLOTS];

    /** {@code s.substring(from, to)}, or an equal String handed out before. */
    String get(String s, int from, int to) {
        int len = to - from;
        if (len > MAX_LENGTH) {
            return s.substring(from, to);
        }
        int slot = len == 0 ? 0 : slot(s, from, len);
        String cached = slots[slot];
        if (cached != null && cached.length() == len && s.startsWith(cached, from)) {
            return cached;
        }
        String fresh = s.substring(from, to);
        slots[slot] = fresh;
        return fresh;
    }

    /**
     * A hash of the length and five sampled chars, not of every char: the hit check compares the whole text
     * anyway, and two values that share length and samples only take turns in a slot.
     */
    private static int slot(String s, int from, int len) {
        int last = from + len - 1;
        int h = len;
        h = 31 * h + s.charAt(from);
        h = 31 * h + s.charAt(from + len / 4);
        h = 31 * h + s.charAt(from + len / 2);
        h = 31 * h + s.charAt(last - len / 4);
        h = 31 * h + s.charAt(last);
        h *= 0x9E3779B9;
        return h >>> (32 - SLOT_BITS); // the top bits, the best mixed by the multiply
    }
}
