package io.proxywatch.level;

import io.proxywatch.record.LogRecord;

import java.util.List;

/** The records of one chunk that go to one level file ({@code info}, {@code warn}, {@code error}, {@code fatal}) or are dropped ({@code drop}). */
public record LevelBatch(String file, List<LogRecord> records) {
}
