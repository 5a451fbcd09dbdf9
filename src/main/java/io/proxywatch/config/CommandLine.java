package io.proxywatch.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** The few options proxywatch takes on its command line; everything else is a setting. */
public record CommandLine(boolean help, Path configFile, Path exportRules) {

    public static CommandLine parse(String[] args) {
        boolean help = false;
        Path config = null;
        Path exportRules = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> help = true;
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        throw new ConfigError("--config needs a file: --config /etc/proxywatch/proxywatch.properties");
                    }
                    config = Path.of(args[++i]).toAbsolutePath().normalize();
                }
                case "--export-rules" -> {
                    if (i + 1 >= args.length) {
                        throw new ConfigError("--export-rules needs a file: --export-rules /etc/proxywatch/rules.yaml");
                    }
                    exportRules = Path.of(args[++i]).toAbsolutePath().normalize();
                }
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
        return new CommandLine(help, config, exportRules);
    }

    public static String usage(KnownSettings known) {
        StringBuilder sb = new StringBuilder();
        sb.append("proxywatch: follows a Go proxy's log files, parses them and writes level files.\n\n")
                .append("usage: java -jar proxywatch.jar [--config FILE] [--export-rules FILE] [-h|--help]\n\n")
                .append("  --config FILE         properties file read over the packaged defaults\n")
                .append("  --export-rules FILE   write the packaged detection rules to FILE (a starting point for\n")
                .append("                        proxywatch.rules.file) and exit; an existing FILE is not overwritten\n")
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
