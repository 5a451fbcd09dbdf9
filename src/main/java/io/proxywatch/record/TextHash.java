package io.proxywatch.record;

import java.security.SecureRandom;

/**
 * A 64-bit hash of a text, for the tables that count by client address or path (rate windows, top lists). It
 * takes four chars per step, so the chain of dependent multiplies is a quarter as long as String.hashCode's or
 * FNV's one per char (those were a tenth of detection's time), and ends with a full avalanche, so any bits of it
 * can index a table. Never 0: tables use 0 for an empty entry.
 *
 * <p>Seeded afresh by every process: tables that tell keys apart by this hash alone (the statistics' top lists,
 * the rate windows) then cannot be fed two texts made to collide, since nobody outside the process knows the seed.
 * So a hash must never be stored or shared beyond the process (shared rate windows go by the key text).
 */
public final class TextHash {
    private static final long SEED = new SecureRandom().nextLong() | 1;

    private TextHash() {
    }

    public static long of(String s) {
        int n = s.length();
        long h = SEED ^ 0x9E3779B97F4A7C15L * (n + 1);
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            long w = s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32
                    | (long) s.charAt(i + 3) << 48;
            h = Long.rotateLeft((h ^ w) * 0xC2B2AE3D27D4EB4FL, 31);
        }
        for (; i < n; i++) {
            h = Long.rotateLeft((h ^ s.charAt(i)) * 0xC2B2AE3D27D4EB4FL, 31);
        }
        h = mix(h);
        return h == 0 ? 1 : h;
    }

    /** A hash of two hashes together (a client and a path), as fully mixed as either. */
    public static long combine(long a, long b) {
        long h = mix(a * 0x9E3779B97F4A7C15L + b);
        return h == 0 ? 1 : h;
    }

    /** MurmurHash3's finaliser: every input bit flips each output bit with probability close to one half. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
