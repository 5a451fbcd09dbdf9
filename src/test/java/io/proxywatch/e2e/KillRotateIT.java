package io.proxywatch.e2e;

import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
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
 * End to end, the built jar as its own process: a writer appends 200,000 lines to {@code logs/app.log}, rotating
 * by rename every 20,000 ({@code app.log -> app-0001.old}, a name the {@code logs/*.log} glob does NOT match, so a
 * rotated file can only be finished by identity); proxywatch is killed with SIGKILL twice while the writer runs
 * and restarted each time; the second restart comes after a rotation that happened while it was down (its
 * checkpointed file was renamed while it was stopped). Afterwards every written line must be in the level files
 * (zero lost); duplicates are counted and may be at most one chunk per kill.
 *
 * <p><b>Pace.</b> The writer runs at {@value #DEFAULT_RATE} lines/s by default ({@code -Dkillrotate.rate=N}), so a
 * rotation comes every ~4 s. That is deliberate: a file that is created AND rotated away to a non-matching name
 * while proxywatch is down (or still starting) was never seen and has no checkpoint, so no tailer could find it;
 * the rotation interval must stay well above "downtime + JVM start + one rescan", or the test would measure its
 * own design instead of the jar.
 *
 * <p><b>Duplicate bound.</b> The tail consumer hands one chunk (at most {@value #CHUNK_LINES} lines) at a time to
 * a synchronous route, and the checkpoint moves, and is saved atomically, right after that exchange completed.
 * A SIGKILL can therefore leave at most the one chunk whose records were (partly) appended without its
 * checkpoint: at most {@value #CHUNK_LINES} lines read again per kill, so 2 x {@value #CHUNK_LINES} for two kills,
 * with no extra factor.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KillRotateIT {
    static final long TOTAL = 200_000;
    static final long ROTATE_EVERY = 20_000;
    static final int CHUNK_LINES = 1000;
    static final int DEFAULT_RATE = 5000;
    static final int KILLS = 2;
    static final long KILL_1_AT = 50_000;
    /** 1,000 lines before the rotation at 140,000: that rotation then happens while proxywatch is down. */
    static final long KILL_2_AT = 139_000;

    private final int rate = Integer.getInteger("killrotate.rate", DEFAULT_RATE);
    private final List<JarProcess> jars = new ArrayList<>();
    private LogWriter writer;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (writer != null) {
            writer.stop();
        }
        for (JarProcess jar : jars) {
            jar.close();
        }
    }

    private JarProcess startJar(String name) throws IOException {
        JarProcess jar = JarProcess.builder(name)
                .workDir(tmp)
                .property("proxywatch.input.paths", tmp.resolve("logs") + "/*.log")
                .property("proxywatch.input.start-at", "beginning")
                .property("proxywatch.input.chunk.max-lines", CHUNK_LINES)
                .property("proxywatch.data-dir", tmp.resolve("data"))
                .property("proxywatch.levels.dir", tmp.resolve("levels"))
                .property("proxywatch.progress.interval-ms", 2000)
                .start();
        jars.add(jar);
        return jar;
    }

    @Test
    void everyLineSurvivesTwoKillsAndRenameRotation() throws Exception {
        long t0 = System.nanoTime();
        Path logs = tmp.resolve("logs");
        Files.createDirectories(logs);
        LevelFileCounter counter = new LevelFileCounter(tmp.resolve("levels"), TOTAL);
        writer = new LogWriter(logs, "app.log", TOTAL, ROTATE_EVERY, rate, 100);
        List<String> timeline = new ArrayList<>();

        JarProcess jar = startJar("killrotate-run1");
        jar.awaitOutput(") started in", Duration.ofSeconds(90));
        timeline.add(at(t0) + " run1 started (pid " + jar.pid() + ")");
        writer.start();

        // kill 1: in the middle of a file (40,001..60,000 is the third one)
        awaitWritten(KILL_1_AT);
        jar = killAndRestart(jar, "killrotate-run2", KILL_1_AT + rate / 2, timeline, t0);

        // kill 2: just before a rotation; restart only after it happened
        awaitWritten(KILL_2_AT);
        assertAlive(jar);
        jar.kill9();
        int rotationsAtKill = writer.rotations();
        timeline.add(at(t0) + " SIGKILL " + jar.label() + " at line " + writer.written() + " (rotations so far "
                + rotationsAtKill + ")");
        await("a rotation while proxywatch is down").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> writer.rotations() > rotationsAtKill && writer.written() >= KILL_2_AT + 1000 + rate / 10
                        || writer.isDone());
        assertThat(writer.rotations()).as("a rotation happened while proxywatch was down").isGreaterThan(rotationsAtKill);
        jar = startJar("killrotate-run3");
        timeline.add(at(t0) + " restarted as " + jar.label() + " at line " + writer.written() + " after rotation "
                + writer.rotations() + " (" + writer.rotatedName(writer.rotations()).getFileName() + ") while down");

        await("the writer to finish").atMost(Duration.ofSeconds(TOTAL / rate + 60)).until(writer::isDone);
        assertThat(writer.failure()).as("the log writer failed").isNull();
        timeline.add(at(t0) + " writer done: " + writer.written() + " lines, " + writer.rotations() + " rotations");

        boolean caughtUp = true;
        try {
            JarProcess running = jar;
            await("all " + TOTAL + " trace ids in the level files").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        assertAlive(running);
                        return counter.refresh().distinct() == TOTAL;
                    });
        } catch (ConditionTimeoutException e) {
            caughtUp = false;
        }
        timeline.add(at(t0) + " level files " + (caughtUp ? "complete" : "INCOMPLETE after 90 s"));

        int exit = jar.terminate(Duration.ofSeconds(45));
        timeline.add(at(t0) + " SIGTERM " + jar.label() + ": exit code " + exit);
        boolean renamedWhileDownSeen = jar.stdout().contains("rotated while stopped");
        counter.refresh();

        long[] offsetMismatchCount = new long[1];
        List<String> offsetMismatches = counter.offsetMismatches(writer, 5, offsetMismatchCount);
        String summary = "KillRotateIT: written=" + writer.written() + " found=" + counter.distinct()
                + " lost=" + counter.missingCount() + " duplicates=" + counter.duplicates()
                + " (bound " + KILLS * CHUNK_LINES + ") records=" + counter.lines() + " perFile=" + counter.perFile()
                + " malformed=" + counter.malformed() + " misfiled=" + counter.misfiled()
                + " wrongLevel=" + counter.wrongLevel() + " missingSource=" + counter.missingSource()
                + " offsetMismatches=" + offsetMismatchCount[0] + " rate=" + rate + "/s"
                + " time=" + Duration.ofNanos(System.nanoTime() - t0).toSeconds() + "s";
        StringBuilder report = new StringBuilder(summary).append('\n');
        timeline.forEach(l -> report.append("  ").append(l).append('\n'));
        report.append("  duplicate runs: ").append(counter.duplicateRuns(10)).append('\n')
                .append("  missing runs: ").append(counter.missingRuns(10)).append('\n')
                .append("  source.file values: ").append(counter.sourceFiles()).append('\n')
                .append("  renamed-while-stopped file picked up (log line seen): ").append(renamedWhileDownSeen)
                .append('\n')
                .append("  offset mismatches: ").append(offsetMismatches).append('\n')
                .append("  examples: ").append(counter.examples()).append('\n')
                .append("  jar output: ").append(JarProcess.logDir()).append('\n');
        System.out.println(report);
        Files.writeString(JarProcess.logDir().resolve("KillRotateIT-summary.txt"), report, StandardCharsets.UTF_8);

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(counter.missingCount()).as("lost lines; first missing: " + counter.missingRuns(10)
                + "; jar output in " + JarProcess.logDir()).isZero();
        soft.assertThat(counter.duplicates()).as("duplicate lines (at most one chunk of " + CHUNK_LINES
                + " per kill); runs: " + counter.duplicateRuns(10)).isLessThanOrEqualTo((long) KILLS * CHUNK_LINES);
        soft.assertThat(counter.malformed()).as("level-file lines that are not JSON objects: " + counter.examples())
                .isZero();
        soft.assertThat(counter.foreign()).as("records with a trace id nobody wrote: " + counter.examples()).isZero();
        soft.assertThat(counter.misfiled()).as("records in the wrong level file: " + counter.examples()).isZero();
        soft.assertThat(counter.wrongLevel()).as("records whose level differs from the line's: " + counter.examples())
                .isZero();
        soft.assertThat(counter.missingSource()).as("records without source.file/source.offset: "
                + counter.examples()).isZero();
        soft.assertThat(counter.inconsistentOffset()).as("a line seen twice with different source.offset").isZero();
        soft.assertThat(offsetMismatchCount[0]).as("source.offset is not the byte offset the line starts at: "
                + offsetMismatches).isZero();
        soft.assertThat(counter.sourceFiles()).as("source.file values")
                .allSatisfy(f -> assertThat(Path.of(f).getParent()).isEqualTo(logs));
        soft.assertAll();

        // SIGTERM wrote the final checkpoints: a restart reads nothing again
        long linesBefore = counter.lines();
        JarProcess again = startJar("killrotate-after-sigterm");
        again.awaitOutput("following " + logs.resolve("app.log"), Duration.ofSeconds(90));
        await("no line read again after a SIGTERM stop").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> counter.refresh().lines() == linesBefore);
        again.terminate(Duration.ofSeconds(45));
    }

    private void awaitWritten(long lines) {
        await("the writer to reach line " + lines).atMost(Duration.ofSeconds(lines / rate + 60))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    if (writer.failure() != null) {
                        throw new AssertionError("the log writer failed", writer.failure());
                    }
                    return writer.written() >= lines || writer.isDone();
                });
    }

    /** SIGKILL, then a restart once the writer has reached {@code restartAtLine} (about half a second later). */
    private JarProcess killAndRestart(JarProcess jar, String next, long restartAtLine, List<String> timeline, long t0)
            throws InterruptedException, IOException {
        assertAlive(jar);
        jar.kill9();
        timeline.add(at(t0) + " SIGKILL " + jar.label() + " at line " + writer.written() + " (rotations so far "
                + writer.rotations() + ")");
        awaitWritten(restartAtLine);
        JarProcess restarted = startJar(next);
        timeline.add(at(t0) + " restarted as " + restarted.label() + " at line " + writer.written());
        return restarted;
    }

    private static void assertAlive(JarProcess jar) {
        if (!jar.isAlive()) {
            throw new AssertionError(jar.label() + " died on its own. Output: " + jar.describeOutput());
        }
    }

    private static String at(long t0) {
        return String.format("%6.1fs", (System.nanoTime() - t0) / 1e9);
    }
}
