package io.proxywatch.demo;

import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoLogTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    @Test
    void appendWritesWholeLinesAndMakesTheFolder() throws Exception {
        DemoLog log = new DemoLog(dir.resolve("logs"), clock, 2);
        log.append(List.of("{\"a\":1}", "{\"a\":2}"));
        log.append(List.of());
        log.append(List.of("{\"a\":3}"));
        assertThat(Files.readString(log.current())).isEqualTo("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    }

    @Test
    void rotateRenamesLikeLumberjackAndStartsAnEmptyFile() throws Exception {
        DemoLog log = new DemoLog(dir, clock, 2);
        assertThat(log.rotate()).as("nothing to rotate yet").isNull();
        log.append(List.of("first"));
        clock.set(java.time.Instant.parse("2026-11-25T12:00:00.250Z").toEpochMilli());
        Path rotated = log.rotate();
        assertThat(rotated.getFileName().toString()).isEqualTo("access-2026-11-25T12-00-00.250.log");
        assertThat(Files.readString(rotated)).isEqualTo("first\n");
        assertThat(log.current()).exists();
        assertThat(Files.size(log.current())).isZero();
    }

    @Test
    void onlyTheNewestRotatedFilesAreKept() throws Exception {
        DemoLog log = new DemoLog(dir, clock, 2);
        for (int i = 0; i < 5; i++) {
            log.append(List.of("line " + i));
            clock.advance(60_000);
            log.rotate();
        }
        List<Path> kept = log.rotated();
        assertThat(kept).hasSize(2);
        assertThat(Files.readString(kept.get(0))).isEqualTo("line 3\n");
        assertThat(Files.readString(kept.get(1))).isEqualTo("line 4\n");
    }

    @Test
    void twoRotationsInOneMillisecondKeepBothFiles() throws Exception {
        DemoLog log = new DemoLog(dir, clock, 5);
        log.append(List.of("a"));
        Path first = log.rotate();
        log.append(List.of("b"));
        Path second = log.rotate();
        assertThat(second).isNotEqualTo(first);
        assertThat(Files.readString(first)).isEqualTo("a\n");
        assertThat(Files.readString(second)).isEqualTo("b\n");
    }
}
