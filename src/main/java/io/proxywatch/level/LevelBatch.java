package io.proxywatch.level;

import io.proxywatch.record.LogRecord;

import java.util.List;

/**
 * The records of one chunk that go to one level file ({@code info}, {@code warn}, {@code error}, {@code fatal}) or
 * are dropped ({@code drop}).
 *
 * <p>A class with identity equality, not a record: classify.yaml's {@code ${body.file}} and {@code ${body.records}}
 * go through Camel's bean-info cache, which is keyed by the body object itself, so a record's value hash walked
 * every record of the group (an identity hash installed in each) several times a chunk on the pipeline thread.
 */
public final class LevelBatch {
    private final String file;
    private final List<LogRecord> records;

    public LevelBatch(String file, List<LogRecord> records) {
        this.file = file;
        this.records = records;
    }

    public String file() {
        return file;
    }

    public List<LogRecord> records() {
        return records;
    }
}
