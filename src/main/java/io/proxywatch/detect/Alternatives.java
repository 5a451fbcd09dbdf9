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
        if ((p.flags() & Pattern.COMMENTS) != 0 || re.contains("\\k<")) {
            return List.of(p);
        }
        String prefix = leadingFlags(re);
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = prefix.length();
        for (int i = start; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                char next = i + 1 < re.length() ? re.charAt(i + 1) : 0;
                if (next >= '1' && next <= '9') {
                    return List.of(p); // a back-reference
                }
                if (next == 'Q') {
                    int end = re.indexOf("\\E", i + 2);
                    i = end < 0 ? re.length() : end + 1;
                } else {
                    i++;
                }
            } else if (c == '[') {
                i = classEnd(re, i);
            } else if (c == '(') {
                if (depth == 0 && flagsOnly(re, i)) {
                    return List.of(p); // flags from the middle on: they would stay with one part
                }
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                parts.add(re.substring(start, i));
                start = i + 1;
            }
        }
        if (parts.isEmpty()) {
            return List.of(p);
        }
        parts.add(re.substring(start));
        List<Pattern> out = new ArrayList<>(parts.size());
        try {
            for (String part : parts) {
                out.add(Pattern.compile(prefix + part, p.flags()));
            }
        } catch (PatternSyntaxException e) {
            return List.of(p); // a construct the scan above does not know: keep the rule whole
        }
        return out;
    }

    /** A leading {@code (?imsu...)} that sets flags for the whole pattern, or "". */
    private static String leadingFlags(String re) {
        return flagsOnly(re, 0) ? re.substring(0, re.indexOf(')') + 1) : "";
    }

    /**
     * Whether the parenthesis at {@code i} opens a flag setting that holds to the end of the enclosing group,
     * {@code (?i)}; a flag group {@code (?i:...)} is an ordinary group.
     */
    private static boolean flagsOnly(String re, int i) {
        if (!re.startsWith("(?", i)) {
            return false;
        }
        int j = i + 2;
        while (j < re.length() && (Character.isLetter(re.charAt(j)) || re.charAt(j) == '-')) {
            j++;
        }
        return j > i + 2 && j < re.length() && re.charAt(j) == ')';
    }

    /** The index of the {@code ]} closing the class opened at {@code open}. */
    private static int classEnd(String re, int open) {
        int depth = 0;
        int i = open;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '[') {
                depth++;
                i++;
                // a ']' right after '[' or '[^' is a member, not the end
                if (i < re.length() && re.charAt(i) == '^') {
                    i++;
                }
                if (i < re.length() && re.charAt(i) == ']') {
                    i++;
                }
                continue;
            }
            if (c == ']' && --depth == 0) {
                return i;
            }
            i++;
        }
        return re.length();
    }
}
