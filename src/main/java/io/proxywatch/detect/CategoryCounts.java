package io.proxywatch.detect;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records tagged as threats, by category, since start: the source of proxywatch_detections_total{category} and the
 * dashboard's detections chart. An object of its own so the totals outlive a reload, as Prometheus counters should.
 */
public final class CategoryCounts {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void increment(String category) {
        counts.computeIfAbsent(category, c -> new LongAdder()).increment();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((c, n) -> out.put(c, n.sum()));
        return out;
    }
}
