package io.proxywatch.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The quick-start command as a newcomer runs it: {@code java -jar proxywatch.jar --demo} from an empty folder,
 * with no other option. The demo's burst and probes must reach alerts.log and its traffic the level files, all
 * under the demo's temp folder and nothing in the working folder; SIGTERM stops it cleanly.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void demoFromAnEmptyFolderRaisesBurstAndProbeAlertsAndStopsCleanly() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("empty-working-folder"));
        // the demo's temp folder lands here rather than in the machine's /tmp, so the test can find and clean it
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        try (JarProcess p = JarProcess.builder("demo").workDir(cwd).property("java.io.tmpdir", javaTmp)
                .arg("--demo").start()) {
            p.awaitOutput("demo folder", Duration.ofSeconds(90));
            Path demo = demoFolder(javaTmp);
            assertThat(p.output()).as("the banner names the demo folder").contains(demo.toString())
                    .containsPattern("dashboard +http://127\\.0\\.0\\.1:\\d+/");

            Path alerts = demo.resolve("out/alerts.log");
            await("a burst and SQLi/XSS/traversal alerts in " + alerts).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        if (!p.isAlive()) {
                            throw new AssertionError("the demo exited: " + p.describeOutput());
                        }
                        Set<String> seen = rulesAndCategories(alerts);
                        return seen.containsAll(List.of("ip-burst", "sqli", "xss", "path_traversal"));
                    });
            for (String level : new String[]{"info", "warn", "error"}) {
                Path file = demo.resolve("out/" + level + ".log");
                assertThat(file).as(level + ".log").exists();
                assertThat(Files.size(file)).as(level + ".log size").isPositive();
            }
            // the grouper let the burst incident out to the log channel after the demo's short group-wait
            p.awaitOutput("alert high firing ip-burst 203.0.113.", Duration.ofSeconds(20));

            int exit = p.terminate(Duration.ofSeconds(45));
            assertThat(exit).as("exit code after SIGTERM (0, or 143 for the signal); " + p.describeOutput())
                    .isIn(0, 143);
            assertThat(p.output()).doesNotContain("Forcing the routes to be shutdown").doesNotContain("Exception");
            assertThat(demo.resolve("data/checkpoints.json")).as("checkpoints written on the way out").exists();
            try (Stream<Path> left = Files.list(cwd)) {
                assertThat(left.toList()).as("files the demo left in the working folder").isEmpty();
            }
        }
    }

    private static Path demoFolder(Path javaTmp) throws IOException {
        try (Stream<Path> s = Files.list(javaTmp)) {
            List<Path> demos = s.filter(f -> f.getFileName().toString().startsWith("proxywatch-demo")).toList();
            assertThat(demos).as("demo folders in " + javaTmp).hasSize(1);
            return demos.get(0);
        }
    }

    /** The rule ids and categories of the alert events so far. */
    private static Set<String> rulesAndCategories(Path alerts) throws IOException {
        Set<String> out = new HashSet<>();
        if (!Files.exists(alerts)) {
            return out;
        }
        for (String line : Files.readAllLines(alerts, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                out.add(n.path("rule").asText());
                out.add(n.path("category").asText());
            } catch (IOException partial) {
                // a line still being written: read again on the next poll
            }
        }
        return out;
    }
}
