package io.proxywatch.tail;

import java.util.ArrayDeque;

/**
 * Chunks of one file that were handed on and not yet completed. Exchanges may complete out of order (an
 * aggregator downstream), but the checkpoint may only move over a gap-free prefix of completed chunks.
 * A rewind starts a new epoch, so late completions of abandoned chunks are ignored.
 */
final class AckTracker {
    private static final class Pending {
        final long seq;
        final long endOffset;
        final int lines;
        final long bytes;
        boolean done;

        Pending(long seq, long endOffset, int lines, long bytes) {
            this.seq = seq;
            this.endOffset = endOffset;
            this.lines = lines;
            this.bytes = bytes;
        }
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long epoch;
    private long nextSeq;
    private long lines;
    private long bytes;

    /**
     * Returns a token {epoch, seq} for the chunk of {@code lines} lines, {@code bytes} bytes of the file, ending at
     * {@code endOffset}.
     */
    synchronized long[] register(long endOffset, int lines, long bytes) {
        long seq = nextSeq++;
        pending.addLast(new Pending(seq, endOffset, lines, bytes));
        this.lines += lines;
        this.bytes += bytes;
        return new long[] {epoch, seq};
    }

    /** Marks a chunk done; returns the offset the checkpoint may now move to, or -1 if it may not move. */
    synchronized long complete(long[] token) {
        if (token[0] != epoch) {
            return -1;
        }
        for (Pending p : pending) {
            if (p.seq == token[1]) {
                p.done = true;
                break;
            }
        }
        long advanced = -1;
        while (!pending.isEmpty() && pending.peekFirst().done) {
            Pending p = pending.pollFirst();
            advanced = p.endOffset;
            lines -= p.lines;
            bytes -= p.bytes;
        }
        return advanced;
    }

    /** True if the token still belongs to the current epoch (a failure then triggers a rewind). */
    synchronized boolean isCurrent(long[] token) {
        return token[0] == epoch;
    }

    synchronized int inFlight() {
        return pending.size();
    }

    /** Lines of the chunks in flight: what the in-flight limit counts, so that small chunks do not stall reading. */
    synchronized long inFlightLines() {
        return lines;
    }

    /** Bytes of the file in the chunks in flight: lines can be a megabyte each. */
    synchronized long inFlightBytes() {
        return bytes;
    }

    /** Abandons everything in flight. */
    synchronized void reset() {
        pending.clear();
        lines = 0;
        bytes = 0;
        epoch++;
    }
}
