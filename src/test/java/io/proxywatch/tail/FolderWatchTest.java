package io.proxywatch.tail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FolderWatchTest {
    @TempDir
    Path dir;

    private static boolean changedWithin(FolderWatch w, long ms) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            if (w.changed(p -> p.toString().endsWith(".log"))) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void aWantedFileCreatedInAWatchedFolderIsReportedOnce() throws Exception {
        try (FolderWatch w = new FolderWatch()) {
            w.watch(dir);
            w.watch(dir); // once is enough
            assertThat(w.folders()).isEqualTo(1);
            assertThat(changedWithin(w, 100)).isFalse();
            Files.writeString(dir.resolve("notes.txt"), "not a log\n");
            assertThat(changedWithin(w, 300)).as("a file the globs do not want").isFalse();
            Files.writeString(dir.resolve("access.log"), "x\n");
            assertThat(changedWithin(w, 2000)).isTrue();
            assertThat(changedWithin(w, 200)).as("drained").isFalse();
        }
    }

    @Test
    void aFolderThatIsNotThereYetIsSkippedAndWatchedOnceItIs() throws Exception {
        try (FolderWatch w = new FolderWatch()) {
            Path later = dir.resolve("later");
            w.watch(later);
            assertThat(w.folders()).isZero();
            Files.createDirectories(later);
            w.watch(later);
            assertThat(w.folders()).isEqualTo(1);
            Files.writeString(later.resolve("a.log"), "x\n");
            assertThat(changedWithin(w, 2000)).isTrue();
        }
    }

    @Test
    void nothingIsWatchedBeforeStart() {
        FolderWatch.NONE.watch(dir);
        assertThat(FolderWatch.NONE.folders()).isZero();
        assertThat(FolderWatch.NONE.changed(p -> true)).isFalse();
    }
}
