package io.proxywatch.config;

import io.proxywatch.alert.AlertLog;
import io.proxywatch.detect.CategoryCounts;
import io.proxywatch.detect.Detection;
import io.proxywatch.detect.RateDetector;
import io.proxywatch.fleet.Fleet;
import io.proxywatch.rules.RulesError;
import io.proxywatch.rules.RulesFile;
import io.proxywatch.stats.StatsLimits;
import io.proxywatch.rules.Rules;
import io.proxywatch.stats.ThresholdEvaluator;
import io.proxywatch.stats.ThresholdRule;
import io.proxywatch.stats.ThresholdWatch;
import io.proxywatch.stats.TrafficStats;
import io.proxywatch.store.RollingFile;
import io.proxywatch.tail.FileStatus;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.aggregate.UseOriginalAggregationStrategy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/** The detect and alert stages' beans, from proxywatch.rules.*, .stats.* and .alert.*; part of {@link ProxywatchConfiguration}. */
final class DetectWiring {
    private DetectWiring() {
    }

    /** What the rest of the wiring needs: the banner lines and the figures for progress. */
    record Wired(String banner, Detection detection, TrafficStats stats, AlertLog alertLog, Fleet fleet) {
    }

    static Wired wire(CamelContext context, Settings s, LiveState live, Path levelsDir, long maxFileBytes, int maxFiles) {
        Clock clock = Clock.systemUTC();
        int windowSeconds = s.intAtLeast("proxywatch.stats.window-seconds", 60);
        Path rulesPath = s.pathOr("proxywatch.rules.file", null);
        RulesFile rules;
        try {
            // kept across a settings or routes reload while the file and the statistics' reach are the same: the
            // rules in force go on, with any edit still settling or rejected. Loading the file again made an edit
            // rejected on disk fail the new run, then the run of the last good configuration, and the process exit
            rules = live.keep("rulesFile", Arrays.asList(rulesPath, windowSeconds),
                    () -> RulesFile.load(rulesPath, r -> windowsFit(r, windowSeconds)));
        } catch (RulesError e) {
            throw new ConfigError("proxywatch.rules.file: " + e.getMessage());
        }
        s.longAtLeast("proxywatch.rules.reload-interval-ms", 100); // read by detect.yaml; checked here
        TrafficStats stats = live.keep("trafficStats", windowSeconds,
                () -> new TrafficStats(clock, StatsLimits.defaults().withMaxWindow(Duration.ofSeconds(windowSeconds))));
        FleetWiring.Wired fleet = FleetWiring.wire(context, s, rules::current, clock);
        // local rate windows follow the rules file, which reloads on its own: kept across a reload whatever the
        // settings say; a shared (Redis) store belongs to its run's connection, so it starts afresh, and the
        // fleet's counts in Redis carry the windows over
        Object windowsFrom = s.string("proxywatch.fleet.redis-url").isEmpty() ? null : fleet.fleet();
        Detection detection = new Detection(rules::current,
                live.keep("rateDetector", windowsFrom, () -> new RateDetector(clock, fleet.fleet().store())), clock,
                live.keep("detectionCounts", null, CategoryCounts::new));
        // built while Camel starts rather than by the first chunk, which would wait ~0.3 s on a cold JVM for it
        Thread compile = new Thread(detection::prepare, "signatures-compile");
        compile.setDaemon(true);
        compile.start();

        Path alertPath = s.pathOr("proxywatch.alert.log-file", levelsDir.resolve("alerts.log"));
        AlertLog alertLog = new AlertLog(() -> RollingFile.at(alertPath, maxFileBytes, maxFiles, clock));

        context.getRegistry().bind("rulesFile", rules);
        context.getRegistry().bind("detection", detection);
        // detect.yaml's enrich: the chunk's exchange keeps its own body after its alert events went on
        context.getRegistry().bind("keepOriginal", new UseOriginalAggregationStrategy());
        context.getRegistry().bind("trafficStats", stats);
        context.getRegistry().bind("thresholdWatch",
                new ThresholdWatch(() -> rules.current().thresholds(),
                        live.keep("thresholdEvaluator", null, () -> new ThresholdEvaluator(clock)), stats,
                        () -> Progress.files(context, "tail:proxy-logs").stream().mapToLong(FileStatus::lagBytes).sum(),
                        Duration.ofSeconds(s.intAtLeast("proxywatch.stats.catch-up-seconds", 0))));
        context.getRegistry().bind("alertLog", alertLog);

        String banner = rules.source() + " (" + rules.current().summary()
                + "; edits apply live)\n  alerts       " + alertPath
                + "\n  fleet        " + fleet.banner();
        return new Wired(banner, detection, stats, alertLog, fleet.fleet());
    }

    /** A threshold window longer than the statistics keep would silently look at less than it says. */
    private static void windowsFit(Rules rules, int windowSeconds) {
        for (ThresholdRule t : rules.thresholds()) {
            if (t.window().toSeconds() > windowSeconds) {
                throw new RulesError("thresholds " + t.id() + ".window", t.window().toSeconds()
                        + "s is longer than the statistics keep (proxywatch.stats.window-seconds=" + windowSeconds + ")");
            }
        }
    }
}
