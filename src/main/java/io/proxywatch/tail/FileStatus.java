package io.proxywatch.tail;

/** A snapshot of one followed file, for the banner, progress log lines, metrics and the dashboard. */
public record FileStatus(String path, long size, long committedOffset, long lagBytes, long linesRead,
                         long truncatedLines, boolean rotated, String charset) {
}
