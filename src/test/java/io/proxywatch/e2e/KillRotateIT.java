package io.proxywatch.e2e;

import org.assertj.core.api.SoftAssertions;
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
 * rotation comes every ~14 s. That is deliberate: a file that is created AND rotated away to a non-matching name
 * while proxywatch is down (or still starting) was never seen and has no checkpoint, so no tailer could find it.
 * The jar takes 4-6 s from exec to its first scan on a 2-core machine (more with the dashboard's HTTP server and
 * Micrometer than before), so the rotation interval must stay well
 * above "downtime + start-up + one rescan", or the test would measure its own design instead of the jar (a first
 * version at 5,000 lines/s lost exactly such a file). {@link #killAndRestart} checks this precondition and fails
 * with a message that says so, rather than report it as loss.
 *
 * <p><b>Duplicate bound.</b> Chunks (at most {@value #CHUNK_LINES} lines each) are appended to the level files by
 * one pipeline thread, one chunk at a time, and a chunk's checkpoint moves, and is saved atomically, when its
 * exchange completes, before that thread takes the next chunk. Chunks read but still queued for that thread at the
 * kill were never written, so reading them again makes no duplicate. A SIGKILL can therefore leave at most the one
 * chunk being written without its checkpoint (all of it, or only the level groups written before the kill; a
 * group whose write the kill cut short leaves part of a line, which the restart cuts away before appending):
 * at most {@value #CHUNK_LINES} duplicated lines per kill, so
 * 2 x {@value #CHUNK_LINES} for two kills, with no extra factor; and the duplicated trace ids of one kill must lie
 * within one chunk's span. Just before each kill the writer emits a spike of {@value #BURST} lines, so that
 * proxywatch has a backlog (chunks in flight) when it is killed.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KillRotateIT {
    static final long TOTAL = 200_000;
    static final long ROTATE_EVERY = 20_000;
    static final int CHUNK_LINES = 1000;
    static final int DEFAULT_RATE = 1400;
    /** The level files are declared stuck when they do not grow for this long. */
    static final Duration STALL = Duration.ofSeconds(15);
    static final int KILLS = 2;
    static final long KILL_1_AT = 50_000;
    /** 1,000 lines before the rotation at 140,000: that rotation then happens while proxywatch is down. */
    static final long KILL_2_AT = 139_000;
    /**
     * Duplicated trace ids at most this far apart belong to one re-read chunk. Not less than a chunk: a chunk's
     * records go to the level files one level group after another, so a kill between two groups duplicates only
     * the groups already written (its error lines, say: 3% of its ids, scattered over its whole extent). Each
     * span's extent is still checked against one chunk, and the number of spans against the number of kills.
     */
    static final int SPAN_GAP = CHUNK_LINES;
    /** Lines written at once, unpaced, right before each kill. */
    static final long BURST = 8_000;

    private final int rate = Integer.getInteger("killrotate.rate", DEFAULT_RATE);
    private final List<JarProcess> jars = new ArrayList<>();
    private LogWriter writer;
    private int rotationsWhileDown;

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
        // a spike of BURST lines just before each kill, so that proxywatch is busy with a backlog, a chunk in flight,
        // when it is killed (at the steady pace it keeps up and is mostly idle)
        writer = new LogWriter(logs, "app.log", TOTAL, ROTATE_EVERY, rate, 100)
                .burst(KILL_1_AT - BURST + 1, KILL_1_AT)
                .burst(KILL_2_AT - BURST + 1, KILL_2_AT);
        List<String> timeline = new ArrayList<>();

        JarProcess jar = startJar("killrotate-run1");
        jar.awaitOutput(") started in", Duration.ofSeconds(90));
        timeline.add(at(t0) + " run1 started (pid " + jar.pid() + ")");
        writer.start();

        // kill 1: in the middle of a file (40,001..60,000 is the third one), right after a spike; restart about
        // half a second later
        awaitWritten(KILL_1_AT);
        jar = killAndRestart(jar, "killrotate-run2", timeline, t0, rotationsAtKill -> writer.written()
                >= KILL_1_AT + rate / 2);

        // kill 2: right after a spike, just before a rotation; restart right after the rotation, so the checkpointed
        // file was renamed while proxywatch was down
        awaitWritten(KILL_2_AT);
        jar = killAndRestart(jar, "killrotate-run3", timeline, t0, rotationsAtKill -> writer.rotations()
                > rotationsAtKill && writer.written() >= KILL_2_AT + 1000 + rate / 10);
        assertThat(rotationsWhileDown).as("rotations while proxywatch was down before the second restart")
                .isEqualTo(1);

        await("the writer to finish").atMost(Duration.ofSeconds(TOTAL / rate + 60)).until(writer::isDone);
        assertThat(writer.failure()).as("the log writer failed").isNull();
        timeline.add(at(t0) + " writer done: " + writer.written() + " lines, " + writer.rotations() + " rotations");

        // wait for all trace ids; give up early when nothing new arrives for STALL (then the summary says what is missing)
        JarProcess running = jar;
        long[] lastChange = {System.nanoTime(), -1};
        await("all " + TOTAL + " trace ids in the level files, or no progress for " + STALL.toSeconds() + " s")
                .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    assertAlive(running);
                    long lines = counter.refresh().lines();
                    if (lines != lastChange[1]) {
                        lastChange[0] = System.nanoTime();
                        lastChange[1] = lines;
                    }
                    return counter.distinct() == TOTAL || System.nanoTime() - lastChange[0] > STALL.toNanos();
                });
        boolean caughtUp = counter.distinct() == TOTAL;
        timeline.add(at(t0) + " level files " + (caughtUp ? "complete" : "INCOMPLETE, no progress for "
                + STALL.toSeconds() + " s"));

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
        List<long[]> spans = counter.duplicateSpans(SPAN_GAP);
        String spanText = LevelFileCounter.describeSpans(spans);
        report.append("  duplicate spans: ").append(spanText).append('\n')
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
                + " per kill); spans: " + spanText).isLessThanOrEqualTo((long) KILLS * CHUNK_LINES);
        soft.assertThat(spans).as("duplicate spans: at most one per kill, each within one chunk of " + CHUNK_LINES
                + " lines: " + spanText).hasSizeLessThanOrEqualTo(KILLS)
                .allSatisfy(sp -> assertThat(sp[1] - sp[0] + 1).isLessThanOrEqualTo(CHUNK_LINES));
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

    /**
     * SIGKILL, then a restart once {@code restartWhen} (given the rotation count at the kill) holds. Then checks a
     * precondition of the test itself: by the time the restarted jar is up, at most one rotation happened since
     * the kill. A file created AND rotated away (to a name the glob does not match) while proxywatch was down or
     * starting has no checkpoint and can be found by no tailer; if that happens the pace is too fast for this
     * machine's start-up time, and the test says so instead of blaming the jar.
     */
    private JarProcess killAndRestart(JarProcess jar, String next, List<String> timeline, long t0,
                                      java.util.function.IntPredicate restartWhen) throws Exception {
        assertAlive(jar);
        long lineAtKill = writer.written();
        int rotationsAtKill = writer.rotations();
        jar.kill9();
        timeline.add(at(t0) + " SIGKILL " + jar.label() + " at line " + lineAtKill + " (rotations so far "
                + rotationsAtKill + ")");
        await("the moment to restart").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    if (writer.failure() != null) {
                        throw new AssertionError("the log writer failed", writer.failure());
                    }
                    return restartWhen.test(rotationsAtKill) || writer.isDone();
                });
        int rotationsAtRestart = writer.rotations();
        rotationsWhileDown = rotationsAtRestart - rotationsAtKill;
        JarProcess restarted = startJar(next);
        timeline.add(at(t0) + " restarted as " + restarted.label() + " at line " + writer.written()
                + (rotationsAtRestart > rotationsAtKill ? " after " + (rotationsAtRestart - rotationsAtKill)
                + " rotation while down (" + writer.rotatedName(rotationsAtRestart).getFileName() + ")" : ""));
        restarted.awaitOutput(") started in", Duration.ofSeconds(60));
        int rotationsAtReady = writer.rotations();
        timeline.add(at(t0) + " " + restarted.label() + " up at line " + writer.written() + " (rotations "
                + rotationsAtReady + ")");
        if (rotationsAtReady - rotationsAtKill > 1) {
            throw new AssertionError("test precondition broken, not a proxywatch verdict: " + (rotationsAtReady
                    - rotationsAtKill) + " rotations happened between the SIGKILL of " + jar.label() + " and "
                    + restarted.label() + " being up (" + restarted.uptime().toMillis() + " ms to start), so a log "
                    + "file was created and renamed to a non-matching name while no proxywatch could see it. Lower "
                    + "the pace: -Dkillrotate.rate=" + rate / 2 + ". Timeline: " + timeline);
        }
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
