package io.proxywatch.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lines of a megabyte each, the length a client can give a proxy's log line by sending large request headers,
 * read by the jar with a 64 MB heap: before the bytes in flight were bounded, the tailer made one chunk of 1,000
 * such lines, its thread died of OutOfMemoryError and nothing more was ever read.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LongLinesIT {
    private static final int LINES = 120;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private JarProcess jar;

    @AfterEach
    void stop() {
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    void megabyteLinesPassThroughA64MegabyteHeap() throws Exception {
        Path logs = writeLog();
        Path levels = tmp.resolve("levels");
        jar = JarProcess.builder("long-lines").workDir(tmp).heap("64m")
                .property("proxywatch.input.paths", logs + "/*.log")
                .property("proxywatch.input.start-at", "beginning")
                .property("proxywatch.data-dir", tmp.resolve("data"))
                .property("proxywatch.levels.dir", levels)
                .start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .failFast("the jar exited: " + jar.describeOutput(), () -> !jar.isAlive())
                .until(() -> infoLines(levels) >= LINES);
        assertThat(infoLines(levels)).isEqualTo(LINES);
        assertThat(jar.isAlive()).isTrue();
        assertThat(jar.output()).doesNotContain("OutOfMemoryError");
    }

    /**
     * The same lines with the bytes in flight set far above the heap: the tail thread runs out of memory, and the
     * process ends with code 3 for the service manager to restart it, instead of running on with that thread dead.
     */
    @Test
    void runningOutOfMemoryEndsTheJarWithCodeThree() throws Exception {
        Path logs = writeLog();
        jar = JarProcess.builder("long-lines-oom").workDir(tmp).heap("64m")
                .property("proxywatch.input.paths", logs + "/*.log")
                .property("proxywatch.input.start-at", "beginning")
                .property("proxywatch.input.max-in-flight-bytes", 1L << 30)
                .property("proxywatch.data-dir", tmp.resolve("data"))
                .property("proxywatch.levels.dir", tmp.resolve("levels"))
                .start();
        int exit = jar.awaitExit(Duration.ofSeconds(90));
        assertThat(exit).as(jar.describeOutput()).isEqualTo(3);
        assertThat(jar.output()).contains("OutOfMemoryError").contains("exiting with code 3");
    }

    private Path writeLog() throws IOException {
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        String agent = "Mozilla/5.0 " + "h".repeat(1_000_000); // under max-line-bytes (1 MiB): kept whole
        try (Writer w = Files.newBufferedWriter(logs.resolve("access.log"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                w.write("{\"timestamp\":\"2026-11-26T12:00:00Z\",\"level\":\"INFO\",\"message\":\"GET / 200\","
                        + "\"trace_id\":\"long-" + i + "\",\"client_ip\":\"10.0.0." + (i % 250 + 1) + "\","
                        + "\"method\":\"GET\",\"path\":\"/\",\"status\":200,\"user_agent\":\"" + agent + "\"}\n");
            }
        }
        return logs;
    }

    /** Lines in info.log and the files it rolled into (120 MB is more than one level file holds). */
    private static long infoLines(Path levels) throws IOException {
        if (!Files.isDirectory(levels)) {
            return 0;
        }
        long n = 0;
        try (var files = Files.list(levels)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("info")).toList()) {
                n += newlines(f);
            }
        }
        return n;
    }

    private static long newlines(Path file) throws IOException {
        long n = 0;
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
