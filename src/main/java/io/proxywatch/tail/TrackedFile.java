package io.proxywatch.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** One file being followed: its open channel, where reading stands, and what has been safely completed. */
final class TrackedFile {
    final String checkpointId;
    final FileChannel channel;
    final LineReader reader;
    final MultilineJoiner joiner;
    final AckTracker acks = new AckTracker();
    final AtomicLong linesRead = new AtomicLong();
    final AtomicLong truncatedLines = new AtomicLong();

    volatile Path path;
    volatile FileIdentity identity;
    volatile long committedOffset;
    volatile boolean rewindRequested;
    // the end of the furthest chunk handed on from this content, and (after a chunk failed and reading went back)
    // the offset below which lines are read again: the tailer's thread only
    long handedOnTo;
    long replayTo;

    /** The path no longer leads to this file (renamed away or deleted): finish it, then let it go. */
    boolean rotated;
    long lastGrowthMs;
    long retryAtMs;
    long backoffMs;

    TrackedFile(String checkpointId, Path path, FileChannel channel, FileIdentity identity, LineReader reader,
                MultilineJoiner joiner, long startOffset, long nowMs) {
        this.checkpointId = checkpointId;
        this.path = path;
        this.channel = channel;
        this.identity = identity;
        this.reader = reader;
        this.joiner = joiner;
        this.committedOffset = startOffset;
        this.lastGrowthMs = nowMs;
    }

    long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            return committedOffset;
        }
    }

    /** Bytes written by the proxy that have not yet been safely handed on. */
    long lagBytes() {
        return Math.max(0, size() - committedOffset);
    }

    Checkpoint checkpoint(long nowMs) {
        return new Checkpoint(path.toString(), identity, committedOffset, nowMs);
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel cannot lose data
        }
    }
}
