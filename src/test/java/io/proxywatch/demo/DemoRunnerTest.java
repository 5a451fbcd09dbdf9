package io.proxywatch.demo;

import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoRunnerTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final List<String> notes = new ArrayList<>();

    private DemoRunner runner(DemoLog log) {
        return new DemoRunner(new DemoScript(), new DemoTraffic(1), log, clock, notes::add);
    }

    @Test
    void aSecondIsWrittenOnlyOnceItHasPassed() throws Exception {
        DemoLog log = new DemoLog(dir, clock, 2);
        DemoRunner runner = runner(log);
        clock.advance(999);
        assertThat(runner.catchUp()).isZero();
        assertThat(log.current()).doesNotExist();
        clock.advance(1);
        int lines = runner.catchUp();
        assertThat(lines).isGreaterThanOrEqualTo(DemoScript.NORMAL_PER_SECOND);
        assertThat(Files.readAllLines(log.current())).hasSize(lines);
        assertThat(runner.catchUp()).as("the same second is not written twice").isZero();
    }

    @Test
    void theScriptPlaysOutWithNotesAndARotationEveryMinute() throws Exception {
        DemoLog log = new DemoLog(dir, clock, 2);
        DemoRunner runner = runner(log);
        for (int s = 0; s < 125; s++) {
            clock.advance(1000);
            runner.catchUp();
        }
        assertThat(log.rotated()).hasSize(2);
        assertThat(notes).anyMatch(n -> n.startsWith("0:06 ") && n.contains("burst"))
                .anyMatch(n -> n.startsWith("0:03 ") && n.contains("SQL injection"))
                .anyMatch(n -> n.startsWith("1:00 ") && n.contains("rotated"))
                .anyMatch(n -> n.startsWith("0:20 ") && n.contains("5xx"));
    }

    @Test
    void aLongStallSkipsTheMissedSecondsInsteadOfFloodingTheLog() throws Exception {
        DemoLog log = new DemoLog(dir, clock, 2);
        DemoRunner runner = runner(log);
        clock.advance(3_600_000);
        int lines = runner.catchUp();
        assertThat(lines).isPositive()
                .isLessThan((DemoRunner.MAX_BEHIND_SECONDS + 1) * (DemoScript.NORMAL_PER_SECOND + 40));
    }
}
