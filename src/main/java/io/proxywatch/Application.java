package io.proxywatch;

import io.proxywatch.config.ClassPreloader;
import io.proxywatch.config.CommandLine;
import io.proxywatch.config.CompilerDirectives;
import io.proxywatch.config.ConfigError;
import io.proxywatch.config.ConsoleLogging;
import io.proxywatch.config.FatalErrorExit;
import io.proxywatch.config.KnownSettings;
import io.proxywatch.config.ProxywatchConfiguration;
import io.proxywatch.config.LiveState;
import io.proxywatch.config.PackagedRoutesCollector;
import io.proxywatch.config.RoutesExport;
import io.proxywatch.demo.DemoMode;
import io.proxywatch.rules.RulesFile;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code java -jar proxywatch.jar [--config FILE] [--demo] ...}: checks the settings, then runs Camel Main until stopped. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        FatalErrorExit.install();
        ClassPreloader.start();
        ConsoleLogging.install();
        CompilerDirectives.start();
        KnownSettings known = KnownSettings.load();
        CommandLine cl;
        RunSettings first;
        DemoMode demo;
        try {
            cl = CommandLine.parse(args);
            if (cl.help()) {
                System.out.println(CommandLine.usage(known));
                return;
            }
            if (cl.exportRules() != null) {
                exportRules(cl.exportRules());
                return;
            }
            if (cl.exportRoutes() != null) {
                List<Path> written = RoutesExport.export(cl.exportRoutes());
                System.out.println("wrote " + written.size() + " packaged route files to " + cl.exportRoutes()
                        + "; run with --routes-dir " + cl.exportRoutes());
                return;
            }
            first = RunSettings.load(known, cl);
            demo = cl.demo() ? DemoMode.prepare(first.overrides(), System.getProperties()) : null;
        } catch (ConfigError e) {
            System.err.println("proxywatch: " + e.getMessage());
            System.exit(2);
            return;
        }
        int code;
        try {
            code = new Supervisor(known, cl, demo).run(first);
        } catch (RuntimeException e) {
            ConfigError config = configErrorIn(e);
            if (config == null) {
                throw e;
            }
            System.err.println("proxywatch: " + config.getMessage());
            code = 2;
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    private static void exportRules(Path target) {
        try {
            Files.write(target, RulesFile.packagedBytes(), java.nio.file.StandardOpenOption.CREATE_NEW);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new ConfigError("--export-rules " + target + ": the file exists; remove it or pick another name");
        } catch (IOException e) {
            throw new ConfigError("--export-rules " + target + ": " + e.getMessage());
        }
        System.out.println("wrote the packaged rules to " + target + "; use them with -Dproxywatch.rules.file=" + target);
    }

    /** The one line to log for a failed start: our ConfigError's message if there is one, else the deepest cause. */
    static String messageOf(Throwable e) {
        ConfigError config = configErrorIn(e);
        if (config != null) {
            return config.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }

    /** Settings are checked inside Camel's start-up, which may wrap our error: find it for a one-line message. */
    private static ConfigError configErrorIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigError c) {
                return c;
            }
        }
        return null;
    }

    /** Camel Main with the packaged defaults, the optional --config file over them, and our wiring. */
    public static Main newMain(Path configFile) {
        return newMain(configFile, new LiveState());
    }

    /** As {@link #newMain(Path)}, taking over the windows and incidents kept in {@code live}. */
    static Main newMain(Path configFile, LiveState live) {
        Main main = new Main() {
            /**
             * Camel K style "modeline" comments in route files are not a proxywatch feature; looking for them
             * walks every entry of the jar, twice: about 1.2 s of start-up on 2 cores.
             */
            @Override
            protected void modelineRoutes(CamelContext camelContext) {
            }
        };
        main.setRoutesCollector(new PackagedRoutesCollector());
        String locations = "classpath:application.properties";
        if (configFile != null) {
            locations += ",file:" + configFile;
        }
        main.setPropertyPlaceholderLocations(locations);
        main.configure().addConfiguration(new ProxywatchConfiguration(live));
        return main;
    }
}
