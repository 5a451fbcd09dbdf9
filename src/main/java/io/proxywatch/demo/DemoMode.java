package io.proxywatch.demo;

import io.proxywatch.config.ConfigError;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;

/**
 * {@code --demo}: a temp folder, the demo's settings over the layered ones, and made-up proxy traffic written
 * from the moment the pipeline has started until it stops, so a newcomer sees level files, alerts and the
 * dashboard come alive with no proxy, collector, SMTP server or robot.
 */
public final class DemoMode extends MainListenerSupport {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch");
    private static final Logger NOTES = LoggerFactory.getLogger("proxywatch.demo");
    /** Rotated demo logs kept; with one rotation a minute the log folder holds about three minutes of traffic. */
    private static final int KEEP_ROTATED = 2;

    private final Path folder;
    private Properties settings;
    private DemoRunner runner;

    private DemoMode(Path folder, Properties settings) {
        this.folder = folder;
        this.settings = settings;
    }

    /**
     * Makes the demo folder and puts the demo's settings into {@code settings} (the layered values Camel will get),
     * leaving alone what was given with -D; the returned listener starts and stops the traffic.
     */
    public static DemoMode prepare(Properties settings, Properties system) {
        Path folder;
        try {
            folder = Files.createTempDirectory("proxywatch-demo").toAbsolutePath();
            Files.createDirectories(folder.resolve("logs"));
        } catch (IOException | RuntimeException e) {
            throw new ConfigError("--demo: cannot make a temp folder (java.io.tmpdir="
                    + System.getProperty("java.io.tmpdir") + "): " + e.getMessage());
        }
        DemoSettings.overlay(settings, DemoSettings.forFolder(folder), system);
        return new DemoMode(folder, settings);
    }

    Path folder() {
        return folder;
    }

    /** The demo's settings over a reload's freshly layered ones: the same folder, whatever the edit said. */
    public void overlay(Properties reloaded) {
        DemoSettings.overlay(reloaded, DemoSettings.forFolder(folder), System.getProperties());
        this.settings = reloaded;
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        Clock clock = Clock.systemUTC();
        DemoLog log = new DemoLog(folder.resolve("logs"), clock, KEEP_ROTATED);
        runner = new DemoRunner(new DemoScript(), new DemoTraffic(System.nanoTime()), log, clock,
                note -> NOTES.info("{}", note));
        runner.start();
        LOG.info(banner(log.current()));
    }

    @Override
    public void beforeStop(BaseMainSupport main) {
        if (runner != null) {
            runner.close();
        }
    }

    private String banner(Path proxyLog) {
        String out = settings.getProperty("proxywatch.levels.dir");
        return "proxywatch demo: made-up proxy traffic, no proxy, collector, SMTP or WeCom needed\n"
                + "  demo folder  " + folder + "  (left in place when you stop; delete it when done)\n"
                + "  proxy log    " + proxyLog + "  (" + DemoScript.NORMAL_PER_SECOND
                + " requests/s, rotated every " + DemoScript.ROTATE_EVERY_SECONDS + " s)\n"
                + "  level files  " + out + "/info.log, warn.log, error.log\n"
                + "  alerts       " + settings.getProperty("proxywatch.alert.log-file") + "  (and 'alert ...' lines here)\n"
                + "  dashboard    " + dashboard() + "\n"
                + "  script       every " + DemoScript.CYCLE_SECONDS / 60 + " min: probes at 0:03, a burst at 0:06, a scanner at"
                + " 0:10, a spell of 5xx from 0:20 (its alert about 1:30); 'demo ...' lines say what starts\n"
                + "  stop         Ctrl-C";
    }

    private String dashboard() {
        if (!"true".equalsIgnoreCase(settings.getProperty("proxywatch.dashboard.enabled", "true").strip())) {
            return "off (proxywatch.dashboard.enabled=false)";
        }
        String bind = settings.getProperty("proxywatch.dashboard.bind", "127.0.0.1").strip();
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return "http://" + host + ":" + settings.getProperty("proxywatch.dashboard.port", "8080").strip() + "/";
    }
}
