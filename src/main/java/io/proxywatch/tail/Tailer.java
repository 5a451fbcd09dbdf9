package io.proxywatch.tail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Follows every file the globs match and hands out their new lines in chunks, with no loss across rotation
 * and restarts. Not thread-safe for reading: one thread calls {@link #poll()}; completions ({@link Receipt})
 * may come from any thread.
 *
 * <p>Rotation is recognised by identity, not by name: when a followed path leads to another file (rename +
 * create) or to none (delete), the old file is read to its end from the channel already open, then closed;
 * when a file shrinks below what was read (copytruncate), it is read again from 0. The globs are expanded again
 * every rescan-interval-ms, and at once (at most every 100 ms) when a file appears in a folder they look into
 * ({@link FolderWatch}), so a rotated log's new file is not read a second late.
 */
public final class Tailer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Tailer.class);
    private static final long MAX_BACKOFF_MS = 30_000;
    /** The rescans that new files in the watched folders bring are this far apart at least. */
    private static final long EVENT_RESCAN_GAP_MS = 100;
    private static final long FORGET_AFTER_MS = 7L * 24 * 3600 * 1000;
    private static final int MAX_FOLDER_ENTRIES_SEARCHED = 10_000;
    /** Chunks in flight per unit of max-in-flight-chunks, whatever their size: 2 gives 128, 2.5 s of 20 ms polls. */
    static final int SMALL_CHUNKS_PER_CHUNK = 64;

    /**
     * A chunk handed out, and the way to tell the tailer how its exchange ended: the receipt, which is what the
     * stages keep, holds none of the chunk's lines. A chunk waits for the collector's answer long after its records
     * were rendered, and the lines it was read as (a few hundred KB a chunk) had stayed reachable all that time
     * through what the batches kept, in the heap a 64 MB run has to spare for chunks in flight.
     */
    public record Ticket(Chunk chunk, Receipt receipt) {
    }

    /** The way to tell the tailer how a chunk's exchange ended; holds the chunk's place in its file, not its lines. */
    public final class Receipt {
        private final TrackedFile file;
        private final long[] token;

        private Receipt(TrackedFile file, long[] token) {
            this.file = file;
            this.token = token;
        }

        /**
         * The lines are safe downstream: the checkpoint may move past them. The offset is taken and written under
         * the tracker's lock, which a restart from the start takes too: else a completion of the old epoch could
         * write its offset after the restart wrote 0, and a checkpoint past lines of the new content (skipped on
         * the next start) stood until the next completion.
         */
        public void complete() {
            synchronized (file.acks) {
                long offset = file.acks.complete(token);
                if (offset < 0) {
                    return;
                }
                file.committedOffset = offset;
                file.backoffMs = 0;
                store.put(file.checkpointId, file.checkpoint(clock.millis()));
            }
            completions.signal(); // before the store is saved: that may force the level files to disk first
            saveStore();
        }

        /** The exchange failed: read these lines again, after a back-off. */
        public void fail() {
            if (file.acks.isCurrent(token)) {
                file.rewindRequested = true;
            }
            completions.signal();
        }
    }

    private final TailSettings settings;
    private final Clock clock;
    private final PathGlobs globs;
    private final List<TrackedFile> files = new CopyOnWriteArrayList<>();
    private CheckpointStore store;
    private FileChannel lockChannel;
    private FileLock lock;
    private long nextRescanMs;
    private long lastRescanMs;
    private FolderWatch folders = FolderWatch.NONE; // opened by start, once the state folder is ours
    private int roundRobin;
    private boolean firstScan = true;

    private final Completions completions = new Completions();
    private long completionsAtPoll;
    private boolean heldBack;  // the last poll passed over a file only because of its in-flight limit

    private final Runnable beforeDurableCheckpoint;
    private volatile long nextDurableMs;
    private volatile boolean closed;

    public Tailer(TailSettings settings, Clock clock) {
        this(settings, clock, () -> { });
    }

    /**
     * @param beforeDurableCheckpoint forces downstream data (level files, spool) to disk; it runs before every
     *                                fsynced checkpoint, so a checkpoint on disk never vouches for data that is not
     */
    public Tailer(TailSettings settings, Clock clock, Runnable beforeDurableCheckpoint) {
        this.settings = settings;
        this.clock = clock;
        this.globs = new PathGlobs(settings.globs());
        this.beforeDurableCheckpoint = beforeDurableCheckpoint;
    }

    /** Opens the checkpoint store (one process per state folder) and finds the files to follow. */
    public void start() throws IOException {
        Files.createDirectories(settings.stateDir());
        Path lockFile = settings.stateDir().resolve("tail.lock");
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this very JVM
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("another proxywatch is already using the state folder " + settings.stateDir()
                    + " (" + lockFile + " is locked); give each instance its own proxywatch.data-dir");
        }
        store = new CheckpointStore(settings.stateDir());
        folders = new FolderWatch(globs::matches);
        rescan();
        findFilesRenamedWhileStopped();
        firstScan = false;
        saveStore();
        LOG.info("new files in {} watched folders are followed at once; elsewhere the globs are rescanned every {} ms",
                folders.folders(), settings.rescanMs());
    }

    public List<String> describeGlobs() {
        return globs.describe();
    }

    /**
     * The next chunk of new lines from any followed file (files take turns), or null when none has any.
     * Also rescans the globs when due and lets go of rotated files that are finished.
     */
    public Ticket poll() throws IOException {
        completionsAtPoll = completions.count();
        heldBack = false;
        long now = clock.millis();
        if (now >= nextDurableMs && store.needsFsync()) {
            saveDurably();
        }
        if (folders.changed()) {
            // a file appeared where the globs look: rescan now rather than at the next periodic rescan
            nextRescanMs = Math.min(nextRescanMs, lastRescanMs + EVENT_RESCAN_GAP_MS);
        }
        if (now >= nextRescanMs) {
            rescan();
        }
        int n = files.size();
        for (int i = 0; i < n; i++) {
            int idx = (roundRobin + i) % n;
            TrackedFile f = files.get(idx);
            Ticket t = pollFile(f, now);
            if (t != null) {
                roundRobin = (idx + 1) % n;
                return t;
            }
        }
        releaseFinished(now);
        return null;
    }

    /**
     * Waits after a {@link #poll()} that found nothing, before the next: when a file was held back by its in-flight
     * limit, until a chunk completes (at most {@code pollMs}); else {@code pollMs}, for the logs to grow. A poll
     * interval's sleep after each full window of chunks kept a 64 MB heap's four chunks in flight idle a fifth of
     * a bulk read (the pipeline acknowledged them in a few milliseconds, then waited for the sleep to end).
     */
    public void pause(long pollMs) throws InterruptedException {
        if (heldBack) {
            completions.awaitAfter(completionsAtPoll, pollMs);
        } else {
            Thread.sleep(pollMs);
        }
    }

    /** Counts chunk completions and failures, and wakes a reader waiting for one. */
    private static final class Completions {
        private long count;

        synchronized long count() {
            return count;
        }

        synchronized void signal() {
            count++;
            notifyAll();
        }

        /** Returns once the count has passed {@code seen}, or after {@code ms}. */
        synchronized void awaitAfter(long seen, long ms) throws InterruptedException {
            long deadline = System.nanoTime() + ms * 1_000_000;
            for (long left = ms * 1_000_000; count == seen && left > 0; left = deadline - System.nanoTime()) {
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private Ticket pollFile(TrackedFile f, long now) throws IOException {
        if (f.rewindRequested) {
            rewind(f, now);
        }
        // counted in lines, as full chunks: a slow log read every poll hands on many small chunks, and a count of
        // chunks would pause reading until the collector acknowledged them (seconds of alert latency at 1,000
        // lines/s, when shipping batches wait for 1,000 records); the chunks themselves are capped too, since each
        // carries an exchange whatever its size; and in bytes, since a line may be a megabyte
        if (now < f.retryAtMs) {
            return null;
        }
        if (f.acks.inFlightLines() >= (long) settings.maxInFlightChunks() * settings.chunkMaxLines()
                || f.acks.inFlightBytes() >= settings.maxInFlightBytes()
                || f.acks.inFlight() >= settings.maxInFlightChunks() * SMALL_CHUNKS_PER_CHUNK) {
            heldBack = true;
            return null;
        }
        // below what was handed on, too: after a failed chunk reading goes back, and a file truncated and written
        // again meanwhile would be read as the old lines again (and not counted)
        long known = Math.max(f.reader.readPosition(), Math.max(f.handedOnTo, f.replayTo));
        if (f.channel.size() < known) {
            LOG.warn("{} shrank below what was read ({} < {} bytes): truncated (copytruncate?), reading it from the start",
                    f.path, f.channel.size(), known);
            restartAt(f, 0);
        }
        long before = f.reader.readPosition();
        List<RawLine> raw = new ArrayList<>(Math.min(settings.chunkMaxLines(), 1024));
        f.reader.readLines(settings.chunkMaxLines(), settings.chunkMaxBytes(), raw);
        if (f.reader.readPosition() != before) {
            f.lastGrowthMs = now;
        }
        List<RawLine> lines = new ArrayList<>(raw.size());
        for (RawLine line : raw) {
            f.joiner.accept(line, lines);
        }
        if (raw.isEmpty() && now - f.lastGrowthMs >= settings.partialFlushMs()) {
            RawLine partial = f.reader.flushPartial();
            if (partial != null) {
                f.joiner.accept(partial, lines);
            }
            RawLine trace = f.joiner.flush();
            if (trace != null) {
                lines.add(trace);
            }
        }
        if (lines.isEmpty()) {
            return null;
        }
        for (RawLine line : lines) {
            if (line.truncated()) {
                f.truncatedLines.incrementAndGet();
                LOG.warn("{}: line at offset {} is longer than {} bytes: cut, flagged truncated", f.path,
                        line.offset(), settings.maxLineBytes());
            }
        }
        f.linesRead.addAndGet(lines.size());
        long endOffset = f.joiner.hasOpenTrace() ? f.joiner.openTraceOffset() : f.reader.lineStart();
        // the file's bytes from the chunk's first line to where the next chunk starts: a line cut to max-line-bytes
        // counts whole, so this errs high
        long bytes = Math.max(1, endOffset - lines.get(0).offset());
        long[] token = f.acks.register(endOffset, lines.size(), bytes);
        f.handedOnTo = Math.max(f.handedOnTo, endOffset);
        return new Ticket(new Chunk(f.path.toString(), lines, endOffset, f.replayTo), new Receipt(f, token));
    }

    private void rewind(TrackedFile f, long now) {
        f.rewindRequested = false;
        f.backoffMs = f.backoffMs == 0 ? 1000 : Math.min(MAX_BACKOFF_MS, f.backoffMs * 2);
        f.retryAtMs = now + f.backoffMs;
        LOG.warn("{}: a chunk failed downstream; reading again from offset {} in {} ms", f.path, f.committedOffset,
                f.backoffMs);
        long handedOn = f.handedOnTo;
        restartAt(f, f.committedOffset);
        f.replayTo = handedOn; // the rate windows and statistics must not count those lines a second time
    }

    private void restartAt(TrackedFile f, long offset) {
        synchronized (f.acks) { // no completion of the old epoch writes its offset after this (Receipt.complete)
            f.acks.reset();
            f.joiner.reset();
            f.reader.seek(offset);
            if (offset == 0) {
                try {
                    f.identity = new FileIdentity(f.identity.fileKey(), 0, 0).refreshed(f.channel);
                } catch (IOException e) {
                    LOG.debug("fingerprint of {} not refreshed: {}", f.path, e.toString());
                }
                f.committedOffset = 0;
                f.handedOnTo = 0; // new content (or the first chunk failed: rewind sets replayTo after this)
                f.replayTo = 0;
                store.put(f.checkpointId, f.checkpoint(clock.millis()));
            }
        }
    }

    /** Re-expands the globs: picks up new files, notices renamed, deleted and replaced ones. */
    void rescan() throws IOException {
        long now = clock.millis();
        lastRescanMs = now;
        nextRescanMs = now + settings.rescanMs();
        for (Path base : globs.bases()) {
            folders.watch(base);
        }
        Set<Path> matched = globs.match();
        for (TrackedFile f : files) {
            if (!f.rotated && contentReplaced(f)) {
                LOG.warn("{} was truncated or rewritten in place (copytruncate?): reading it from the start", f.path);
                restartAt(f, 0);
            } else if (!f.rotated && !stillAt(f, f.path)) {
                f.rotated = true;
                LOG.info("{} was rotated or deleted: finishing the old file from offset {}", f.path,
                        f.reader.readPosition());
            }
            refreshIdentity(f);
        }
        for (Path p : matched) {
            if (isFollowedAt(p)) {
                continue;
            }
            follow(p, now);
            folders.watch(p.getParent()); // a glob's deeper folders: where this file's successors will appear
        }
        forgetOldCheckpoints(now);
    }

    private boolean isFollowedAt(Path p) {
        for (TrackedFile f : files) {
            if (!f.rotated && f.path.equals(p)) {
                return true;
            }
        }
        return false;
    }

    private void follow(Path p, long now) throws IOException {
        FileChannel ch;
        String key;
        try {
            ch = FileChannel.open(p, StandardOpenOption.READ);
            key = FileIdentity.fileKeyOf(p);
        } catch (NoSuchFileException e) {
            return;
        }
        try {
            for (TrackedFile f : files) {
                if (f.identity.matches(key, ch)) {
                    // the file we follow has a new name that the globs match (access.log -> access.log.1)
                    LOG.debug("{} is {} under a new name", p, f.path);
                    f.path = p;
                    f.rotated = false;
                    ch.close();
                    return;
                }
            }
            FileIdentity identity = FileIdentity.read(p, ch);
            Map.Entry<String, Checkpoint> known = findCheckpoint(key, ch);
            long start;
            String id;
            if (known != null) {
                id = known.getKey();
                start = known.getValue().offset();
                if (start > ch.size()) {
                    LOG.warn("{} is shorter than its checkpoint ({} < {}): truncated while stopped, reading from 0",
                            p, ch.size(), start);
                    start = 0;
                }
            } else {
                id = newCheckpointId(key, identity, p);
                start = firstScan && settings.startAtEnd() && !store.existedAtStart() ? lastLineEnd(ch) : 0;
            }
            track(id, p, ch, identity, start, now, false);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private TrackedFile track(String id, Path p, FileChannel ch, FileIdentity identity, long start, long now,
                              boolean rotated) {
        LineReader reader = new LineReader(ch, settings.charset(), settings.maxLineBytes(), start);
        MultilineJoiner joiner = new MultilineJoiner(settings.multilineStart(), settings.recordStart(),
                settings.maxLineBytes());
        TrackedFile f = new TrackedFile(id, p, ch, identity, reader, joiner, start, now);
        f.rotated = rotated;
        files.add(f);
        store.put(id, f.checkpoint(now));
        LOG.info("following {} from offset {}{}", p, start, rotated ? " (rotated while stopped: finishing it)" : "");
        return f;
    }

    /** A checkpointed file whose name changed while we were stopped is found in its folder by identity. */
    private void findFilesRenamedWhileStopped() throws IOException {
        long now = clock.millis();
        Set<String> claimed = new HashSet<>();
        for (TrackedFile f : files) {
            claimed.add(f.checkpointId);
        }
        for (Map.Entry<String, Checkpoint> e : store.entries()) {
            if (claimed.contains(e.getKey())) {
                continue;
            }
            Checkpoint cp = e.getValue();
            Path folder = Path.of(cp.path()).getParent();
            if (folder == null || !Files.isDirectory(folder)) {
                continue;
            }
            int seen = 0;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
                for (Path candidate : ds) {
                    if (++seen > MAX_FOLDER_ENTRIES_SEARCHED) {
                        break;
                    }
                    if (!Files.isRegularFile(candidate) || isFollowedAt(candidate.toAbsolutePath())) {
                        continue;
                    }
                    if (claimRenamed(e.getKey(), cp, candidate.toAbsolutePath().normalize(), now)) {
                        break;
                    }
                }
            }
        }
    }

    private boolean claimRenamed(String id, Checkpoint cp, Path candidate, long now) throws IOException {
        FileChannel ch = FileChannel.open(candidate, StandardOpenOption.READ);
        String key = FileIdentity.fileKeyOf(candidate);
        if (cp.identity().fpLength() == 0 || !cp.identity().matches(key, ch) || ch.size() <= cp.offset()) {
            ch.close();
            return false;
        }
        track(id, candidate, ch, cp.identity(), cp.offset(), now, true);
        return true;
    }

    private Map.Entry<String, Checkpoint> findCheckpoint(String key, FileChannel ch) throws IOException {
        for (Map.Entry<String, Checkpoint> e : store.entries()) {
            FileIdentity id = e.getValue().identity();
            if (id.fpLength() == 0 && key == null) {
                continue; // an empty file on a system without file keys cannot be recognised
            }
            if (isClaimed(e.getKey())) {
                continue;
            }
            if (id.matches(key, ch)) {
                return e;
            }
        }
        return null;
    }

    private boolean isClaimed(String id) {
        for (TrackedFile f : files) {
            if (f.checkpointId.equals(id)) {
                return true;
            }
        }
        return false;
    }

    private String newCheckpointId(String key, FileIdentity identity, Path p) {
        String base = key != null ? key : "fp" + Long.toHexString(identity.fpHash()) + ":" + p.getFileName();
        String id = base + "@" + Long.toHexString(clock.millis());
        int n = 0;
        while (store.get(id) != null || isClaimed(id)) {
            id = base + "@" + Long.toHexString(clock.millis()) + "-" + (++n);
        }
        return id;
    }

    /** The file we hold open shrank, or its first bytes changed: the same file, new content. */
    private boolean contentReplaced(TrackedFile f) {
        try {
            return f.channel.size() < f.reader.readPosition()
                    || (f.identity.fpLength() > 0 && !f.identity.matches(f.identity.fileKey(), f.channel));
        } catch (IOException e) {
            return false;
        }
    }

    /** True while {@code p} still leads to the file we follow. */
    private boolean stillAt(TrackedFile f, Path p) {
        if (f.identity.fpLength() == 0) {
            refreshIdentity(f); // bytes written since the last rescan: compare them, not an empty fingerprint
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            String key = FileIdentity.fileKeyOf(p);
            return f.identity.matches(key, ch) && globs.matches(p);
        } catch (IOException e) {
            return false;
        }
    }

    private void refreshIdentity(TrackedFile f) {
        if (f.identity.isComplete()) {
            return;
        }
        try {
            FileIdentity fresh = f.identity.refreshed(f.channel);
            if (fresh != f.identity) {
                f.identity = fresh;
                store.put(f.checkpointId, f.checkpoint(clock.millis()));
            }
        } catch (IOException e) {
            LOG.debug("fingerprint of {} not refreshed: {}", f.path, e.toString());
        }
    }

    /** Closes rotated files that were read to their end, had no late write for a while and are all completed. */
    private void releaseFinished(long now) {
        List<TrackedFile> done = new ArrayList<>();
        for (TrackedFile f : files) {
            if (f.rotated && f.acks.inFlight() == 0 && !f.reader.hasPartialLine() && !f.joiner.hasOpenTrace()
                    && f.size() <= f.reader.readPosition() && now - f.lastGrowthMs >= settings.rotateGraceMs()) {
                done.add(f);
            }
        }
        for (TrackedFile f : done) {
            f.close();
            files.remove(f);
            store.put(f.checkpointId, f.checkpoint(now));
            LOG.info("finished rotated file {} at offset {}; released", f.path, f.committedOffset);
        }
        if (!done.isEmpty()) {
            saveStore();
        }
    }

    private void forgetOldCheckpoints(long now) {
        for (Map.Entry<String, Checkpoint> e : store.entries()) {
            if (!isClaimed(e.getKey()) && now - e.getValue().updatedMs() > FORGET_AFTER_MS) {
                store.remove(e.getKey());
            }
        }
    }

    /** Where "start at the end" begins: just after the last complete line, never inside one. */
    private long lastLineEnd(FileChannel ch) throws IOException {
        long size = ch.size();
        int window = (int) Math.min(size, 64 * 1024);
        ByteBuffer buf = ByteBuffer.allocate(window);
        ch.read(buf, size - window);
        byte[] b = buf.array();
        for (int i = window - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return size - window + i + 1;
            }
        }
        return size;
    }

    /**
     * Moves the checkpoints on disk to what is in memory: in place (see {@link CheckpointStore}), so a killed
     * process re-reads at most the chunks in flight. Durably when every chunk must be, or after close.
     */
    private void saveStore() {
        if (closed || settings.fsyncIntervalMs() == 0) {
            saveDurably();
            return;
        }
        try {
            store.save();
        } catch (IOException | RuntimeException e) {
            logSaveFailure(e);
        }
    }

    /**
     * Makes the checkpoints survive a power loss. Runs on the tail thread once per fsync interval, not on the
     * threads completing chunks, which it would hold up for the length of the level files' fsync.
     */
    private void saveDurably() {
        nextDurableMs = clock.millis() + settings.fsyncIntervalMs();
        try {
            store.saveDurably(beforeDurableCheckpoint);
        } catch (IOException | RuntimeException e) {
            logSaveFailure(e);
        }
    }

    private void logSaveFailure(Exception e) {
        LOG.error("could not write checkpoints to {}: {} (lines will be read again after a restart)",
                settings.stateDir(), e.toString());
    }

    public List<FileStatus> status() {
        List<FileStatus> out = new ArrayList<>();
        for (TrackedFile f : new ArrayList<>(files)) {
            out.add(new FileStatus(f.path.toString(), f.size(), f.committedOffset, f.lagBytes(), f.linesRead.get(),
                    f.truncatedLines.get(), f.rotated, f.reader.charset().name(), f.lastGrowthMs));
        }
        return out;
    }

    /**
     * Closes the files and writes the checkpoints durably. Chunks that later stages still hold (an open batch
     * flushed when its route stops, after this one) may complete afterwards: their checkpoints are then written,
     * durably, by the completion itself. (A reload that starts a new tailer on the same folder before those
     * complete would see them overwrite its store: issue 6's reload must stop the pipeline first.)
     */
    @Override
    public void close() throws IOException {
        closed = true;
        folders.close();
        long now = clock.millis();
        for (TrackedFile f : files) {
            store.put(f.checkpointId, f.checkpoint(now));
            f.close();
        }
        files.clear();
        if (store != null) {
            saveStore();
            store.close();
        }
        if (lock != null) {
            lock.release();
            lockChannel.close();
        }
    }
}
