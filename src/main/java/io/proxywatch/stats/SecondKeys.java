package io.proxywatch.stats;

import java.util.Map;

/**
 * The keys of one kind a second counted once it is over: the heaviest ones, as parallel arrays.
 * {@code approximate} says keys were left out (over the per-second cap, or beyond the ones kept).
 */
final class SecondKeys {
    static final SecondKeys EMPTY = new SecondKeys(new String[0], new short[0], new int[0], false);

    private final String[] keys;
    private final short[] series;
    private final int[] counts;
    final boolean approximate;

    SecondKeys(String[] keys, short[] series, int[] counts, boolean approximate) {
        this.keys = keys;
        this.series = series;
        this.counts = counts;
        this.approximate = approximate;
    }

    /** Adds this second's counts for {@code seriesIndex}, or for every series when it is 0 (everything). */
    void addTo(Map<String, long[]> target, int seriesIndex) {
        for (int i = 0; i < keys.length; i++) {
            if (seriesIndex == 0 || series[i] == seriesIndex) {
                target.computeIfAbsent(keys[i], k -> new long[1])[0] += counts[i];
            }
        }
    }

    int size() {
        return keys.length;
    }
}
