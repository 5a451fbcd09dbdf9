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
 * @param maxInFlightChunks  per file, chunks handed on but not yet completed; reading pauses beyond this
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

    public static final String DEFAULT_MULTILINE_START =
            "^(panic: |fatal error: |goroutine \\d+ \\[)|http: panic serving ";
    public static final String DEFAULT_RECORD_START =
            "^(\\{|\\d{4}[-/]\\d{2}[-/]\\d{2}[T ]|time=|ts=|level=|\\S+ \\S+ \\S+ \\[\\d{2}/\\w{3}/\\d{4}:)";

    /** Defaults for tests and tools; the packaged application.properties carries the same values. */
    public static TailSettings defaults(List<String> globs, Path stateDir) {
        return new TailSettings(globs, true, java.nio.charset.StandardCharsets.UTF_8, 1024 * 1024, 1000, 2000,
                Pattern.compile(DEFAULT_MULTILINE_START), Pattern.compile(DEFAULT_RECORD_START),
                1000, 20, 2000, 16, stateDir, 1000);
    }

    public TailSettings withStartAtEnd(boolean v) {
        return new TailSettings(globs, v, charset, maxLineBytes, chunkMaxLines, partialFlushMs, multilineStart,
                recordStart, rescanMs, pollMs, rotateGraceMs, maxInFlightChunks, stateDir, fsyncIntervalMs);
    }

    public TailSettings withCharset(Charset v) {
        return new TailSettings(globs, startAtEnd, v, maxLineBytes, chunkMaxLines, partialFlushMs, multilineStart,
                recordStart, rescanMs, pollMs, rotateGraceMs, maxInFlightChunks, stateDir, fsyncIntervalMs);
    }

    public TailSettings withMaxLineBytes(int v) {
        return new TailSettings(globs, startAtEnd, charset, v, chunkMaxLines, partialFlushMs, multilineStart,
                recordStart, rescanMs, pollMs, rotateGraceMs, maxInFlightChunks, stateDir, fsyncIntervalMs);
    }

    public TailSettings withChunkMaxLines(int v) {
        return new TailSettings(globs, startAtEnd, charset, maxLineBytes, v, partialFlushMs, multilineStart,
                recordStart, rescanMs, pollMs, rotateGraceMs, maxInFlightChunks, stateDir, fsyncIntervalMs);
    }

    public TailSettings withPartialFlushMs(long v) {
        return new TailSettings(globs, startAtEnd, charset, maxLineBytes, chunkMaxLines, v, multilineStart,
                recordStart, rescanMs, pollMs, rotateGraceMs, maxInFlightChunks, stateDir, fsyncIntervalMs);
    }

    public TailSettings withRotateGraceMs(long v) {
        return new TailSettings(globs, startAtEnd, charset, maxLineBytes, chunkMaxLines, partialFlushMs,
                multilineStart, recordStart, rescanMs, pollMs, v, maxInFlightChunks, stateDir, fsyncIntervalMs);
    }
}
