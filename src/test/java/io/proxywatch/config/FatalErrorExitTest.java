package io.proxywatch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** In a JVM of its own each time: the handler ends the process. */
class FatalErrorExitTest {
    @TempDir
    Path dir;

    private Process run(String what) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Dies.class.getName(), what)
                .redirectErrorStream(true).redirectOutput(dir.resolve(what + ".txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p;
    }

    @Test
    void aThreadDeadOfOutOfMemoryEndsTheProcessForTheServiceManagerToRestart() throws Exception {
        Process p = run("oom");
        String out = Files.readString(dir.resolve("oom.txt"));
        assertThat(p.exitValue()).as(out).isEqualTo(FatalErrorExit.EXIT_CODE);
        assertThat(out).contains("java.lang.OutOfMemoryError: Java heap space").contains("\"tail-test\"")
                .contains("exiting with code 3").doesNotContain("main carried on");
    }

    @Test
    void aThreadDeadOfAnythingElseIsPrintedAndTheProcessCarriesOn() throws Exception {
        Process p = run("npe");
        String out = Files.readString(dir.resolve("npe.txt"));
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("Exception in thread \"tail-test\" java.lang.IllegalStateException: boom")
                .contains("at io.proxywatch.config.FatalErrorExitTest$Dies").contains("main carried on");
    }

    /** Installs the handler, lets a thread die of {@code args[0]}, then says whether it is still running. */
    static final class Dies {
        public static void main(String[] args) throws Exception {
            FatalErrorExit.install();
            Thread t = new Thread(() -> {
                if (args[0].equals("oom")) {
                    throw new OutOfMemoryError("Java heap space");
                }
                throw new IllegalStateException("boom");
            }, "tail-test");
            t.start();
            t.join(); // the handler runs on the dying thread, before join returns: an exit has happened by now
            System.out.println("main carried on");
        }
    }
}
