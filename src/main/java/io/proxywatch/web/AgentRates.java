package io.proxywatch.web;

import io.proxywatch.health.AgentStatus;
import io.proxywatch.tail.FileStatus;

import java.util.HashMap;
import java.util.Map;

/**
 * Lines read per second, overall and per file, from two {@link AgentStatus} readings (its counters are totals since
 * start). A file seen for the first time, or read again from 0 after a rotation, reads as 0 lines/s for one reading.
 */
final class AgentRates {
    private AgentStatus previous;
    private double linesPerSecond;
    private Map<String, Double> perFile = Map.of();

    /** Moves on to {@code now}: the rates become those between the previous reading and this one. */
    synchronized void update(AgentStatus now) {
        if (previous != null && now.atMs() > previous.atMs()) {
            double seconds = (now.atMs() - previous.atMs()) / 1000.0;
            Map<String, Long> before = new HashMap<>();
            for (FileStatus f : previous.files()) {
                before.put(f.path(), f.linesRead());
            }
            Map<String, Double> rates = new HashMap<>();
            for (FileStatus f : now.files()) {
                long d = f.linesRead() - before.getOrDefault(f.path(), f.linesRead());
                rates.put(f.path(), Math.max(0, d) / seconds);
            }
            perFile = rates;
            linesPerSecond = Math.max(0, now.linesRead() - previous.linesRead()) / seconds;
        }
        previous = now;
    }

    synchronized double linesPerSecond() {
        return linesPerSecond;
    }

    synchronized double linesPerSecond(String path) {
        return perFile.getOrDefault(path, 0.0);
    }
}
