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
                config = camelSettingError(e, cl.configFile());
            }
            if (config == null) {
                throw e;
            }
            System.err.println("proxywatch: " + first.withOrigin(config).getMessage());
            code = 2; // a settings error: a service manager should not restart into it again
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

    /**
     * A camel.* key Camel could not bind (a typo such as camel.main.shutdown-timeot, or a bad value), as a one-line
     * settings error, or null: Camel's own keys are not ours to list, so they are checked as Camel binds them.
     */
    private static ConfigError camelSettingError(Throwable e, Path configFile) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.camel.PropertyBindingException b) {
                return new ConfigError("Camel setting " + b.getPropertyName() + "=" + b.getValue() + " cannot be used"
                        + " (a misspelt camel.* key or a bad value; set in " + (configFile == null ? "" : configFile
                        + ", ") + "-D or the environment): " + b.getMessage());
            }
        }
        return null;
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

    /**
     * Camel Main with the packaged defaults and our wiring; the --config file's values, already read and merged
     * with the environment and -D ({@link RunSettings}), come as override properties.
     */
    public static Main newMain() {
        return newMain(new LiveState());
    }

    /** As {@link #newMain()}, taking over the windows and incidents kept in {@code live}. */
    static Main newMain(LiveState live) {
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
        // the --config file is not a location of its own: Camel would read it again its own way (a comma in its
        // path splits the list, backslashes are escapes), and its values are in the overrides already
        main.setPropertyPlaceholderLocations("classpath:application.properties");
        main.configure().addConfiguration(new ProxywatchConfiguration(live));
        return main;
    }
}
