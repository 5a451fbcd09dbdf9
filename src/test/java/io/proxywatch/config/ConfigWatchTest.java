package io.proxywatch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConfigWatchTest {
    @TempDir
    Path dir;

    @Test
    void anEditIsReportedOnceItHoldsStillAndNamesTheFile() throws Exception {
        Path config = Files.writeString(dir.resolve("pw.properties"), "a=1\n");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("ingest.yaml"), "- route: {}\n");
        List<List<String>> reports = new CopyOnWriteArrayList<>();
        try (ConfigWatch watch = new ConfigWatch(List.of(config, routes), 100, reports::add)) {
            awaitPolls(watch, 3);
            assertThat(reports).as("nothing changed").isEmpty();

            Files.writeString(config, "a=2\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> reports.size() == 1);
            assertThat(reports.get(0)).containsExactly(config.toString());

            Files.writeString(routes.resolve("extra.yaml"), "- route: {}\n");
            Files.delete(routes.resolve("ingest.yaml"));
            await().atMost(Duration.ofSeconds(5)).until(() -> reports.size() == 2);
            assertThat(reports.get(1)).containsExactlyInAnyOrder(routes.resolve("extra.yaml").toString(),
                    routes.resolve("ingest.yaml") + " (removed)");

            awaitPolls(watch, watch.polls() + 3);
            assertThat(reports).as("one report per edit").hasSize(2);
        }
    }

    @Test
    void theSameContentWrittenAgainIsNoEdit() throws Exception {
        Path config = Files.writeString(dir.resolve("pw.properties"), "a=1\n");
        List<List<String>> reports = new CopyOnWriteArrayList<>();
        try (ConfigWatch watch = new ConfigWatch(List.of(config), 100, reports::add)) {
            Files.writeString(config, "a=1\n");
            Files.setLastModifiedTime(config, java.nio.file.attribute.FileTime.fromMillis(0));
            awaitPolls(watch, watch.polls() + 3);
            assertThat(reports).isEmpty();
        }
    }

    /** Waits until the watch has checked at least {@code n} times in all (an edit needs two to be reported). */
    private static void awaitPolls(ConfigWatch watch, long n) {
        await().atMost(Duration.ofSeconds(5)).until(() -> watch.polls() >= n);
    }
}
