package io.proxywatch.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading java.util.regex source without compiling it: where an escape, a character class or a group ends, and an
 * alternation's top-level branches. For the rewrites that speed rules up ({@link Alternatives},
 * {@link AlternationFactoring}); what it does not know, the compiler rejects afterwards and the rule is kept as
 * written.
 */
final class RegexSource {
    private RegexSource() {
    }

    /** The top-level branches of an alternation's source. */
    static List<String> branches(String src) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < src.length(); i = tokenEnd(src, i)) {
            if (src.charAt(i) == '|') {
                out.add(src.substring(start, i));
                start = i + 1;
            }
        }
        out.add(src.substring(start));
        return out;
    }

    /** The index after the token at {@code i}: an escape, a class or a group whole, else one character. */
    static int tokenEnd(String src, int i) {
        return switch (src.charAt(i)) {
            case '\\' -> escapeEnd(src, i);
            case '[' -> classEnd(src, i) + 1;
            case '(' -> groupEnd(src, i) + 1;
            default -> i + 1;
        };
    }

    /** The index after the escape at {@code i} ({@code \Q...\E} as a whole, {@code \x41}, {@code \p{L}}, ...). */
    static int escapeEnd(String src, int i) {
        if (i + 1 >= src.length()) {
            return src.length();
        }
        char e = src.charAt(i + 1);
        if (e == 'Q') {
            int end = src.indexOf("\\E", i + 2);
            return end < 0 ? src.length() : end + 2;
        }
        if ((e == 'p' || e == 'P' || e == 'x' || e == 'N' || e == 'k') && i + 2 < src.length()
                && (src.charAt(i + 2) == '{' || src.charAt(i + 2) == '<')) {
            return src.indexOf(src.charAt(i + 2) == '{' ? '}' : '>', i + 2) + 1;
        }
        return i + 2;
    }

    /** The index of the {@code ]} closing the class opened at {@code open}. */
    static int classEnd(String src, int open) {
        int depth = 0;
        int i = open;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '\\') {
                i = escapeEnd(src, i);
                continue;
            }
            if (c == '[') {
                depth++;
                i++;
                if (i < src.length() && src.charAt(i) == '^') {
                    i++;
                }
                if (i < src.length() && src.charAt(i) == ']') {
                    i++; // a ']' first in a class is a member
                }
                continue;
            }
            if (c == ']' && --depth == 0) {
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException("unclosed class");
    }

    /** The index of the {@code )} closing the group opened at {@code open}. */
    static int groupEnd(String src, int open) {
        for (int i = open + 1; i < src.length(); i = tokenEnd(src, i)) {
            if (src.charAt(i) == ')') {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed group");
    }

    /** Where the body of the group opened at {@code open} starts: after {@code (}, {@code (?:}, {@code (?<n>}... */
    static int groupBody(String src, int open) {
        if (!src.startsWith("(?", open)) {
            return open + 1;
        }
        if (src.startsWith("(?<", open) && open + 3 < src.length()
                && Character.isLetter(src.charAt(open + 3))) {
            return src.indexOf('>', open) + 1; // (?<name>
        }
        int i = open + 2;
        while (i < src.length() && (Character.isLetter(src.charAt(i)) || src.charAt(i) == '-')) {
            i++; // (?flags: or (?flags)
        }
        char c = src.charAt(i);
        if (c == '<') {
            return i + 2; // (?<= (?<!
        }
        return i + 1; // (?: (?= (?! (?> (?flags: and (?flags) (an empty body)
    }

    /**
     * Whether the parenthesis at {@code i} opens a flag setting that holds to the end of the enclosing group,
     * {@code (?i)}; a flag group {@code (?i:...)} is an ordinary group.
     */
    static boolean flagsOnly(String re, int i) {
        if (!re.startsWith("(?", i)) {
            return false;
        }
        int j = i + 2;
        while (j < re.length() && (Character.isLetter(re.charAt(j)) || re.charAt(j) == '-')) {
            j++;
        }
        return j > i + 2 && j < re.length() && re.charAt(j) == ')';
    }
}
