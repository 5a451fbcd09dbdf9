package io.proxywatch.pipeline;

import io.proxywatch.testkit.TestCollector;
import io.proxywatch.testkit.TestCollector.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ship-replay.yaml on the packaged routes: what the collector answers to a batch sent again from the spool. */
class ShipReplayTest {
    @TempDir
    Path dir;

    /**
     * A spooled batch the collector finds too large (413) is sent again in halves, as the live path does: every
     * record arrives and nothing goes to the dead letters. The replay used to dead-letter the batch whole.
     */
    @Test
    void aSpooledBatchTooLargeForTheCollectorIsSentInHalves() throws Exception {
        try (TestCollector collector = TestCollector.builder().start();
             InProcessPipeline pipeline = InProcessPipeline.start(dir,
                     "proxywatch.ship.url", collector.url(),
                     "proxywatch.ship.batch.max-records", "8",
                     "proxywatch.ship.batch.timeout-ms", "100",
                     "proxywatch.ship.retry.max-attempts", "2",
                     "proxywatch.ship.retry.initial-delay-ms", "100",
                     "proxywatch.ship.retry.max-delay-ms", "200",
                     "proxywatch.ship.spool.replay-interval-ms", "200")) {
            collector.addRule(Rule.status(503).named("down"));
            InProcessPipeline.appendNumbered(dir, "app.log", 1, 8);
            await().atMost(Duration.ofSeconds(30)).until(() -> files(dir.resolve("data/spool"), ".batch") == 1);

            collector.clearRules();
            collector.addRule(Rule.status(413).body("{\"error\":\"payload too large\"}")
                    .when(r -> r.recordCount() > 2).named("413 > 2"));
            await().atMost(Duration.ofSeconds(30)).until(() -> collector.acceptedRecords() == 8);
            assertThat(collector.requests()).filteredOn(r -> r.recordCount() > 2).isNotEmpty(); // the 413s came
            assertThat(files(dir.resolve("data/dead-letter"), ".json")).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> files(dir.resolve("data/spool"), ".batch") == 0);
            assertThat(collector.schemaErrors()).isEmpty();
        }
    }

    private static long files(Path folder, String suffix) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        }
    }
}
