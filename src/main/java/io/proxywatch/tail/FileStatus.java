package io.proxywatch.tail;

/**
 * A snapshot of one followed file, for the banner, progress log lines, metrics and the dashboard.
 *
 * @param lastGrowthMs when the file last grew (the tailer's clock, epoch ms): a file that stops growing is a proxy
 *                     that stopped logging
 */
public record FileStatus(String path, long size, long committedOffset, long lagBytes, long linesRead,
                         long truncatedLines, boolean rotated, String charset, long lastGrowthMs) {
}
