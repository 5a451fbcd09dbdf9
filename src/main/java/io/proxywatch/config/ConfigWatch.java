package io.proxywatch.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Notices edits to the --config file and the routes folder. Contents are compared, not times (a copy that keeps
 * the time, or a clock step, would hide an edit), and a change is reported once it has held still for one
 * interval, so an editor's save in several writes is one reload, not three.
 */
public final class ConfigWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.reload");

    private final List<Path> watched;
    private final ScheduledExecutorService timer;
    private Map<String, String> applied;
    private Map<String, String> seen;
    private final java.util.concurrent.atomic.AtomicLong polls = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param watched  files and folders (a folder: the *.yaml files under it)
     * @param onChange called on the watch thread with the names of what changed
     */
    public ConfigWatch(List<Path> watched, long intervalMs, Consumer<List<String>> onChange) {
        this.watched = List.copyOf(watched);
        this.applied = fingerprint();
        this.seen = applied;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "proxywatch-config-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> poll(onChange), intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    private void poll(Consumer<List<String>> onChange) {
        try {
            Map<String, String> now = fingerprint();
            if (now.equals(applied) || !now.equals(seen)) {
                seen = now;
                return;
            }
            List<String> changed = new ArrayList<>();
            now.forEach((name, hash) -> {
                if (!hash.equals(applied.get(name))) {
                    changed.add(name);
                }
            });
            applied.keySet().stream().filter(name -> !now.containsKey(name)).forEach(name -> changed.add(name + " (removed)"));
            applied = now;
            onChange.accept(changed);
        } catch (RuntimeException e) {
            // the watch must outlive a bad moment (a file half-written, a folder being replaced)
            LOG.warn("checking for configuration edits failed: {}", e.toString());
        } finally {
            polls.incrementAndGet();
        }
    }

    /** Checks done so far: "no edit reported after N checks" is a fact a test can wait for, not a guess at time. */
    long polls() {
        return polls.get();
    }

    /** Content hash per watched file; a missing file is a state of its own. */
    Map<String, String> fingerprint() {
        Map<String, String> out = new TreeMap<>();
        for (Path p : watched) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    files.filter(f -> f.toString().endsWith(".yaml") && Files.isRegularFile(f)).forEach(f -> out.put(f.toString(), hash(f)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                out.put(p.toString(), Files.exists(p) ? hash(p) : "missing");
            }
        }
        return out;
    }

    private static String hash(Path f) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (IOException e) {
            return "unreadable";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
