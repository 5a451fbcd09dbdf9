package io.proxywatch.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pattern's top-level alternatives as patterns of their own: {@code A|B|C} finds a match in a text exactly when
 * one of {@code A}, {@code B}, {@code C} does, so a rule can be checked part by part.
 *
 * <p>Why: the pre-check's literals ({@link RequiredLiterals}) of a whole rule are the union of its alternatives', so
 * one alternative that needs only a quote sends every value with a quote through all of them (25 for the shell
 * syntax rule), at every position of the text. Split, each part has its own literals and runs only when they
 * turn up, and a part that runs tries one alternative instead of all.
 *
 * <p>A pattern is left whole when splitting could change what it means: back-references (group numbers change),
 * inline flags other than a leading {@code (?flags)} (which every part then gets), comments mode.
 */
final class Alternatives {
    private Alternatives() {
    }

    /** The parts of {@code p}, or {@code p} alone. */
    static List<Pattern> of(Pattern p) {
        String re = p.pattern();
        // a back-reference, or what may be one: numbers change when groups move to another part
        if ((p.flags() & Pattern.COMMENTS) != 0 || re.matches("(?s).*\\\\[1-9k].*")) {
            return List.of(p);
        }
        String prefix = RegexSource.flagsOnly(re, 0) ? re.substring(0, re.indexOf(')') + 1) : "";
        String body = re.substring(prefix.length());
        List<String> parts;
        try {
            if (flagsFromTheMiddle(body)) {
                return List.of(p); // they would stay with one part
            }
            parts = RegexSource.branches(body);
        } catch (RuntimeException e) {
            return List.of(p); // a construct the reader does not follow: keep the rule whole
        }
        if (parts.size() == 1) {
            return List.of(p);
        }
        List<Pattern> out = new ArrayList<>(parts.size());
        try {
            for (String part : parts) {
                out.add(Pattern.compile(prefix + part, p.flags()));
            }
        } catch (PatternSyntaxException e) {
            return List.of(p);
        }
        return out;
    }

    /** Whether a top-level {@code (?i)} (not a flag group) sets flags somewhere in {@code re}. */
    private static boolean flagsFromTheMiddle(String re) {
        for (int i = 0; i < re.length(); i = RegexSource.tokenEnd(re, i)) {
            if (RegexSource.flagsOnly(re, i)) {
                return true;
            }
        }
        return false;
    }
}
