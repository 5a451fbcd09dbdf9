package io.proxywatch.stats;

/** One line of a top list: a client IP or a path, and how many requests it made in the window. */
public record KeyCount(String key, long count) {
}
