package io.proxywatch.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a regex's alternations of words so that each first character is tested once:
 * {@code (?:cat|curl|id|ifconfig)} becomes {@code (?:c(?:at|url)|i(?:d|fconfig))}.
 *
 * <p>java.util.regex tries an alternation's branches one after the other at every position it attempts, so a rule
 * listing 200 SQL function names or 250 commands spends a few hundred steps per character of text before any of
 * them gets past its first letter (~0.5 µs a character; 73 µs for one referer). Factored, a position costs one
 * step per distinct first letter reached.
 *
 * <p>The rewrite changes no match, not even which branch wins: branches that start with different characters
 * cannot both match at one position, and branches sharing a first character keep their order. Only alternations
 * whose every branch starts with a literal character (not made optional or repeated by a quantifier) are
 * rewritten, and nothing under a case-insensitive flag (where {@code a} and {@code A} are the same start).
 */
final class AlternationFactoring {
    /** Fewer branches than this are left alone: nothing to gain. */
    private static final int MIN_BRANCHES = 4;

    private AlternationFactoring() {
    }

    /** {@code re} with its alternations factored, or {@code re} itself when it uses a case-insensitive flag. */
    static String of(String re, int flags) {
        // an inline flag group that sets i or x anywhere, (?i), (?ix:, (?-i), is read as one
        if ((flags & (java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.COMMENTS
                | java.util.regex.Pattern.LITERAL)) != 0 || re.matches("(?s).*\\(\\?[a-zA-Z-]*[ix].*")) {
            return re;
        }
        return alternation(re);
    }

    /** An alternation's source: each branch rewritten inside, then the branches factored by first character. */
    private static String alternation(String src) {
        List<String> branches = new ArrayList<>();
        for (String b : RegexSource.branches(src)) {
            branches.add(sequence(b));
        }
        if (branches.size() < MIN_BRANCHES) {
            return String.join("|", branches);
        }
        Map<String, List<String>> byFirst = new LinkedHashMap<>();
        for (String b : branches) {
            int end = firstLiteralEnd(b);
            if (end < 0) {
                return String.join("|", branches);
            }
            byFirst.computeIfAbsent(key(b.substring(0, end)), k -> new ArrayList<>()).add(b);
        }
        if (byFirst.size() == branches.size()) {
            return String.join("|", branches);
        }
        List<String> out = new ArrayList<>();
        for (List<String> group : byFirst.values()) {
            if (group.size() == 1) {
                out.add(group.get(0));
                continue;
            }
            String first = group.get(0).substring(0, firstLiteralEnd(group.get(0)));
            List<String> rests = new ArrayList<>();
            for (String b : group) {
                rests.add(b.substring(firstLiteralEnd(b)));
            }
            out.add(first + "(?:" + alternation(String.join("|", rests)) + ")");
        }
        return String.join("|", out);
    }

    /** The character a literal token stands for: {@code \.} and {@code .}-free tokens alike, as its text. */
    private static String key(String token) {
        return token.startsWith("\\") ? token.substring(1) : token;
    }

    /** A branch with the contents of each of its groups rewritten. */
    private static String sequence(String src) {
        StringBuilder out = new StringBuilder();
        for (int i = 0, end; i < src.length(); i = end) {
            end = RegexSource.tokenEnd(src, i);
            int body = src.charAt(i) == '(' ? RegexSource.groupBody(src, i) : end;
            if (body < end) {
                out.append(src, i, body).append(alternation(src.substring(body, end - 1))).append(')');
            } else {
                out.append(src, i, end); // an escape, a class, a character, or (?s): flags without a body
            }
        }
        return out.toString();
    }

    /**
     * The end of a branch's first token when it is one literal character that no quantifier follows (a letter,
     * a digit, or an escaped punctuation mark), else -1.
     */
    static int firstLiteralEnd(String b) {
        if (b.isEmpty()) {
            return -1;
        }
        char c = b.charAt(0);
        int end;
        if (Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-' || c == ' ' || c == '/'
                || c == '=' || c == ',' || c == ';' || c == ':' || c == '<' || c == '>' || c == '\'' || c == '"'
                || c == '@' || c == '!' || c == '%' || c == '&' || c == '~' || c == '`' || c == '#') {
            end = 1;
        } else if (c == '\\' && b.length() > 1 && !Character.isLetterOrDigit(b.charAt(1)) && b.charAt(1) < 128) {
            end = 2;
        } else {
            return -1;
        }
        if (end < b.length() && "?*+{".indexOf(b.charAt(end)) >= 0) {
            return -1;
        }
        return end;
    }
}
