package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;
import io.proxywatch.tail.Chunk;
import io.proxywatch.tail.RawLine;

import java.util.ArrayList;
import java.util.List;

/** Turns a chunk of raw lines into records, one per line, in order; called as a bean by the ingest route. */
public final class ChunkParser {
    private final RecordParser parser;

    public ChunkParser(RecordParser parser) {
        this.parser = parser;
    }

    public List<LogRecord> parse(Chunk chunk) {
        List<RawLine> lines = chunk.lines();
        List<LogRecord> out = new ArrayList<>(lines.size());
        for (RawLine line : lines) {
            LogRecord r = parser.parse(line.text(), chunk.file(), line.offset(), line.truncated());
            r.setTruncated(line.truncated());
            r.setReplayed(chunk.replays(line));
            out.add(r);
        }
        return out;
    }

    public long parseErrors() {
        return parser.parseErrors();
    }
}
