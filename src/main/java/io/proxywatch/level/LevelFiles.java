package io.proxywatch.level;

import io.proxywatch.record.LogRecord;
import io.proxywatch.record.RecordJson;
import io.proxywatch.store.RollingFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes records to {@code info.log}, {@code warn.log}, {@code error.log} (and {@code fatal.log} when FATAL is
 * kept apart) under the levels folder: one append per chunk and file, each record one JSON line (or the raw
 * line as read, when configured).
 */
public final class LevelFiles implements AutoCloseable {
    /** The level files there can be, by name; the figures for /metrics and the dashboard go by these. */
    public static final java.util.List<String> FILES = java.util.List.of("info", "warn", "error", "fatal");
    private final Path dir;
    private final boolean raw;
    private final long maxBytes;
    private final int maxRolled;
    private final Clock clock;
    private final Map<String, RollingFile> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> written = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();

    public LevelFiles(Path dir, boolean raw, long maxBytes, int maxRolled, Clock clock) {
        this.dir = dir;
        this.raw = raw;
        this.maxBytes = maxBytes;
        this.maxRolled = maxRolled;
        this.clock = clock;
    }

    /** Appends the records to {@code <file>.log}; an I/O error fails the exchange, so the chunk is read again. */
    public void append(String file, List<LogRecord> records) throws IOException {
        if (!raw) {
            RecordJson.renderAll(records);
        }
        byte[][] lines = new byte[records.size()][];
        for (int i = 0; i < lines.length; i++) {
            LogRecord r = records.get(i);
            lines[i] = raw ? r.getRaw().getBytes(StandardCharsets.UTF_8) : r.json();
        }
        fileFor(file).appendLines(lines);
        written.computeIfAbsent(file, k -> new AtomicLong()).addAndGet(records.size());
    }

    /** Records whose level is configured to be dropped (DEBUG/TRACE by choice): counted, not written. */
    public void drop(List<LogRecord> records) {
        dropped.addAndGet(records.size());
    }

    public long written(String file) {
        AtomicLong n = written.get(file);
        return n == null ? 0 : n.get();
    }

    public long dropped() {
        return dropped.get();
    }

    private RollingFile fileFor(String name) throws IOException {
        RollingFile f = files.get(name);
        if (f == null) {
            synchronized (files) {
                f = files.get(name);
                if (f == null) {
                    f = new RollingFile(dir, name, maxBytes, maxRolled, clock);
                    files.put(name, f);
                }
            }
        }
        return f;
    }

    /** Forces every level file to disk: called before a checkpoint is made durable. */
    public void force() {
        for (RollingFile f : files.values()) {
            try {
                f.force();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("could not fsync " + f.current(), e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (RollingFile f : files.values()) {
            f.close();
        }
    }
}
