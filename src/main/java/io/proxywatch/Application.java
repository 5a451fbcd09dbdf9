package io.proxywatch;

import io.proxywatch.config.CommandLine;
import io.proxywatch.config.ConfigError;
import io.proxywatch.config.KnownSettings;
import io.proxywatch.config.ProxywatchConfiguration;
import io.proxywatch.config.SettingLayers;
import io.proxywatch.config.UnknownKeyCheck;
import io.proxywatch.rules.RulesFile;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** {@code java -jar proxywatch.jar [--config FILE]}: checks the settings, then runs Camel Main until stopped. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        KnownSettings known = KnownSettings.load();
        Main main;
        try {
            CommandLine cl = CommandLine.parse(args);
            if (cl.help()) {
                System.out.println(CommandLine.usage(known));
                return;
            }
            if (cl.exportRules() != null) {
                exportRules(cl.exportRules());
                return;
            }
            Properties configFile = load(cl.configFile());
            new UnknownKeyCheck(known).check(configFile, cl.configFile(), System.getProperties(), System.getenv());
            main = newMain(cl.configFile());
            main.setOverrideProperties(SettingLayers.merge(known, configFile, System.getenv(), System.getProperties()));
        } catch (ConfigError e) {
            System.err.println("proxywatch: " + e.getMessage());
            System.exit(2);
            return;
        }
        int code;
        try {
            code = main.run(new String[0]);
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
        Main main = new Main();
        String locations = "classpath:application.properties";
        if (configFile != null) {
            locations += ",file:" + configFile;
        }
        main.setPropertyPlaceholderLocations(locations);
        main.configure().addConfiguration(ProxywatchConfiguration.class);
        return main;
    }

    private static Properties load(Path file) {
        if (file == null) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new ConfigError("--config " + file + ": " + e.getMessage());
        }
        return p;
    }
}
