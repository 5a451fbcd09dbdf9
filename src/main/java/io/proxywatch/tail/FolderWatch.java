package io.proxywatch.tail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Tells the tailer that a file appeared in a folder it looks into, so that a new log, or the new file of a rotation
 * (rename and create, delete and create), is followed at once rather than at the next periodic rescan, up to
 * rescan-interval-ms later: at 20,000 lines/s each rotation otherwise put up to a second of lines behind. The
 * JDK's watch service is the OS's own notification on Linux (inotify) and Windows (ReadDirectoryChangesW); where
 * it polls (macOS) or is not available (a folder it cannot watch, an inotify limit reached) the periodic rescan
 * still finds everything, only later. Not thread-safe: the tailer's thread only.
 */
final class FolderWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FolderWatch.class);

    /** Watches nothing: a tailer's until it starts. */
    static final FolderWatch NONE = new FolderWatch(null, p -> false);

    private final WatchService service;
    private final Predicate<Path> wanted;
    private final Set<Path> watched = new HashSet<>();

    private FolderWatch(WatchService service, Predicate<Path> wanted) {
        this.service = service;
        this.wanted = wanted;
    }

    /**
     * On the default file system's watch service, or none where it has none. Only new files {@code wanted} accepts
     * count: another service's log or our own level files appearing in a busy folder would otherwise bring a rescan
     * of the globs every 100 ms.
     */
    FolderWatch(Predicate<Path> wanted) {
        this.wanted = wanted;
        WatchService s = null;
        try {
            s = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("no folder notifications ({}): new files are found by the periodic rescan", e.toString());
        }
        service = s;
    }

    /** Watches {@code folder} for new files, if it is not watched yet; a folder that cannot be watched is skipped. */
    void watch(Path folder) {
        if (service == null || folder == null || watched.contains(folder)) {
            return;
        }
        try {
            folder.register(service, StandardWatchEventKinds.ENTRY_CREATE);
            watched.add(folder);
        } catch (IOException | UnsupportedOperationException | ClosedWatchServiceException e) {
            // not there yet (the next rescan tries again), or not watchable: the periodic rescan covers it
            LOG.debug("{} not watched for new files: {}", folder, e.toString());
        }
    }

    /** Whether a wanted file was created in a watched folder since the last call (or events were lost). */
    boolean changed() {
        if (service == null) {
            return false;
        }
        boolean changed = false;
        try {
            WatchKey key;
            while ((key = service.poll()) != null) {
                Path folder = (Path) key.watchable();
                for (WatchEvent<?> e : key.pollEvents()) {
                    changed |= e.kind() == StandardWatchEventKinds.OVERFLOW
                            || wanted.test(folder.resolve((Path) e.context()));
                }
                if (!key.reset()) {
                    // the folder is gone: watch it again once a rescan finds it back
                    watched.remove(folder);
                    changed = true;
                }
            }
        } catch (ClosedWatchServiceException e) {
            return false;
        }
        return changed;
    }

    /** How many folders are watched (the tailer's start-up log line, tests). */
    int folders() {
        return watched.size();
    }

    @Override
    public void close() {
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                LOG.debug("folder watch not closed cleanly: {}", e.toString());
            }
        }
    }
}
