package io.proxywatch.tail;

/**
 * One logical line as read from a file: decoded text, the byte offset where it starts and whether it was cut
 * at the maximum line size. A Go panic joined to the line that started it is one RawLine.
 */
public record RawLine(String text, long offset, boolean truncated) {
}
