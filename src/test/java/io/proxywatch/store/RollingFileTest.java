package io.proxywatch.store;

import io.proxywatch.testkit.LogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** A file left by a process killed in the middle of an append. */
class RollingFileTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemDefaultZone();

    private String reopenAndAppend(String before, String next) throws IOException {
        Path f = dir.resolve("info.log");
        Files.writeString(f, before, StandardCharsets.UTF_8);
        RollingFile file = new RollingFile(dir, "info", 1 << 30, 3, clock);
        file.append(next.getBytes(StandardCharsets.UTF_8));
        file.close();
        return Files.readString(f, StandardCharsets.UTF_8);
    }

    @Test
    void aPartLineAtTheEndIsCutBeforeTheNextAppend() throws IOException {
        try (LogLines log = LogLines.everything()) {
            assertThat(reopenAndAppend("{\"a\":1}\n{\"b\":2}\n{\"c\":", "{\"c\":3}\n"))
                    .isEqualTo("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
            assertThat(log.text()).contains("info.log ended in part of a line (5 bytes");
        }
    }

    @Test
    void aFileOfOnlyAPartLineStartsEmpty() throws IOException {
        assertThat(reopenAndAppend("{\"a\":", "{\"a\":1}\n")).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void wholeLinesAreLeftAlone() throws IOException {
        try (LogLines log = LogLines.everything()) {
            assertThat(reopenAndAppend("one\ntwo\n", "three\n")).isEqualTo("one\ntwo\nthree\n");
            assertThat(log.text()).doesNotContain("part of a line");
        }
    }

    /** The last newline lies several read blocks before the end: a torn 10 MB line. */
    @Test
    void aPartLineLongerThanTheReadBlockIsCutWhole() throws IOException {
        String whole = "x".repeat(70_000) + "\n" + "y".repeat(100) + "\n";
        String torn = "z".repeat(10 * 1024 * 1024 + 17);
        assertThat(reopenAndAppend(whole + torn, "next\n")).isEqualTo(whole + "next\n");
        assertThat(RollingFile.cutTornLine(dir.resolve("info.log"))).isZero();
    }

    @Test
    void aNewlineExactlyOnABlockEdgeIsFound() throws IOException {
        Path f = dir.resolve("edge.log");
        String head = "a".repeat(64 * 1024 - 1) + "\n";
        Files.writeString(f, head + "b".repeat(64 * 1024));
        assertThat(RollingFile.cutTornLine(f)).isEqualTo(64 * 1024);
        assertThat(Files.readString(f)).isEqualTo(head);
    }
}
