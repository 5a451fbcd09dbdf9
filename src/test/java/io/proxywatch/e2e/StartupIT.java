package io.proxywatch.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Start-up behaviour of the built jar, as its own process: --help, settings that are wrong (unknown key, bad
 * value, unknown key in a --config file) stop it at once naming the key, and a log folder that does not exist
 * yet is waited for rather than fatal.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StartupIT {
    /** A settings error must stop the jar well before this; it is no daemon that "kind of" started. */
    private static final Duration QUICK_EXIT = Duration.ofSeconds(30);

    private final List<JarProcess> jars = new ArrayList<>();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @AfterEach
    void cleanUp() {
        jars.forEach(JarProcess::close);
    }

    private JarProcess.Builder jar(String name) {
        // relative defaults (./data, ./out, logs/*.log) would land in the temp folder, never in the project
        return JarProcess.builder(name).workDir(tmp)
                .property("proxywatch.data-dir", tmp.resolve("data"))
                .property("proxywatch.levels.dir", tmp.resolve("levels"));
    }

    private JarProcess start(JarProcess.Builder b) throws IOException {
        JarProcess p = b.start();
        jars.add(p);
        return p;
    }

    @Test
    void helpListsTheSettingsAndExitsZero() throws Exception {
        JarProcess p = start(JarProcess.builder("startup-help").workDir(tmp).arg("--help"));
        int exit = p.awaitExit(QUICK_EXIT);
        assertThat(exit).as("exit code of --help; " + p.describeOutput()).isZero();
        assertThat(p.stdout()).as("--help output").contains("proxywatch.input.paths")
                .contains("proxywatch.input.start-at").contains("proxywatch.levels.dir");
    }

    @Test
    void unknownKeyStopsStartUpNamingIt() throws Exception {
        JarProcess p = start(jar("startup-unknown-key").property("proxywatch.input.pathz", "x"));
        int exit = p.awaitExit(QUICK_EXIT);
        assertThat(exit).as("exit code with an unknown key; " + p.describeOutput()).isNotZero();
        assertThat(p.output()).as("output names the unknown key").contains("proxywatch.input.pathz");
    }

    @Test
    void badValueStopsStartUpNamingKeyAndValue() throws Exception {
        JarProcess p = start(jar("startup-bad-value")
                .property("proxywatch.input.paths", tmp.resolve("logs") + "/*.log")
                .property("proxywatch.input.start-at", "middle"));
        int exit = p.awaitExit(QUICK_EXIT);
        assertThat(exit).as("exit code with a bad value; " + p.describeOutput()).isNotZero();
        assertThat(p.output()).as("output names the key and the bad value")
                .contains("proxywatch.input.start-at").contains("middle");
    }

    @Test
    void unknownKeyInConfigFileStopsStartUpNamingKeyAndFile() throws Exception {
        Path config = configWith("bad-key.properties", "proxywatch.levels.dirr=x");
        JarProcess p = start(jar("startup-config-unknown-key").arg("--config", config.toString()));
        int exit = p.awaitExit(QUICK_EXIT);
        assertThat(exit).as("exit code with an unknown key in --config; " + p.describeOutput()).isNotZero();
        assertThat(p.output()).as("output names the key and the file")
                .contains("proxywatch.levels.dirr").contains(config.getFileName().toString());
    }

    /** Camel's own keys are checked as Camel binds them: a typo is a settings error (exit 2), not a stack trace. */
    @Test
    void aMisspeltCamelKeyInConfigFileStopsStartUpWithExitTwoNamingIt() throws Exception {
        Path config = configWith("bad-camel-key.properties", "camel.main.shutdown-timeot=60");
        JarProcess p = start(jar("startup-config-camel-key").arg("--config", config.toString()));
        int exit = p.awaitExit(QUICK_EXIT);
        assertThat(exit).as("exit code with a misspelt camel.* key; " + p.describeOutput()).isEqualTo(2);
        assertThat(p.output()).as("output names the key and the file").contains("shutdownTimeot")
                .contains(config.getFileName().toString()).doesNotContain("\tat org.apache");
    }

    /** A --config file named {@code name} following this test's logs, with {@code line} after that setting. */
    private Path configWith(String name, String line) throws IOException {
        Path config = tmp.resolve(name);
        Files.writeString(config, "proxywatch.input.paths=" + tmp.resolve("logs") + "/*.log\n" + line + "\n",
                StandardCharsets.UTF_8);
        return config;
    }

    @Test
    void missingLogFolderIsWaitedForAndFilesFoundLaterAreReadFromTheirBeginning() throws Exception {
        Path folder = tmp.resolve("later").resolve("logs");
        Path levels = tmp.resolve("levels");
        JarProcess p = start(jar("startup-missing-folder")
                .property("proxywatch.input.paths", folder + "/*.log")
                // "end" applies only to files present at the very first start; a file found later is read whole
                .property("proxywatch.input.start-at", "end")
                .property("proxywatch.input.rescan-interval-ms", 500));
        p.awaitOutput(") started in", Duration.ofSeconds(90));
        await("the jar to keep running while " + folder + " is missing").during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5)).until(p::isAlive);

        Files.createDirectories(folder);
        StringBuilder lines = new StringBuilder();
        int n = 20;
        for (int seq = 1; seq <= n; seq++) {
            lines.append(LogWriter.line(seq));
        }
        Files.writeString(folder.resolve("proxy.log"), lines, StandardCharsets.UTF_8);

        LevelFileCounter counter = new LevelFileCounter(levels, n);
        await("the lines of a file that appeared later to reach the level files").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("the jar exited: " + p.describeOutput());
                    }
                    return counter.refresh().distinct() == n;
                });
        long infoLines = 0;
        for (int seq = 1; seq <= n; seq++) {
            if (LogWriter.level(seq).equals("INFO")) {
                infoLines++;
            }
        }
        assertThat(infoLines).as("the sample has INFO lines").isPositive();
        assertThat(counter.perFile().getOrDefault("info", 0L)).as("records in info.log").isEqualTo(infoLines);
        assertThat(Files.readString(levels.resolve("info.log"))).contains("\"trace_id\":\"t-000001\"");
        assertThat(counter.misfiled()).as("misfiled: " + counter.examples()).isZero();
        assertThat(counter.duplicates()).isZero();
        assertThat(counter.missingSource()).as("records without source: " + counter.examples()).isZero();

        p.terminate(Duration.ofSeconds(45));
    }
}
