package io.proxywatch.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Fails fast on a proxywatch.* key that does not exist, wherever it was set: a typo in a properties file
 * would otherwise silently leave the default in force.
 */
public final class UnknownKeyCheck {
    private final KnownSettings known;

    public UnknownKeyCheck(KnownSettings known) {
        this.known = known;
    }

    public void check(Properties configFile, Path configPath, Properties system, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        if (configFile != null) {
            for (String key : configFile.stringPropertyNames()) {
                checkKey(key, "in " + configPath, problems);
            }
        }
        for (String key : system.stringPropertyNames()) {
            checkKey(key, "set with -D" + key, problems);
        }
        for (String name : env.keySet()) {
            if (name.startsWith("PROXYWATCH_") && known.keyForEnv(name) == null) {
                problems.add("unknown setting in environment variable " + name + " (no proxywatch.* key maps to it)");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigError(String.join("\n", problems));
        }
    }

    private void checkKey(String key, String where, List<String> problems) {
        if (!key.startsWith(KnownSettings.PREFIX)) {
            if (misspelledPrefix(key)) {
                String[] parts = key.split("[._\\s-]", 2);
                String hint = parts.length < 2 ? null
                        : known.closest(KnownSettings.PREFIX + parts[1].toLowerCase(Locale.ROOT).replace('_', '.'));
                problems.add("unknown setting '" + key + "' " + where + ": settings start with '" + KnownSettings.PREFIX
                        + "', in lower case, with dots" + (hint == null ? "" : " (did you mean " + hint + "?)")
                        + "; run with --help for the list");
            }
            return;
        }
        if (known.isKnown(key)) {
            return;
        }
        String hint = known.closest(key);
        problems.add("unknown setting '" + key + "' " + where + (hint == null ? "" : " (did you mean " + hint + "?)")
                + "; run with --help for the list");
    }

    /**
     * A key meant to be ours whose prefix is not quite {@code proxywatch.}: another case, underscores, a space, or
     * a letter or two off ({@code proxywach.alert.wecom.url}). Such keys were not checked at all, so the setting
     * they meant kept its default (no WeCom alerts, say) without a word. Other keys (camel.*, the JVM's) pass.
     */
    static boolean misspelledPrefix(String key) {
        String head = key.split("[._\\s-]", 2)[0].toLowerCase(Locale.ROOT);
        String prefix = KnownSettings.PREFIX.substring(0, KnownSettings.PREFIX.length() - 1);
        return KnownSettings.distance(head, prefix) <= 2;
    }
}
