package io.proxywatch.tail;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Everything the tailer needs to know, already validated: the config layer turns properties into this, tests
 * build it directly.
 *
 * @param globs              file globs to follow; files that appear later are picked up at the next rescan
 * @param startAtEnd         files present at the very first start (no checkpoint store yet) begin at their end
 * @param charset            used unless a BOM says otherwise
 * @param maxLineBytes       longer lines are cut to this, flagged and counted; the file is still followed
 * @param chunkMaxLines      at most this many lines in one exchange
 * @param partialFlushMs     a last line without newline (or an open panic trace) is handed on after this idle time
 * @param multilineStart     a line matching this opens a Go panic / goroutine trace; null disables joining
 * @param recordStart        inside an open trace, a line matching this starts a new record and closes the trace
 * @param rescanMs           how often globs are re-expanded and rotation is checked
 * @param pollMs             how long to sleep when no file has new data
 * @param rotateGraceMs      a rotated file is kept open this long after its last growth, for late writes
 * @param maxInFlightChunks  per file, chunks handed on but not yet completed, counted as lines (this many full
 *                           chunks); reading pauses beyond this
 * @param maxInFlightBytes   per file, bytes of the file in the chunks handed on but not yet completed; reading pauses
 *                           beyond this, and a chunk stops growing at its share ({@link #chunkMaxBytes()})
 * @param stateDir           where the checkpoint store lives
 * @param fsyncIntervalMs    every checkpoint write is atomic (survives a kill); at most this often the data
 *                           downstream is forced to disk and then the checkpoint fsynced (survives power loss);
 *                           0 does both for every chunk
 */
public record TailSettings(
        List<String> globs,
        boolean startAtEnd,
        Charset charset,
        int maxLineBytes,
        int chunkMaxLines,
        long partialFlushMs,
        Pattern multilineStart,
        Pattern recordStart,
        long rescanMs,
        long pollMs,
        long rotateGraceMs,
        int maxInFlightChunks,
        long maxInFlightBytes,
        Path stateDir,
        long fsyncIntervalMs) {

    /**
     * The in-flight limit for {@code max-in-flight-chunks=auto}: one chunk per 16 MiB of heap, from 2 to 16 (4 at
     * -Xmx64m, 8 at -Xmx128m, 16 from -Xmx256m). Chunks in flight (their lines and records until their exchange
     * ends, their JSON until the collector answers) are most of what the heap holds while a backlog is read, and at
     * a small heap G1 copies and promotes whatever is in flight at each young collection. At -Xmx64m in a 1M-line
     * bulk read (session 26, since a chunk waiting for the collector no longer holds its lines): 2 chunks gave
     * 118–161k records/s, 4 gave 156–183k (GC 0.3 CPU s, as bulk at -Xmx256m in the same rounds), 5 gave
     * 158–171k, and from 6 G1 tips over (96–139k, GC 1.9–4.8 s). Fewer chunks is not cheaper: a chunk waits for
     * its batch's answer from the collector, so the limit caps reading at chunks in flight per round trip.
     */
    public static int inFlightForHeap(long maxHeapBytes) {
        // rounded up: a collector may leave a survivor space out of the maximum it reports (Serial: ~124 of 128
        // MiB), which would take a chunk off the limit
        long per16MiB = (maxHeapBytes + (16L << 20) - 1) / (16L << 20);
        return (int) Math.max(2, Math.min(16, per16MiB));
    }

    /**
     * The limit for {@code max-in-flight-bytes=auto}: a sixteenth of the heap, from 1 MiB to 64 MiB (4 MiB at
     * -Xmx64m). A line of text is held about four times over while in flight (its String, the record's fields, its
     * JSON, the batch): counting lines alone, a chunk of 1,000 one-megabyte lines (a proxy logging a request's
     * headers, which a client chooses) held a gigabyte, and a 64 MB heap ran out of memory.
     */
    public static long inFlightBytesForHeap(long maxHeapBytes) {
        return Math.max(1L << 20, Math.min(64L << 20, maxHeapBytes / 16));
    }

    /** Bytes of the file one chunk may take: its share of the in-flight bytes, at least 64 KiB (and one line). */
    public long chunkMaxBytes() {
        return Math.max(64L << 10, maxInFlightBytes / maxInFlightChunks);
    }
}
