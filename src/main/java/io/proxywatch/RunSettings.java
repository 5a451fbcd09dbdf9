package io.proxywatch;

import io.proxywatch.config.CommandLine;
import io.proxywatch.config.ConfigFile;
import io.proxywatch.config.ConfigError;
import io.proxywatch.config.KnownSettings;
import io.proxywatch.config.RoutesExport;
import io.proxywatch.config.SettingLayers;
import io.proxywatch.config.UnknownKeyCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The settings one run of Camel starts with: the layered proxywatch.* values (packaged default < --config file <
 * environment < -D < command line) and the routes folder. Read again from disk for each reload; a file that
 * cannot be read or names an unknown key is a {@link ConfigError} before anything is stopped.
 *
 * @param configValues the --config file as read (null without one), to say where a bad value was set
 */
record RunSettings(Path configFile, Properties configValues, Properties overrides, Path routesDir, Path routesLoaded,
                   long reloadIntervalMs) {
    /** Under proxywatch.data-dir: the copies of the routes folder that runs were started from. */
    static final String LOADED_ROUTES = "routes-loaded";

    static RunSettings load(KnownSettings known, CommandLine cl) {
        Properties file = ConfigFile.read(cl.configFile());
        new UnknownKeyCheck(known).check(file, cl.configFile(), System.getProperties(), System.getenv());
        Properties system = new Properties();
        system.putAll(System.getProperties());
        if (cl.routesDir() != null) {
            system.setProperty("proxywatch.routes.dir", cl.routesDir().toString());
        }
        Properties merged = SettingLayers.merge(known, file, System.getenv(), system);
        Path routesDir = null;
        Path routesLoaded = null;
        String routes = merged.getProperty("proxywatch.routes.dir", "");
        if (!routes.isEmpty()) {
            routesDir = Path.of(routes).toAbsolutePath().normalize();
            if (!Files.isDirectory(routesDir)) {
                throw new ConfigError("bad value for proxywatch.routes.dir: '" + routes
                        + "' is not a folder (--export-routes DIR writes the packaged routes there)");
            }
            // Camel reads a copy, so going back after a broken edit starts the routes that ran, not the broken ones
            routesLoaded = RoutesExport.snapshot(routesDir,
                    Path.of(merged.getProperty("proxywatch.data-dir")).toAbsolutePath().normalize().resolve(LOADED_ROUTES));
            merged.setProperty("camel.main.routes-include-pattern", RoutesExport.includePattern(routesLoaded));
        }
        long interval;
        try {
            interval = Long.parseLong(merged.getProperty("proxywatch.reload.interval-ms").strip());
        } catch (NumberFormatException e) {
            interval = -1;
        }
        if (interval < 100) {
            throw new ConfigError("bad value for proxywatch.reload.interval-ms: '"
                    + merged.getProperty("proxywatch.reload.interval-ms") + "' (expected a whole number of ms, at least 100)");
        }
        return new RunSettings(cl.configFile(), file, merged, routesDir, routesLoaded, interval);
    }

    /**
     * Where the value of {@code key} in force came from, for a settings error: an operator with the same key in an
     * environment file and the --config file must be sent to the one that won.
     */
    static String origin(String key, Path configFile, Properties file, Map<String, String> env, Properties system) {
        if (system.getProperty(key) != null) {
            return "-D" + key;
        }
        String envName = KnownSettings.envName(key);
        if (env.get(envName) != null) {
            return "environment variable " + envName;
        }
        if (file != null && file.getProperty(key) != null) {
            return "--config " + configFile;
        }
        return "the packaged default";
    }

    /** {@code error} with where its key's value came from, when it names a setting. */
    ConfigError withOrigin(ConfigError error) {
        return withOrigin(error, configFile, configValues, System.getenv(), System.getProperties());
    }

    static ConfigError withOrigin(ConfigError error, Path configFile, Properties file, Map<String, String> env,
                                  Properties system) {
        return error.key() == null ? error
                : new ConfigError(error.getMessage() + "; set by " + origin(error.key(), configFile, file, env, system));
    }

    /** Deletes this run's copy of the routes once another run has replaced it. */
    void discard() {
        if (routesLoaded != null) {
            RoutesExport.delete(routesLoaded);
        }
    }
}
