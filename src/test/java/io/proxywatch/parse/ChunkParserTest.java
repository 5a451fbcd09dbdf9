package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;
import io.proxywatch.tail.Chunk;
import io.proxywatch.tail.RawLine;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A chunk's lines become records in order, each knowing its place and whether it is read again. */
class ChunkParserTest {
    @Test
    void recordsKeepTheirLinesOffsetTruncationAndWhetherTheyAreReadAgain() {
        List<RawLine> lines = List.of(new RawLine("a", 0, false), new RawLine("b", 2, true), new RawLine("c", 4, false));
        List<LogRecord> records = new ChunkParser(new RecordParser("auto", null)).parse(new Chunk("x.log", lines, 6, 4));
        assertThat(records).extracting(LogRecord::getSourceOffset).containsExactly(0L, 2L, 4L);
        assertThat(records).extracting(LogRecord::isTruncated).containsExactly(false, true, false);
        assertThat(records).extracting(LogRecord::isReplayed).containsExactly(true, true, false);
    }
}
