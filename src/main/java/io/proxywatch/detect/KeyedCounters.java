package io.proxywatch.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sliding counter per key, at most {@code maxKeys} of them: the least recently seen key is dropped first, so
 * a spray of a million addresses costs the same memory as a hundred thousand, and the busy keys (the ones that
 * can cross a limit) are the ones kept. Not thread-safe: the detector calls it from one thread per chunk.
 */
final class KeyedCounters {
    private final LinkedHashMap<String, SlidingCounter> counters;
    private int maxKeys;
    private long evicted;

    KeyedCounters(int maxKeys) {
        this.maxKeys = maxKeys;
        this.counters = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SlidingCounter> eldest) {
                if (size() > KeyedCounters.this.maxKeys) {
                    evicted++;
                    return true;
                }
                return false;
            }
        };
    }

    int add(String key, long timeMs, long slotMs) {
        SlidingCounter c = counters.get(key);
        if (c == null) {
            c = new SlidingCounter();
            counters.put(key, c);
        }
        return c.add(timeMs, slotMs);
    }

    /** A rules edit may lower the cap; the surplus goes at the next insert, oldest first. */
    void setMaxKeys(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    int size() {
        return counters.size();
    }

    long evicted() {
        return evicted;
    }
}
