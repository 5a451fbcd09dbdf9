package io.proxywatch.tail;

import java.util.List;

/**
 * Consecutive lines of one file, handed on as one exchange so per-exchange overhead is paid once per chunk.
 * {@code endOffset} is the byte offset just past the last line: the checkpoint moves there once the
 * exchange carrying this chunk completes.
 */
public record Chunk(String file, List<RawLine> lines, long endOffset) {
}
