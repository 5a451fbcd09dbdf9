package io.proxywatch.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the plain maps and lists snakeyaml gives for the rules file, with errors that name the place
 * ({@code thresholds[2].for}). Every section parser goes through these, so a typo'd key is never silently ignored.
 */
public final class RulesYaml {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private RulesYaml() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object node, String where) {
        if (node instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) { // 404: or true: read by YAML as a number or a boolean
                    throw new RulesError(where + "." + k, "a key must be text; quote it ('" + k + "') if it is meant");
                }
            }
            return (Map<String, Object>) m;
        }
        throw new RulesError(where, "expected a mapping (key: value lines), found " + describe(node));
    }

    public static List<?> list(Object node, String where) {
        if (node == null) {
            return List.of();
        }
        if (node instanceof List<?> l) {
            return l;
        }
        throw new RulesError(where, "expected a list (lines starting with '- '), found " + describe(node));
    }

    /**
     * The names a key lists, or the one name it holds ({@code in: query} as well as {@code in: [query, path]}),
     * trimmed. An empty list, an item that is not a single value, or an empty name fails, naming its place
     * ({@link #item}). {@code what} says what a name is, for the messages ({@code field name: path, query, ...}).
     */
    public static List<String> names(Object node, String where, String what) {
        List<?> items = node instanceof List<?> l ? l : Collections.singletonList(node);
        if (items.isEmpty()) {
            throw new RulesError(where, "empty; leave the key out or give at least one " + what);
        }
        List<String> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object n = items.get(i);
            String at = item(node, where, i);
            if (n == null || n instanceof Map || n instanceof List) {
                throw new RulesError(at, "expected a " + what + ", found " + describe(n));
            }
            String name = String.valueOf(n).trim();
            if (name.isEmpty()) {
                throw new RulesError(at, "empty; expected a " + what);
            }
            out.add(name);
        }
        return out;
    }

    /** The place of item {@code i} of what {@link #names} read: {@code where[i]} in a list, {@code where} alone. */
    public static String item(Object node, String where, int i) {
        return node instanceof List<?> ? where + "[" + i + "]" : where;
    }

    /** Fails on any key not in {@code allowed}, naming it and the keys that are allowed. */
    public static void onlyKeys(Map<String, Object> m, Set<String> allowed, String where) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw new RulesError(where + "." + k, "unknown key; known keys here: " + String.join(", ",
                        allowed.stream().sorted().toList()));
            }
        }
    }

    public static String string(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            throw new RulesError(where + "." + key, "missing");
        }
        if (v instanceof Map || v instanceof List) {
            throw new RulesError(where + "." + key, "expected a single value, found " + describe(v));
        }
        return String.valueOf(v);
    }

    public static String string(Map<String, Object> m, String key, String where, String dflt) {
        return m.get(key) == null ? dflt : string(m, key, where);
    }

    public static long number(Map<String, Object> m, String key, String where, long dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        throw new RulesError(where + "." + key, "expected a whole number, found " + describe(v));
    }

    public static double decimal(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new RulesError(where + "." + key, v == null ? "missing" : "expected a number, found " + describe(v));
    }

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
    public static Duration duration(Map<String, Object> m, String key, String where, Duration dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        return duration(String.valueOf(v), where + "." + key);
    }

    public static Duration duration(String text, String where) {
        Matcher d = DURATION.matcher(text.trim());
        if (!d.matches()) {
            throw new RulesError(where, "expected a duration like 500ms, 10s, 5m or 1h, found '" + text + "'");
        }
        // a sanity bound well past any window, for/repeat or reload interval, and far from overflowing
        if (d.group(1).length() > 9) {
            throw new RulesError(where, "out of range (at most 9 digits), found '" + text + "'");
        }
        long n = Long.parseLong(d.group(1));
        return switch (d.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** critical, high, warning or info, lower case. */
    public static String severity(String text, String where) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!Set.of("critical", "high", "warning", "info").contains(s)) {
            throw new RulesError(where, "severity must be critical, high, warning or info, found '" + text + "'");
        }
        return s;
    }

    private static String describe(Object node) {
        if (node == null) {
            return "nothing";
        }
        if (node instanceof Map) {
            return "a mapping";
        }
        if (node instanceof List) {
            return "a list";
        }
        return "'" + node + "'";
    }
}
