package io.proxywatch.tail;

import java.util.List;

/**
 * Consecutive lines of one file, handed on as one exchange so per-exchange overhead is paid once per chunk.
 * {@code endOffset} is the byte offset just past the last line: the checkpoint moves there once the
 * exchange carrying this chunk completes. Lines before {@code replayTo} are read again after a chunk failed
 * downstream: handed on before, so already counted by detection and the statistics (0: none are). Handed on is
 * taken for counted: the stages before detection (parsing) and detection itself catch what fails line by line, so a
 * chunk fails after it was counted (a full disk under the level files, the alert queue full).
 */
public record Chunk(String file, List<RawLine> lines, long endOffset, long replayTo) {
    /** Whether {@code line} of this chunk was handed on before. */
    public boolean replays(RawLine line) {
        return line.offset() < replayTo;
    }
}
