package io.proxywatch.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * The packaged proxywatch jar run as a process of its own: {@code java -Xmx256m -D... -jar proxywatch.jar ARGS}
 * (another heap with {@link Builder#heap}),
 * its stdout and stderr captured to {@code target/e2e-logs/<name>.<n>.stdout.log} / {@code .stderr.log} so a
 * failed run can be diagnosed after the fact.
 */
final class JarProcess implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final String label;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startedNanos = System.nanoTime();

    private JarProcess(String label, Process process, Path stdout, Path stderr) {
        this.label = label;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * The jar under test: {@code -Dproxywatch.jar} (set by the failsafe plugin), else {@code target/proxywatch.jar}.
     * A missing jar fails the test with the way to build it; it is never skipped silently.
     */
    static Path jar() {
        Path jar = jarLocation();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("the proxywatch jar is missing: " + jar + " does not exist. Build it first "
                    + "(`mvn -B package -DskipTests`, or run the e2e tests with `mvn verify`, which packages it and "
                    + "passes -Dproxywatch.jar)");
        }
        return jar;
    }

    /** Where the jar under test is expected, whether or not it is there (a rebuild may be replacing it). */
    private static Path jarLocation() {
        String configured = System.getProperty("proxywatch.jar");
        Path jar = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("target", "proxywatch.jar");
        return jar.toAbsolutePath().normalize();
    }

    /** target/e2e-logs, next to the jar. */
    static Path logDir() {
        return jarLocation().getParent().resolve("e2e-logs");
    }

    static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Copies {@link #jar()} into {@code dir} and returns the copy: another build may rebuild target/ while a long
     * test runs, so tests that start the jar several times can pin one build with {@link Builder#jar(Path)}.
     */
    static Path snapshotJar(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path copy = dir.resolve("proxywatch.jar");
        // a build may be writing the jar right now: copy until the copy is a whole jar with a Main-Class
        IOException last = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            try {
                Files.copy(jar(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (java.util.jar.JarFile jf = new java.util.jar.JarFile(copy.toFile())) {
                    if (jf.getManifest() != null && jf.getManifest().getMainAttributes().getValue("Main-Class") != null) {
                        return copy;
                    }
                }
            } catch (IOException | AssertionError e) {
                last = e instanceof IOException io ? io : new IOException(e.getMessage());
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IOException("could not take a whole copy of " + jarLocation() + " in 30 s", last);
    }

    /** Settings whose value is a secret: masked in the {@code .cmd.txt} file (not in the process's arguments). */
    private static boolean secretKey(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return !k.endsWith("-file") && !k.endsWith("-header") && (k.contains("api-key") || k.contains("token") || k.contains("password")
                || k.contains("secret"));
    }

    static final class Builder {
        private final String name;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path workDir;
        private Path jarOverride;
        private String heap = "256m";

        private Builder(String name) {
            this.name = name;
            // several jars run at once in these tests; each gets a dashboard port of its own
            properties.put("proxywatch.dashboard.port", String.valueOf(io.proxywatch.testkit.FreePort.next()));
        }

        /** A system property, given as {@code -Dkey=value} before {@code -jar}. */
        Builder property(String key, Object value) {
            properties.put(key, String.valueOf(value));
            return this;
        }

        /** An argument after the jar ({@code --help}, {@code --config FILE}). */
        Builder arg(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Working directory: relative defaults (./data, ./out, logs/*.log) land there, never in the project. */
        Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** The {@code -Xmx} value, 256m unless given. */
        Builder heap(String xmx) {
            this.heap = xmx;
            return this;
        }

        /** Runs this jar instead of {@link JarProcess#jar()} (see {@link JarProcess#snapshotJar(Path)}). */
        Builder jar(Path jarFile) {
            this.jarOverride = jarFile;
            return this;
        }

        JarProcess start() throws IOException {
            Path jar = jarOverride != null ? jarOverride : JarProcess.jar();
            Path logs = logDir();
            Files.createDirectories(logs);
            String label = name + "." + SEQ.incrementAndGet();
            Path out = logs.resolve(label + ".stdout.log");
            Path err = logs.resolve(label + ".stderr.log");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx" + heap);
            properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-jar");
            cmd.add(jar.toString());
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd);
            // a PROXYWATCH_* variable of whoever runs the build must not leak into the process under test
            pb.environment().keySet().removeIf(k -> k.startsWith("PROXYWATCH_"));
            pb.environment().putAll(env);
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            List<String> shown = new ArrayList<>(cmd);
            shown.replaceAll(a -> {
                int eq = a.indexOf('=');
                return a.startsWith("-D") && eq > 0 && secretKey(a.substring(2, eq)) ? a.substring(0, eq + 1) + "***"
                        : a;
            });
            Files.writeString(logs.resolve(label + ".cmd.txt"), String.join(" ", shown) + "\n"
                    + (env.isEmpty() ? "" : "env: " + env.keySet() + "\n") + "cwd: "
                    + (workDir == null ? Path.of("").toAbsolutePath() : workDir) + "\n", StandardCharsets.UTF_8);
            return new JarProcess(label, pb.start(), out, err);
        }
    }

    String label() {
        return label;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no last checkpoint. Waits until the process is gone. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(label + " (pid " + pid() + ") survived SIGKILL for 10 s");
        }
    }

    /** SIGTERM, then waits for the exit; returns the exit code. Fails (after a SIGKILL) if it takes too long. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(label + " (pid " + pid() + ") did not exit within " + timeout
                    + " of SIGTERM; killed. Output: " + describeOutput());
        }
        return process.exitValue();
    }

    /** Waits for the process to exit by itself; fails (after a SIGKILL) if it is still running after the timeout. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(label + " was still running " + timeout + " after start (expected it to exit "
                    + "by itself); killed. Output: " + describeOutput());
        }
        return process.exitValue();
    }

    Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** stdout and stderr together, for "the output names X" checks. */
    String output() {
        return stdout() + "\n" + stderr();
    }

    /**
     * Waits until the output contains {@code text}; fails at once, with the output, if the process exits first.
     */
    void awaitOutput(String text, Duration timeout) {
        await(label + " to log '" + text + "'").atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError(label + " exited with code " + process.exitValue() + " before logging '"
                        + text + "'. Output: " + describeOutput());
            }
            return false;
        });
    }

    /** Where the output is, and its last lines. */
    String describeOutput() {
        return "(" + stdout + ", " + stderr + ")\n--- stdout (tail) ---\n" + tail(stdout(), 40)
                + "\n--- stderr (tail) ---\n" + tail(stderr(), 40);
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(could not read " + p + ": " + e + ")";
        }
    }

    /** Kills the process if it is still running: the test's cleanup, whatever happened. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
