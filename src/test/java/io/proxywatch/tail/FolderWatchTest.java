package io.proxywatch.tail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FolderWatchTest {
    @TempDir
    Path dir;

    private static FolderWatch logsOnly() {
        return new FolderWatch(p -> p.toString().endsWith(".log"));
    }

    /** The OS reports a new file within milliseconds; seconds leave room for a loaded machine. */
    private static void awaitChange(FolderWatch w) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(w::changed);
    }

    @Test
    void aWantedFileCreatedInAWatchedFolderIsReportedOnce() throws Exception {
        List<Path> offered = new CopyOnWriteArrayList<>();
        try (FolderWatch w = new FolderWatch(p -> offered.add(p) && p.toString().endsWith(".log"))) {
            w.watch(dir);
            w.watch(dir); // once is enough
            assertThat(w.folders()).isEqualTo(1);
            assertThat(w.changed()).isFalse();
            Path notes = dir.resolve("notes.txt");
            Files.writeString(notes, "not a log\n");
            // a file the globs do not want: offered, never reported
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
                assertThat(w.changed()).as("a change for %s", notes).isFalse();
                return offered.contains(notes);
            });
            Files.writeString(dir.resolve("access.log"), "x\n");
            awaitChange(w);
            assertThat(w.changed()).as("drained").isFalse();
        }
    }

    @Test
    void aFolderThatIsNotThereYetIsSkippedAndWatchedOnceItIs() throws Exception {
        try (FolderWatch w = logsOnly()) {
            Path later = dir.resolve("later");
            w.watch(later);
            assertThat(w.folders()).isZero();
            Files.createDirectories(later);
            w.watch(later);
            assertThat(w.folders()).isEqualTo(1);
            Files.writeString(later.resolve("a.log"), "x\n");
            awaitChange(w);
        }
    }

    @Test
    void nothingIsWatchedBeforeStart() {
        FolderWatch.NONE.watch(dir);
        assertThat(FolderWatch.NONE.folders()).isZero();
        assertThat(FolderWatch.NONE.changed()).isFalse();
    }
}
