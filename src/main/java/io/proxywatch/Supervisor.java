package io.proxywatch;

import io.proxywatch.config.CommandLine;
import io.proxywatch.config.ConfigError;
import io.proxywatch.config.ConfigWatch;
import io.proxywatch.config.KnownSettings;
import io.proxywatch.config.LiveState;
import io.proxywatch.demo.DemoMode;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs Camel Main until it is stopped, and applies edits to the --config file and the routes folder by stopping
 * it gracefully (aggregators complete, batches are sent or spooled, checkpoints written) and starting it again in
 * the same JVM with the edit, handing over the windows and open incidents ({@link LiveState}). An edit that does
 * not even load (unknown key, unreadable file) is rejected before anything stops; one that fails to start (a bad
 * value, a broken route) is logged and the configuration that ran is started again.
 */
final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.reload");

    private final KnownSettings known;
    private final CommandLine cl;
    private final DemoMode demo;
    private final LiveState live = new LiveState();
    private final AtomicReference<Main> running = new AtomicReference<>();
    private final AtomicReference<RunSettings> pending = new AtomicReference<>();

    /** @param demo the made-up traffic of --demo, started and stopped with each run; null without --demo */
    Supervisor(KnownSettings known, CommandLine cl, DemoMode demo) {
        this.known = known;
        this.cl = cl;
        this.demo = demo;
    }

    /** Runs until a stop that is not a reload; returns Camel Main's exit code. Throws if the first start fails. */
    int run(RunSettings first) throws Exception {
        RunSettings current = first;
        RunSettings lastGood = null;
        try (ConfigWatch watch = watch(first)) {
            while (true) {
                Main main = Application.newMain(live);
                if (demo != null) {
                    demo.overlay(current.overrides());
                    main.addMainListener(demo);
                }
                main.setOverrideProperties(current.overrides());
                running.set(main);
                try {
                    main.run(new String[0]);
                } catch (RuntimeException e) {
                    if (lastGood == null || current == lastGood) {
                        throw e;
                    }
                    LOG.error("reload rejected, the edit did not start: {}; starting the configuration that ran again",
                            Application.messageOf(e));
                    current.discard();
                    current = lastGood;
                    continue;
                }
                if (lastGood != null && lastGood != current) {
                    lastGood.discard();
                }
                lastGood = current;
                RunSettings next = pending.getAndSet(null);
                if (next == null) {
                    current.discard();
                    return main.getExitCode();
                }
                current = next;
            }
        }
    }

    private ConfigWatch watch(RunSettings first) {
        List<Path> watched = new ArrayList<>();
        if (first.configFile() != null) {
            watched.add(first.configFile());
        }
        if (first.routesDir() != null) {
            watched.add(first.routesDir());
        }
        return watched.isEmpty() ? null : new ConfigWatch(watched, first.reloadIntervalMs(), this::edited);
    }

    private void edited(List<String> changed) {
        RunSettings next;
        try {
            next = RunSettings.load(known, cl);
        } catch (ConfigError e) {
            LOG.error("edit of {} rejected, the running configuration stays: {}", changed, e.getMessage());
            return;
        }
        LOG.info("{} changed: restarting the pipeline in place with the edit (windows, offsets and spool kept)", changed);
        pending.set(next);
        Main main = running.get();
        if (main != null) {
            main.completed();
        }
    }
}
