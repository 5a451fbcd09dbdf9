package io.proxywatch.health;

import java.util.HashMap;
import java.util.Map;

/**
 * Lines read per file path, kept monotonic for Prometheus. The tailer counts per followed file, and a rotation
 * puts two files under one path for a moment (the old one being finished, the new one from 0); when the old one is
 * released the sum for the path drops. Here a drop carries the difference into a base, so the path's counter
 * never goes backwards while the path is followed; a path no longer followed is forgotten (no unbounded label
 * growth), and if it comes back it is a new series. At most one scrape interval's lines may go uncounted at a
 * release. Not thread-safe: the scrape holds a lock.
 */
final class PathTotals {
    private final Map<String, long[]> byPath = new HashMap<>(); // path -> {base, last sum}

    /** The counter for each path in {@code sums} (the tailer's lines read per path right now). */
    Map<String, Long> update(Map<String, Long> sums) {
        byPath.keySet().retainAll(sums.keySet());
        Map<String, Long> out = new HashMap<>();
        sums.forEach((path, sum) -> {
            long[] s = byPath.computeIfAbsent(path, p -> new long[] {0, sum});
            if (sum < s[1]) {
                s[0] += s[1] - sum;
            }
            s[1] = sum;
            out.put(path, s[0] + sum);
        });
        return out;
    }
}
