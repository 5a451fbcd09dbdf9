package io.proxywatch.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo proxy's log file, {@code access.log}, rotated the way Go's lumberjack (Caddy's rotation) does it:
 * renamed to {@code access-2026-11-25T12-00-00.000.log} and a new {@code access.log} started. Only the newest
 * {@code keepRotated} rotated files are kept, so a demo left running for days stays small.
 */
final class DemoLog {
    static final String NAME = "access.log";
    private static final DateTimeFormatter ROTATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final Clock clock;
    private final int keepRotated;

    DemoLog(Path dir, Clock clock, int keepRotated) {
        this.dir = dir;
        this.clock = clock;
        this.keepRotated = keepRotated;
    }

    Path current() {
        return dir.resolve(NAME);
    }

    /** Appends the lines in one write, so the tailer never sees half a second of traffic as a partial line. */
    void append(List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(lines.size() * 320);
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        Files.createDirectories(dir);
        Files.writeString(current(), sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Renames access.log aside and starts an empty one; returns the rotated file, or null when there was none. */
    Path rotate() throws IOException {
        if (!Files.exists(current())) {
            return null;
        }
        String stamp = ROTATED.format(clock.instant());
        Path target = dir.resolve("access-" + stamp + ".log");
        for (int n = 1; Files.exists(target); n++) {
            target = dir.resolve("access-" + stamp + "-" + n + ".log");
        }
        Files.move(current(), target);
        Files.createFile(current());
        prune();
        return target;
    }

    /** The rotated files, oldest first (their names sort by time). */
    List<Path> rotated() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "access-*.log")) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /**
     * Deletes the oldest rotated files beyond {@code keepRotated}. One the OS will not delete yet (Windows, while
     * the tailer still holds it) is left for the next rotation.
     */
    private void prune() throws IOException {
        List<Path> files = rotated();
        for (int i = 0; i < files.size() - keepRotated; i++) {
            try {
                Files.deleteIfExists(files.get(i));
            } catch (IOException e) {
                // still open elsewhere: try again next time
            }
        }
    }
}
