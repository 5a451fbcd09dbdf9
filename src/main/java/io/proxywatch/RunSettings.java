package io.proxywatch;

import io.proxywatch.config.CommandLine;
import io.proxywatch.config.ConfigError;
import io.proxywatch.config.KnownSettings;
import io.proxywatch.config.RoutesExport;
import io.proxywatch.config.SettingLayers;
import io.proxywatch.config.UnknownKeyCheck;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The settings one run of Camel starts with: the layered proxywatch.* values (packaged default < --config file <
 * environment < -D < command line) and the routes folder. Read again from disk for each reload; a file that
 * cannot be read or names an unknown key is a {@link ConfigError} before anything is stopped.
 */
record RunSettings(Path configFile, Properties overrides, Path routesDir, Path routesLoaded, long reloadIntervalMs) {
    /** Under proxywatch.data-dir: the copies of the routes folder that runs were started from. */
    static final String LOADED_ROUTES = "routes-loaded";

    static RunSettings load(KnownSettings known, CommandLine cl) {
        Properties file = read(cl.configFile());
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
        return new RunSettings(cl.configFile(), merged, routesDir, routesLoaded, interval);
    }

    /** Deletes this run's copy of the routes once another run has replaced it. */
    void discard() {
        if (routesLoaded != null) {
            RoutesExport.delete(routesLoaded);
        }
    }

    /**
     * The {@code --config} file, read as UTF-8 (a byte-order mark, as Windows editors write, skipped); a file that
     * is not valid UTF-8 is read as ISO-8859-1, the encoding of Java's own properties files. Read as ISO-8859-1
     * always, a UTF-8 file's non-ASCII values (a log folder or a sender's name in Chinese) came out garbled, and
     * silently won over the defaults.
     */
    static Properties read(Path file) {
        if (file == null) {
            return null;
        }
        Properties p = new Properties();
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException notUtf8) {
                text = new String(bytes, StandardCharsets.ISO_8859_1);
            }
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigError("--config " + file + ": " + e.getMessage());
        }
        return p;
    }
}
