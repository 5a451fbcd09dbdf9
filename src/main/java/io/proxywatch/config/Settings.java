package io.proxywatch.config;

import java.nio.charset.Charset;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Typed reads of proxywatch.* settings; a bad value fails with the key, the value and what was expected. */
public final class Settings {
    private final Function<String, String> lookup;

    public Settings(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    public String string(String key) {
        String v = lookup.apply(key);
        if (v == null) {
            throw new ConfigError("setting " + key + " is missing (the packaged application.properties defines it)");
        }
        return v.strip();
    }

    public String oneOf(String key, List<String> allowed) {
        String v = string(key).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw bad(key, v, "one of " + String.join(", ", allowed));
        }
        return v;
    }

    public boolean bool(String key) {
        return oneOf(key, List.of("true", "false")).equals("true");
    }

    public long longAtLeast(String key, long min) {
        String v = string(key);
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n < min) {
                throw bad(key, v, "a whole number of at least " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(key, v, "a whole number of at least " + min);
        }
    }

    public int intAtLeast(String key, int min) {
        long n = longAtLeast(key, min);
        if (n > Integer.MAX_VALUE) {
            throw bad(key, string(key), "a whole number below " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /** A TCP port, 1 to 65535. */
    public int port(String key) {
        long n = longAtLeast(key, 1);
        if (n > 65535) {
            throw bad(key, string(key), "a TCP port, 1 to 65535");
        }
        return (int) n;
    }

    /** {@link #intAtLeast}, or {@code auto} (any case) for the value worked out from the machine. */
    public int intAtLeastOrAuto(String key, int min, IntSupplier auto) {
        long n = longAtLeastOrAuto(key, min, auto::getAsInt);
        if (n > Integer.MAX_VALUE) {
            throw bad(key, string(key), "auto or a whole number below " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /** {@link #longAtLeast}, or {@code auto} (any case) for the value worked out from the machine. */
    public long longAtLeastOrAuto(String key, long min, LongSupplier auto) {
        String v = string(key);
        if (v.equalsIgnoreCase("auto")) {
            return auto.getAsLong();
        }
        try {
            return longAtLeast(key, min);
        } catch (ConfigError e) {
            throw bad(key, v, "auto or a whole number of at least " + min);
        }
    }

    public Charset charset(String key) {
        String v = string(key);
        try {
            return Charset.forName(v);
        } catch (IllegalArgumentException e) {
            throw bad(key, v, "a charset name such as UTF-8, GBK or UTF-16LE");
        }
    }

    /** A regex, or null when the value is empty. */
    public Pattern patternOrNull(String key) {
        String v = lookup.apply(key);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(v);
        } catch (PatternSyntaxException e) {
            throw bad(key, v, "a valid regular expression (" + e.getDescription() + ")");
        }
    }

    /** {@link #path(String)}, or {@code fallback} when the setting is empty. */
    public Path pathOr(String key, Path fallback) {
        return string(key).isEmpty() ? fallback : path(key);
    }

    public Path path(String key) {
        String v = string(key);
        try {
            return Path.of(v).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw bad(key, v, "a file system path");
        }
    }

    public static ConfigError bad(String key, String value, String expected) {
        return new ConfigError("bad value for " + key + ": '" + value + "' (expected " + expected + ")", key);
    }
}
