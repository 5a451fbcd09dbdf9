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
        Path stateDir,
        long fsyncIntervalMs) {

    /**
     * The in-flight limit for {@code max-in-flight-chunks=auto}: one chunk per 16 MiB of heap, from 2 to 16.
     * Chunks in flight (their lines, records and JSON, and the batches holding them) are most of what the heap
     * holds while a backlog is read; at -Xmx64m, 16 of them made GC 20 of 46 CPU s, 4 of them 14 s.
     */
    public static int inFlightForHeap(long maxHeapBytes) {
        return (int) Math.max(2, Math.min(16, maxHeapBytes / (16L << 20)));
    }
}
