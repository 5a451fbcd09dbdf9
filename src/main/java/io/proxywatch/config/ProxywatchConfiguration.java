package io.proxywatch.config;

import io.proxywatch.level.LevelFiles;
import io.proxywatch.level.LevelGrouper;
import io.proxywatch.parse.ChunkParser;
import io.proxywatch.parse.RecordParser;
import io.proxywatch.ship.LazyTlsHttpComponent;
import io.proxywatch.tail.PathGlobs;
import io.proxywatch.tail.TailComponent;
import io.proxywatch.tail.TailSettings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The one place where settings become beans: every proxywatch.* value is read and checked here, before any
 * route starts, and a bad one stops start-up naming its key.
 */
public class ProxywatchConfiguration implements CamelConfiguration {
    private final LiveState live;

    /** A one-off run: nothing to carry from before. */
    public ProxywatchConfiguration() {
        this(new LiveState());
    }

    /** A run that takes over the windows and incidents of the run before it (a reload). */
    public ProxywatchConfiguration(LiveState live) {
        this.live = live;
    }

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        Settings s = new Settings(key -> pc.resolveProperty(key).orElse(null));

        TailSettings tail = tailSettings(s);

        String format = s.string("proxywatch.input.format").toLowerCase();
        RecordParser parser;
        try {
            String service = s.string("proxywatch.input.service");
            parser = new RecordParser(format, service.isEmpty() ? null : service);
        } catch (IllegalArgumentException e) {
            throw Settings.bad("proxywatch.input.format", format, e.getMessage());
        }
        ChunkParser chunkParser = new ChunkParser(parser);
        context.getRegistry().bind("chunkParser", chunkParser);

        context.getRegistry().bind("levelGrouper", new LevelGrouper(
                s.oneOf("proxywatch.levels.debug-to", LevelGrouper.DEBUG_TARGETS),
                s.oneOf("proxywatch.levels.fatal-to", LevelGrouper.FATAL_TARGETS)));
        Path levelsDir = s.path("proxywatch.levels.dir");
        long maxFileBytes = s.longAtLeast("proxywatch.levels.max-file-bytes", 4096);
        int maxFiles = s.intAtLeast("proxywatch.levels.max-files", 0);
        LevelFiles levelFiles = new LevelFiles(levelsDir,
                s.oneOf("proxywatch.levels.format", List.of("json", "raw")).equals("raw"),
                maxFileBytes, maxFiles, Clock.systemDefaultZone());
        context.getRegistry().bind("levelFiles", levelFiles);
        context.addComponent("tail", new TailComponent(tail, levelFiles::force));

        // before the alert and ship wiring create their http(s) endpoints; as beans, each made only when used
        context.getRegistry().bind("http", new LazyTlsHttpComponent());
        context.getRegistry().bind("https", new LazyTlsHttpComponent());
        DetectWiring.Wired detect = DetectWiring.wire(context, s, live, levelsDir, maxFileBytes, maxFiles);
        AlertWiring.Wired alerts = AlertWiring.wire(context, s, live, tail.stateDir(), maxFileBytes, maxFiles);
        ShipWiring.Wired shipping = ShipWiring.wire(context, s, live, tail.stateDir());
        String dashboard = WebWiring.wire(context, s);

        long progressMs = s.longAtLeast("proxywatch.progress.interval-ms", 1000);
        Progress progress = new Progress(context, "tail:proxy-logs", chunkParser, levelFiles,
                shipping.stats(), shipping.spool(), detect.detection(), detect.alertLog(), alerts.stats(),
                detect.fleet());
        context.getRegistry().bind("progress", progress);
        AgentStatusSource agentStatus = new AgentStatusSource(progress, chunkParser, levelFiles, shipping,
                detect.detection(), detect.alertLog(), alerts.stats(), detect.fleet());
        context.getRegistry().bind("agentStatus", agentStatus);
        HealthWiring.wire(context, s, live, shipping, progress, agentStatus, detect.fleet());
        DashboardWiring.wire(context, live, detect, alerts);
        Banner.print(tail, new PathGlobs(tail.globs()), format, levelsDir, detect.banner(), alerts.banner(),
                shipping.banner(), dashboard, progressMs);
    }

    private static boolean isFolder(String path) {
        try {
            return java.nio.file.Files.isDirectory(Path.of(path.replace('\\', '/')));
        } catch (java.nio.file.InvalidPathException e) {
            return false; // the tailer's globs say what is wrong with it
        }
    }

    /** The tailer's settings from proxywatch.input.* and the state keys; tests use it on the packaged defaults. */
    public static TailSettings tailSettings(Settings s) {
        List<String> globs = PathGlobs.split(s.string("proxywatch.input.paths"));
        if (globs.isEmpty()) {
            throw Settings.bad("proxywatch.input.paths", "", "at least one file glob, e.g. logs/*.log");
        }
        for (String g : globs) {
            // a folder names no file: it would match nothing, for good, without a word
            if (g.chars().noneMatch(c -> "*?[{".indexOf(c) >= 0) && isFolder(g)) {
                throw Settings.bad("proxywatch.input.paths", g, "a folder, not a file pattern; for the logs in it write "
                        + g.replaceAll("[/\\\\]+$", "") + "/*.log");
            }
        }
        return new TailSettings(
                globs,
                s.oneOf("proxywatch.input.start-at", List.of("end", "beginning")).equals("end"),
                s.charset("proxywatch.input.charset"),
                s.intAtLeast("proxywatch.input.max-line-bytes", 256),
                s.intAtLeast("proxywatch.input.chunk.max-lines", 1),
                s.longAtLeast("proxywatch.input.partial-line-flush-ms", 1),
                s.patternOrNull("proxywatch.input.multiline.start-pattern"),
                requirePattern(s, "proxywatch.input.multiline.record-start-pattern"),
                s.longAtLeast("proxywatch.input.rescan-interval-ms", 10),
                s.longAtLeast("proxywatch.input.poll-interval-ms", 1),
                s.longAtLeast("proxywatch.input.rotate-grace-ms", 0),
                s.intAtLeastOrAuto("proxywatch.input.max-in-flight-chunks", 1,
                        () -> TailSettings.inFlightForHeap(Runtime.getRuntime().maxMemory())),
                s.longAtLeastOrAuto("proxywatch.input.max-in-flight-bytes", 1,
                        () -> TailSettings.inFlightBytesForHeap(Runtime.getRuntime().maxMemory())),
                s.path("proxywatch.data-dir"),
                s.longAtLeast("proxywatch.checkpoint.fsync-interval-ms", 0));
    }

    private static java.util.regex.Pattern requirePattern(Settings s, String key) {
        java.util.regex.Pattern p = s.patternOrNull(key);
        if (p == null) {
            throw Settings.bad(key, "", "a regular expression");
        }
        return p;
    }
}
