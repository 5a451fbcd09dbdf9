package io.proxywatch.detect;

import io.proxywatch.alert.AlertEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The findings of one chunk folded into one alert event per (rule, key): an attacker's 300 probes in a chunk are
 * one event with count 300 and the first five lines as evidence, not 300 events.
 */
public final class ChunkEvents {
    private final Map<String, Fold> folds = new LinkedHashMap<>();

    /** {@code summary} is only asked for when the event is built: most findings of a burst never need one. */
    public void add(Finding f, String key, long timeMs, String line, Supplier<String> summary) {
        add(f, key, timeMs, timeMs, 1, line, summary);
    }

    /** {@code count} findings from {@code firstMs} to {@code lastMs} told at once (a rate burst's report). */
    public void add(Finding f, String key, long firstMs, long lastMs, long count, String line,
                    Supplier<String> summary) {
        Fold fold = folds.computeIfAbsent(f.rule() + '\u0000' + key, k -> new Fold(f, key, firstMs));
        fold.count += count;
        fold.first = Math.min(fold.first, firstMs);
        fold.last = Math.max(fold.last, lastMs);
        fold.summary = summary;
        if (fold.evidence.size() < AlertEvent.MAX_EVIDENCE && line != null) {
            fold.evidence.add(line);
        }
    }

    public boolean isEmpty() {
        return folds.isEmpty();
    }

    public List<AlertEvent> events() {
        List<AlertEvent> out = new ArrayList<>(folds.size());
        for (Fold f : folds.values()) {
            out.add(new AlertEvent(f.finding.rule(), f.finding.category(), f.finding.severity(), AlertEvent.FIRING,
                    f.key, f.count, Instant.ofEpochMilli(f.first), Instant.ofEpochMilli(f.last), f.summary.get(),
                    f.evidence));
        }
        return out;
    }

    private static final class Fold {
        final Finding finding;
        final String key;
        final List<String> evidence = new ArrayList<>(AlertEvent.MAX_EVIDENCE);
        long count;
        long first;
        long last;
        Supplier<String> summary;

        Fold(Finding finding, String key, long timeMs) {
            this.finding = finding;
            this.key = key;
            this.first = timeMs;
            this.last = timeMs;
        }
    }
}
