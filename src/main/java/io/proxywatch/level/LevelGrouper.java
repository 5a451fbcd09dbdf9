package io.proxywatch.level;

import io.proxywatch.record.LogRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sorts a chunk's records by the level file they belong in, keeping their order, so each file gets one append
 * per chunk. Where DEBUG/TRACE and FATAL go is configuration: DEBUG/TRACE with INFO or dropped, FATAL with
 * ERROR or in a file of its own.
 */
public final class LevelGrouper {
    public static final List<String> DEBUG_TARGETS = List.of("info", "drop");
    public static final List<String> FATAL_TARGETS = List.of("error", "fatal");

    private final String debugTarget;
    private final String fatalTarget;

    public LevelGrouper(String debugTarget, String fatalTarget) {
        this.debugTarget = debugTarget;
        this.fatalTarget = fatalTarget;
    }

    public List<LevelBatch> group(List<LogRecord> records) {
        Map<String, List<LogRecord>> byFile = new LinkedHashMap<>();
        for (LogRecord r : records) {
            // the first file seen is usually most of the chunk (info): sized for all of it, not grown to it
            byFile.computeIfAbsent(fileFor(r.getLevel()),
                    k -> new ArrayList<>(byFile.isEmpty() ? records.size() : 16)).add(r);
        }
        List<LevelBatch> out = new ArrayList<>(byFile.size());
        byFile.forEach((file, recs) -> out.add(new LevelBatch(file, recs)));
        return out;
    }

    /** @param level canonical, as the parser writes it (TRACE … FATAL) */
    String fileFor(String level) {
        switch (level == null ? "INFO" : level) {
            case "TRACE":
            case "DEBUG":
                return debugTarget;
            case "WARN":
                return "warn";
            case "ERROR":
                return "error";
            case "FATAL":
            case "PANIC":
                return fatalTarget;
            default:
                return "info";
        }
    }
}
