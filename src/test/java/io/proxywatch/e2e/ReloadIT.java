package io.proxywatch.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 6 item 3 end to end: the jar runs from an exported routes folder and a --config file; edits to both
 * apply while it runs (the rate window is carried across the restart: 60 requests before the edit and 50 after
 * make one burst over the limit of 100), an unknown key is rejected without a restart, a broken route is rolled
 * back to the routes that ran, and no line is lost or read twice on the way.
 */
class ReloadIT {
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final String STARTED = ") started in";

    @TempDir
    Path dir;

    private int written;

    @Test
    void editsToSettingsAndRoutesApplyLiveAndBadOnesAreRejected() throws Exception {
        Path routes = dir.resolve("routes");
        Path rules = dir.resolve("rules.yaml");
        export("--export-routes", routes);
        export("--export-rules", rules);
        // a long window, so the test's pace on a loaded machine cannot split the burst in two
        Files.writeString(rules, Files.readString(rules).replaceFirst("window: 10s", "window: 300s"));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path config = dir.resolve("proxywatch.properties");
        Files.writeString(config, String.join("\n",
                "proxywatch.input.paths=" + logs + "/*.log",
                "proxywatch.input.start-at=beginning",
                "proxywatch.rules.file=" + rules,
                "proxywatch.reload.interval-ms=300",
                "proxywatch.levels.dir=" + dir.resolve("out"), ""));

        int port = io.proxywatch.testkit.FreePort.next();
        try (JarProcess jar = JarProcess.builder("reload").workDir(dir).property("proxywatch.dashboard.port", port)
                .arg("--config", config.toString(), "--routes-dir", routes.toString()).start()) {
            jar.awaitOutput(STARTED, Duration.ofSeconds(60));
            requests(60);
            awaitLines(dir.resolve("out/info.log"), 60);
            await("the dashboard's history to show the 60 requests").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> historyRequests(port) >= 60);
            java.util.List<Long> secondsBefore = historySeconds(port);

            // a settings edit: the level files move, the 60 requests stay in the window
            Files.writeString(config, "proxywatch.levels.dir=" + dir.resolve("out2") + "\n", StandardOpenOption.APPEND);
            awaitStarts(jar, 2);
            // the charts' history is handed over too: the seconds recorded before the restart are still there
            await("the dashboard after the restart").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> historySeconds(port).containsAll(secondsBefore));
            assertThat(historyRequests(port)).isGreaterThanOrEqualTo(60);
            requests(50);
            awaitLines(dir.resolve("out2/info.log"), 50);
            await("the burst across the reload").atMost(Duration.ofSeconds(30))
                    .until(() -> read(dir.resolve("out2/alerts.log")).contains("\"rule\":\"ip-burst\""));
            assertThat(read(dir.resolve("out/alerts.log"))).doesNotContain("ip-burst");

            // an unknown key: rejected before anything stops
            String good = Files.readString(config);
            Files.writeString(config, good + "proxywatch.levles.format=raw\n");
            jar.awaitOutput("rejected, the running configuration stays: unknown setting 'proxywatch.levles.format'",
                    Duration.ofSeconds(30));
            assertThat(starts(jar)).isEqualTo(2);
            Files.writeString(config, good);
            awaitStarts(jar, 3);

            // a broken route: the edit is tried, fails, and the routes that ran start again
            Path progress = routes.resolve("progress.yaml");
            String progressYaml = Files.readString(progress);
            Files.writeString(progress, progressYaml + "- route: [broken\n");
            jar.awaitOutput("reload rejected, the edit did not start", Duration.ofSeconds(60));
            awaitStarts(jar, 4);
            requests(5);
            awaitLines(dir.resolve("out2/info.log"), 55);

            // a working route edit: fixed file plus a new route of the operator's own
            Path marker = dir.resolve("marker");
            Files.writeString(progress, progressYaml);
            Files.writeString(routes.resolve("marker.yaml"), """
                    - route:
                        id: operator-marker
                        from:
                          uri: "timer:operator-marker?repeatCount=1"
                          steps:
                            - setBody:
                                constant: "loaded"
                            - to: "file:%s?fileName=marker.txt"
                    """.formatted(marker.toString().replace('\\', '/')));
            await("the operator's new route").atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(marker.resolve("marker.txt")));
            requests(5);
            awaitLines(dir.resolve("out2/info.log"), 60);

            int startsBeforeStop = starts(jar);
            // 143: the JVM's own code for SIGTERM, after the shutdown hooks ran
            assertThat(jar.terminate(Duration.ofSeconds(45))).isIn(0, 143);
            assertThat(starts(jar)).as("a stop is not a reload").isEqualTo(startsBeforeStop);
            assertThat(jar.stdout()).contains("stopped following 1 files; checkpoints written");
        }
        // every line once: 60 before the first edit, 60 after, across five starts and one failed one
        assertThat(lines(dir.resolve("out/info.log")) + lines(dir.resolve("out2/info.log"))).isEqualTo(written);
    }

    private void export(String option, Path target) throws Exception {
        try (JarProcess export = JarProcess.builder("export").workDir(dir).arg(option, target.toString()).start()) {
            assertThat(export.awaitExit(Duration.ofSeconds(60))).as(export.describeOutput()).isZero();
        }
    }

    /** Appends {@code n} requests from one client, each to its own path (so only the per-IP rule counts them). */
    private void requests(int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(CLF);
        for (int i = 0; i < n; i++) {
            written++;
            sb.append("203.0.113.50 - - [").append(now).append("] \"GET /page/").append(written)
                    .append(" HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"\n");
        }
        Files.writeString(dir.resolve("logs/access.log"), sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static void awaitStarts(JarProcess jar, int n) {
        await("start number " + n).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> starts(jar) >= n);
    }

    private static int starts(JarProcess jar) {
        return jar.output().split(java.util.regex.Pattern.quote(STARTED), -1).length - 1;
    }

    private static void awaitLines(Path file, int n) {
        await(file + " to hold " + n + " lines").atMost(Duration.ofSeconds(60)).until(() -> lines(file) >= n);
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    /** The times of the seconds with requests in GET /api/history. */
    private static java.util.List<Long> historySeconds(int port) throws Exception {
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode p : history(port).get("seconds")) {
            if (p.get("requests").asLong() > 0) {
                out.add(p.get("time").asLong());
            }
        }
        return out;
    }

    private static long historyRequests(int port) throws Exception {
        long n = 0;
        for (com.fasterxml.jackson.databind.JsonNode p : history(port).get("seconds")) {
            n += p.get("requests").asLong();
        }
        return n;
    }

    private static com.fasterxml.jackson.databind.JsonNode history(int port) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/api/history")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
