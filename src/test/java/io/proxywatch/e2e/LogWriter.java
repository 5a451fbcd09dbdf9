package io.proxywatch.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays the Go proxy: appends {@code total} structured JSON lines to {@code app.log} at a steady pace, in small
 * batches (one write per batch), and rotates by rename every {@code rotateEvery} lines: {@code app.log} becomes
 * {@code app-0001.old} (a name the {@code *.log} glob does not match) and a new {@code app.log} is created.
 *
 * <p>Line {@code seq} (1-based) carries trace id {@code t-%06d}, so the level files can be checked line by line
 * for loss and duplication. The byte offset where each line starts in its file is remembered, to check the
 * records' {@code source.offset}.
 */
final class LogWriter implements Runnable {
    private static final Instant BASE_TIME = Instant.parse("2026-11-25T12:00:00.000Z");

    private final Path dir;
    private final String activeName;
    private final long total;
    private final long rotateEvery;
    private final int linesPerSecond;
    private final int batchLines;
    private final long[] offsets;
    private final AtomicLong written = new AtomicLong();
    private final AtomicInteger rotations = new AtomicInteger();
    private final List<Path> rotatedFiles = new CopyOnWriteArrayList<>();
    private final java.util.NavigableMap<Long, Long> bursts = new java.util.concurrent.ConcurrentSkipListMap<>();
    private volatile Throwable failure;
    private volatile boolean done;
    private Thread thread;

    LogWriter(Path dir, String activeName, long total, long rotateEvery, int linesPerSecond, int batchLines) {
        this.dir = dir;
        this.activeName = activeName;
        this.total = total;
        this.rotateEvery = rotateEvery;
        this.linesPerSecond = linesPerSecond;
        this.batchLines = batchLines;
        this.offsets = new long[Math.toIntExact(total + 1)];
    }

    Path activeFile() {
        return dir.resolve(activeName);
    }

    /** The name the n-th rotation gives the file (1-based): app-0001.old. */
    Path rotatedName(int n) {
        String base = activeName.endsWith(".log") ? activeName.substring(0, activeName.length() - 4) : activeName;
        return dir.resolve(String.format(Locale.ROOT, "%s-%04d.old", base, n));
    }

    static String traceId(long seq) {
        return String.format(Locale.ROOT, "t-%06d", seq);
    }

    /** The sequence number in a trace id written by this class, or -1. */
    static long seqOf(String traceId) {
        if (traceId == null || !traceId.startsWith("t-")) {
            return -1;
        }
        try {
            return Long.parseLong(traceId.substring(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The level of line {@code seq}: about 90 % INFO, 7 % WARN, 3 % ERROR, scattered (not in blocks). */
    static String level(long seq) {
        int r = (int) Math.floorMod(seq * 2654435761L ^ (seq >>> 7), 100L);
        return r < 90 ? "INFO" : r < 97 ? "WARN" : "ERROR";
    }

    static String line(long seq) {
        String level = level(seq);
        int status = switch (level) {
            case "WARN" -> 429;
            case "ERROR" -> 502;
            default -> 200;
        };
        String method = seq % 5 == 0 ? "POST" : "GET";
        String path = "/api/items/" + (seq % 97);
        return "{\"timestamp\":\"" + BASE_TIME.plusMillis(seq) + "\",\"level\":\"" + level
                + "\",\"service\":\"gw\",\"message\":\"" + method + " " + path + " " + status
                + "\",\"trace_id\":\"" + traceId(seq) + "\",\"status\":" + status + ",\"method\":\"" + method
                + "\",\"path\":\"" + path + "\",\"latency_ms\":" + (seq % 1000) / 10.0 + ",\"client_ip\":\"10.0."
                + (seq / 250 % 250) + "." + (seq % 250) + "\"}\n";
    }

    /**
     * Lines {@code from..to} (inclusive) are written at once, without pacing, like a traffic spike; the steady
     * pace resumes after them (the spike does not cause a pause to "catch up" with the schedule).
     */
    LogWriter burst(long from, long to) {
        bursts.put(from, to);
        return this;
    }

    private boolean inBurst(long seq) {
        java.util.Map.Entry<Long, Long> e = bursts.floorEntry(seq);
        return e != null && seq <= e.getValue();
    }

    Thread start() {
        thread = new Thread(this, "log-writer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        try {
            write();
        } catch (Throwable t) {
            failure = t;
        } finally {
            done = true;
        }
    }

    private void write() throws IOException {
        long startNanos = System.nanoTime();
        Files.createDirectories(dir);
        OutputStream out = open();
        long fileOffset = 0;
        long seq = 0;
        long paced = 0;
        StringBuilder batch = new StringBuilder(batchLines * 300);
        try {
            while (seq < total && !Thread.currentThread().isInterrupted()) {
                batch.setLength(0);
                long batchEnd = Math.min(total, seq + batchLines);
                // a batch never crosses a rotation
                long nextRotation = (seq / rotateEvery + 1) * rotateEvery;
                batchEnd = Math.min(batchEnd, nextRotation);
                for (long s = seq + 1; s <= batchEnd; s++) {
                    if (!inBurst(s)) {
                        paced++;
                    }
                    String l = line(s);
                    offsets[(int) s] = fileOffset;
                    fileOffset += l.getBytes(StandardCharsets.UTF_8).length;
                    batch.append(l);
                }
                out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                seq = batchEnd;
                written.set(seq);
                if (seq % rotateEvery == 0 && seq < total) {
                    out.close();
                    int n = rotations.get() + 1;
                    Path target = rotatedName(n);
                    Files.move(activeFile(), target);
                    rotatedFiles.add(target);
                    rotations.set(n);
                    out = open();
                    fileOffset = 0;
                }
                pace(startNanos, paced);
            }
        } finally {
            out.close();
        }
    }

    private OutputStream open() throws IOException {
        return Files.newOutputStream(activeFile(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    /** Sleeps until the {@code paced}-th line outside bursts is due at the configured rate. */
    private void pace(long startNanos, long paced) {
        long due = startNanos + paced * TimeUnit.SECONDS.toNanos(1) / linesPerSecond;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    long written() {
        return written.get();
    }

    int rotations() {
        return rotations.get();
    }

    List<Path> rotatedFiles() {
        return List.copyOf(rotatedFiles);
    }

    boolean isDone() {
        return done;
    }

    Throwable failure() {
        return failure;
    }

    long total() {
        return total;
    }

    /** Byte offset at which line {@code seq} starts in the file it was written to. */
    long offsetOf(long seq) {
        return offsets[(int) seq];
    }

    void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(5000);
        }
    }
}
