package io.proxywatch.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The proxywatch.* keys that exist, read from the packaged application.properties: that file is the one list
 * of options, with each key's default and the comment above it as its documentation.
 */
public final class KnownSettings {
    public static final String PREFIX = "proxywatch.";
    static final String RESOURCE = "application.properties";

    public record Option(String key, String defaultValue, String doc) {
        public String envName() {
            return KnownSettings.envName(key);
        }
    }

    private final Map<String, Option> options = new LinkedHashMap<>();

    private KnownSettings() {
    }

    public static KnownSettings load() {
        KnownSettings known = new KnownSettings();
        try (InputStream in = KnownSettings.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder doc = new StringBuilder();
            for (String line : text.split("\n")) {
                String l = line.strip();
                if (l.startsWith("#")) {
                    String c = l.substring(1).strip();
                    if (!c.startsWith("---")) {
                        doc.append(doc.length() > 0 ? " " : "").append(c);
                    }
                    continue;
                }
                int eq = l.indexOf('=');
                if (l.startsWith(PREFIX) && eq > 0) {
                    String key = l.substring(0, eq).strip();
                    String value = l.substring(eq + 1).replace("\\\\", "\\");
                    known.options.put(key, new Option(key, value, doc.toString()));
                }
                doc.setLength(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return known;
    }

    public List<Option> options() {
        return new ArrayList<>(options.values());
    }

    public boolean isKnown(String key) {
        return options.containsKey(key);
    }

    /** The known key an environment variable stands for, or null. */
    public String keyForEnv(String envName) {
        for (String key : options.keySet()) {
            if (envName(key).equals(envName)) {
                return key;
            }
        }
        return null;
    }

    /** The closest known key, to suggest for a typo. */
    public String closest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : options.keySet()) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(3, key.length() / 4) ? best : null;
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
