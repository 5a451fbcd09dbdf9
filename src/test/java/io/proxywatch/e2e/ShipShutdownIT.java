package io.proxywatch.e2e;

import io.proxywatch.testkit.TestCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 3, item 7: on SIGTERM an open batch is flushed; while the collector is down it is spooled within the
 * shutdown grace, the checkpoint moves past it, and after a restart the spool reaches the collector once it is
 * back: nothing lost, nothing read twice.
 */
class ShipShutdownIT {
    @TempDir
    Path dir;

    private static String line(int i) {
        return String.format("{\"timestamp\":\"2026-11-25T12:00:00.000Z\",\"level\":\"INFO\",\"service\":\"gw\","
                + "\"message\":\"GET /x 200\",\"trace_id\":\"t-%06d\",\"status\":200}%n", i);
    }

    private JarProcess start(Path jar, String url) throws Exception {
        return JarProcess.builder("ship-shutdown").jar(jar)
                .property("proxywatch.input.paths", dir.resolve("logs") + "/*.log")
                .property("proxywatch.input.start-at", "beginning")
                .property("proxywatch.data-dir", dir.resolve("data"))
                .property("proxywatch.levels.dir", dir.resolve("out"))
                .property("proxywatch.ship.url", url)
                // a batch that would stay open for a minute: only the stop can close it
                .property("proxywatch.ship.batch.timeout-ms", 60_000)
                .property("proxywatch.ship.spool.replay-interval-ms", 200)
                .property("proxywatch.ship.shutdown-grace-ms", 2_000)
                .start();
    }

    private long spooledFiles() throws Exception {
        Path spool = dir.resolve("data/spool");
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(p -> p.toString().endsWith(".batch")).count();
        }
    }

    @Test
    void sigtermSpoolsTheOpenBatchWhileTheCollectorIsDownAndItArrivesAfterARestart() throws Exception {
        Path jar = JarProcess.snapshotJar(dir.resolve("jar"));
        Files.createDirectories(dir.resolve("logs"));
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 300; i++) {
            lines.append(line(i));
        }
        Files.writeString(dir.resolve("logs/app.log"), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE);

        try (TestCollector collector = TestCollector.builder().start()) {
            String url = collector.url();
            collector.stop(); // down from the start: connection refused
            JarProcess first = start(jar, url);
            // the 300 lines sit in one open batch once they reached the level file
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("out/info.log"))
                    && Files.readAllLines(dir.resolve("out/info.log")).size() == 300);
            assertThat(spooledFiles()).isZero();
            first.terminate(Duration.ofSeconds(25));
            assertThat(first.output()).doesNotContain("Forcing the routes to be shutdown");
            assertThat(spooledFiles()).as("the open batch was spooled at shutdown").isEqualTo(1);

            collector.start();
            JarProcess second = start(jar, url);
            await().atMost(Duration.ofSeconds(30)).until(() -> collector.distinct() == 300);
            await().atMost(Duration.ofSeconds(10)).until(() -> spooledFiles() == 0);
            second.terminate(Duration.ofSeconds(25));
            // the checkpoint had moved past the spooled lines: the restart read nothing again
            assertThat(collector.duplicates()).isZero();
            assertThat(Files.readAllLines(dir.resolve("out/info.log"))).hasSize(300);
            System.out.println("ShipShutdownIT: sent=300 received_distinct=" + collector.distinct() + " lost="
                    + (300 - collector.distinct()) + " duplicates=" + collector.duplicates()
                    + " spooled_at_sigterm=1");
        }
    }
}
