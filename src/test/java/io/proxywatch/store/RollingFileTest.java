package io.proxywatch.store;

import io.proxywatch.testkit.LogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Appends, and a file left by a process killed in the middle of one. */
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

    /**
     * A full disk takes part of an append: what it took is cut off, so the chunk written again starts on a line of
     * its own. The fragment stayed (a start only cuts after a kill), and the retry glued its first record to it.
     */
    @Test
    void anAppendTheDiskCutShortLeavesNoFragment() throws IOException {
        Path f = dir.resolve("info.log");
        RollingFile file = new RollingFile(dir, "info", 1 << 30, 3, clock);
        file.appendLines(new byte[][] {"{\"a\":1}".getBytes(StandardCharsets.UTF_8)});
        int[] room = {5};
        file.writes = (ch, buf) -> {
            if (room[0] == 0) {
                throw new IOException("No space left on device");
            }
            ByteBuffer part = buf.slice().limit(Math.min(buf.remaining(), room[0]));
            int n = ch.write(part);
            buf.position(buf.position() + n);
            room[0] -= n;
            return n;
        };
        byte[][] chunk = {"{\"b\":2}".getBytes(StandardCharsets.UTF_8), "{\"c\":3}".getBytes(StandardCharsets.UTF_8)};
        assertThatThrownBy(() -> file.appendLines(chunk)).hasMessageContaining("No space left");
        assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n");
        file.writes = java.nio.channels.FileChannel::write; // room again: the chunk is written again
        file.appendLines(chunk);
        file.close();
        assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
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

    @Test
    void linesAppendedTogetherAreTheirConcatenationWhateverTheirSizes() throws IOException {
        java.util.Random rnd = new java.util.Random(3);
        byte[][] lines = new byte[400][];
        StringBuilder want = new StringBuilder("{\"before\":0}\n");
        for (int i = 0; i < lines.length; i++) {
            // mostly record-sized, some spanning several of the 256 KB buffers, one empty
            int n = i == 7 ? 0 : i % 97 == 0 ? 300_000 + rnd.nextInt(500_000) : 100 + rnd.nextInt(900);
            char c = (char) ('a' + i % 26);
            lines[i] = String.valueOf(c).repeat(n).getBytes(StandardCharsets.US_ASCII);
            want.append(String.valueOf(c).repeat(n)).append('\n');
        }
        RollingFile file = new RollingFile(dir, "info", 1L << 40, 3, clock);
        file.append("{\"before\":0}\n".getBytes(StandardCharsets.UTF_8));
        file.appendLines(lines);
        file.appendLines(new byte[0][]);
        file.close();
        assertThat(Files.readString(dir.resolve("info.log"), StandardCharsets.US_ASCII)).isEqualTo(want.toString());
    }

    @Test
    void linesThatWouldPassTheSizeLimitGoToANewFile() throws IOException {
        RollingFile file = new RollingFile(dir, "info", 100, 3, clock);
        file.appendLines(new byte[][] {"x".repeat(60).getBytes(StandardCharsets.US_ASCII)});
        file.appendLines(new byte[][] {"y".repeat(20).getBytes(StandardCharsets.US_ASCII),
                "z".repeat(20).getBytes(StandardCharsets.US_ASCII)});
        file.close();
        // 61 + 42 bytes would pass 100: the second append began a new info.log and the first was rolled
        assertThat(Files.readString(dir.resolve("info.log"))).isEqualTo("y".repeat(20) + "\n" + "z".repeat(20) + "\n");
        try (var rolled = Files.list(dir)) {
            assertThat(rolled.map(p -> p.getFileName().toString()).filter(n -> !n.equals("info.log")))
                    .singleElement().satisfies(n -> assertThat(Files.readString(dir.resolve(n)))
                            .isEqualTo("x".repeat(60) + "\n"));
        }
    }
}
