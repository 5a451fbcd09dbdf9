package io.proxywatch.level;

import io.proxywatch.record.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LevelFilesTest {
    @TempDir
    Path dir;

    private static LogRecord record(String level, String raw) {
        LogRecord r = new LogRecord();
        r.setLevel(level);
        r.setMessage(raw);
        r.setRaw(raw);
        r.setTimestamp(Instant.parse("2026-11-25T12:00:00Z"));
        r.setSourceFile("/x.log");
        return r;
    }

    @Test
    void groupsKeepOrderAndFollowTheConfiguredMapping() {
        LevelGrouper keep = new LevelGrouper("info", "error");
        List<LevelBatch> groups = keep.group(List.of(record("INFO", "a"), record("DEBUG", "b"),
                record("FATAL", "c"), record("WARN", "d"), record("ERROR", "e")));
        assertThat(groups).extracting(LevelBatch::file).containsExactly("info", "error", "warn");
        assertThat(groups.get(0).records()).extracting(LogRecord::getMessage).containsExactly("a", "b");
        assertThat(groups.get(1).records()).extracting(LogRecord::getMessage).containsExactly("c", "e");

        LevelGrouper apart = new LevelGrouper("drop", "fatal");
        assertThat(apart.group(List.of(record("TRACE", "a"), record("PANIC", "b"))))
                .extracting(LevelBatch::file).containsExactly("drop", "fatal");
    }

    /** Camel's simple language hashes the body at every {@code ${body.file}}: that must not walk the records. */
    @Test
    void aBatchHashesAsItselfNotAsItsRecords() {
        List<LogRecord> records = new ArrayList<>(List.of(record("INFO", "a"))) {
            @Override
            public int hashCode() {
                throw new AssertionError("the records were hashed");
            }
        };
        LevelBatch batch = new LevelBatch("info", records);
        assertThat(batch.hashCode()).isEqualTo(System.identityHashCode(batch));
        assertThat(batch).isNotEqualTo(new LevelBatch("info", records));
    }

    @Test
    void appendsJsonLinesOnePerRecord() throws IOException {
        LevelFiles files = new LevelFiles(dir, false, 1 << 20, 3, Clock.systemUTC());
        files.append("warn", List.of(record("WARN", "one"), record("WARN", "two \"quoted\"\nnewline")));
        List<String> lines = Files.readAllLines(dir.resolve("warn.log"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("\"message\":\"two \\\"quoted\\\"\\nnewline\"");
        assertThat(files.written("warn")).isEqualTo(2);
        files.close();
    }

    @Test
    void rawModeWritesTheLineAsRead() throws IOException {
        LevelFiles files = new LevelFiles(dir, true, 1 << 20, 3, Clock.systemUTC());
        files.append("info", List.of(record("INFO", "127.0.0.1 - - [x] \"GET / HTTP/1.1\" 200 1")));
        assertThat(Files.readAllLines(dir.resolve("info.log"))).containsExactly("127.0.0.1 - - [x] \"GET / HTTP/1.1\" 200 1");
        files.close();
    }

    @Test
    void rollsBySizeAndKeepsOnlyTheNewestRolledFiles() throws IOException {
        Clock day = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
        LevelFiles files = new LevelFiles(dir, true, 4096, 2, day);
        String line = "x".repeat(1000);
        for (int i = 0; i < 20; i++) {
            files.append("info", List.of(record("INFO", line)));
        }
        files.close();
        assertThat(names()).containsExactlyInAnyOrder("info.log", "info-2026-11-25.3.log", "info-2026-11-25.4.log");
        assertThat(Files.size(dir.resolve("info-2026-11-25.4.log"))).isLessThanOrEqualTo(4096);
    }

    @Test
    void rollsWhenTheDayChanges() throws IOException {
        MovingClock clock = new MovingClock(Instant.parse("2026-11-25T23:59:00Z"));
        LevelFiles files = new LevelFiles(dir, true, 1 << 20, 5, clock);
        files.append("error", List.of(record("ERROR", "late")));
        clock.now = Instant.parse("2026-11-26T00:01:00Z");
        files.append("error", List.of(record("ERROR", "early")));
        files.close();
        assertThat(Files.readAllLines(dir.resolve("error-2026-11-25.1.log"))).containsExactly("late");
        assertThat(Files.readAllLines(dir.resolve("error.log"))).containsExactly("early");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static final class MovingClock extends Clock {
        Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
