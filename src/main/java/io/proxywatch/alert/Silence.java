package io.proxywatch.alert;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps quiet about incidents whose rule and key match, until {@code until}. Patterns are globs ({@code *} any
 * run of characters, {@code ?} one), matched against the whole rule id and the whole key.
 */
public record Silence(String rulePattern, String keyPattern, Instant until) {

    public boolean matches(String rule, String key, Instant now) {
        return now.isBefore(until) && glob(rulePattern).matcher(rule).matches() && glob(keyPattern).matcher(key).matches();
    }

    public boolean expired(Instant now) {
        return !now.isBefore(until);
    }

    /**
     * {@code RULE KEY UNTIL} entries separated by commas, e.g.
     * {@code ip-burst 10.0.0.* 2026-12-31T00:00:00Z, scanner-* * 2027-01-01T00:00:00Z}.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static List<Silence> parseAll(String text) {
        List<Silence> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String entry : text.split(",")) {
            String[] parts = entry.trim().split("\\s+");
            if (parts.length != 3) {
                throw new IllegalArgumentException("silence '" + entry.trim() + "' is not RULE KEY UNTIL "
                        + "(e.g. ip-burst 10.0.0.* 2026-12-31T00:00:00Z)");
            }
            try {
                out.add(new Silence(parts[0], parts[1], Instant.parse(parts[2])));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("silence '" + entry.trim() + "': '" + parts[2]
                        + "' is not an ISO-8601 instant like 2026-12-31T00:00:00Z");
            }
        }
        return out;
    }

    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
