package io.proxywatch.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** The few options proxywatch takes on its command line; everything else is a setting. */
public record CommandLine(boolean help, Path configFile, Path exportRules, Path routesDir, Path exportRoutes,
                          boolean demo) {

    public static CommandLine parse(String[] args) {
        boolean help = false;
        Path config = null;
        Path exportRules = null;
        Path routesDir = null;
        Path exportRoutes = null;
        boolean demo = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> help = true;
                case "--demo" -> demo = true;
                case "--config" -> config = value(args, ++i, "--config needs a file: --config /etc/proxywatch/proxywatch.properties");
                case "--export-rules" -> exportRules = value(args, ++i, "--export-rules needs a file: --export-rules /etc/proxywatch/rules.yaml");
                case "--routes-dir" -> routesDir = value(args, ++i, "--routes-dir needs a folder: --routes-dir /etc/proxywatch/routes");
                case "--export-routes" -> exportRoutes = value(args, ++i, "--export-routes needs a folder: --export-routes /etc/proxywatch/routes");
                default -> {
                    if (a.startsWith("--config=")) {
                        config = Path.of(a.substring("--config=".length())).toAbsolutePath().normalize();
                    } else {
                        throw new ConfigError("unknown argument '" + a + "'; run with --help");
                    }
                }
            }
        }
        if (config != null && !Files.isReadable(config)) {
            throw new ConfigError("--config " + config + ": no such readable file");
        }
        if (routesDir != null && !Files.isDirectory(routesDir)) {
            throw new ConfigError("--routes-dir " + routesDir + ": no such folder (--export-routes DIR writes the packaged routes there)");
        }
        return new CommandLine(help, config, exportRules, routesDir, exportRoutes, demo);
    }

    private static Path value(String[] args, int i, String usage) {
        if (i >= args.length) {
            throw new ConfigError(usage);
        }
        return Path.of(args[i]).toAbsolutePath().normalize();
    }

    public static String usage(KnownSettings known) {
        StringBuilder sb = new StringBuilder();
        sb.append("proxywatch: follows a Go proxy's log files, parses them and writes level files.\n\n")
                .append("usage: java -jar proxywatch.jar [--config FILE] [--routes-dir DIR] [--export-rules FILE]\n")
                .append("                                [--export-routes DIR] [--demo] [-h|--help]\n\n")
                .append("  --config FILE         properties file read over the packaged defaults; edits apply while running\n")
                .append("  --routes-dir DIR      load the YAML routes from DIR instead of the jar (proxywatch.routes.dir);\n")
                .append("                        edits apply while running, an edit that does not start is rolled back\n")
                .append("  --export-routes DIR   write the packaged routes to DIR (a starting point for --routes-dir) and exit\n")
                .append("  --export-rules FILE   write the packaged detection rules to FILE (a starting point for\n")
                .append("                        proxywatch.rules.file) and exit; an existing FILE is not overwritten\n")
                .append("  --demo                generate made-up proxy traffic (a burst, SQLi/XSS/traversal probes, a spell\n")
                .append("                        of 5xx) into a temp folder and watch it: no proxy, collector or robot needed\n")
                .append("  -h, --help            this text\n\n")
                .append("Settings (override with -Dkey=value before -jar, an environment variable, or --config):\n");
        for (KnownSettings.Option o : known.options()) {
            sb.append("\n  ").append(o.key()).append(" = ").append(o.defaultValue().isEmpty() ? "(empty)" : o.defaultValue())
                    .append("\n      env ").append(o.envName())
                    .append("\n      ").append(o.doc()).append('\n');
        }
        return sb.toString();
    }
}
