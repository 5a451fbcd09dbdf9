package io.proxywatch.detect;

/**
 * A value as a POSIX shell would read it, for the command-injection rules, where {@link Normalizer}'s canonical
 * form (made for SQL and HTML as much as for shells) hides what the shell runs.
 *
 * <p>Three differences. A line break ends a command, as {@code ;} does: {@code 127.0.0.1%0aid} runs {@code id};
 * the canonical form turns it into a space, which SQL needs ({@code union%0aselect}), so here it stays a line break
 * (a run of blanks around it shrinks to it; a CR alone is a blank, as it is no separator to a shell). Quotes,
 * backslashes and an empty {@code $@} or {@code $*} inside a word are removed before the word runs:
 * {@code w'h'o'am'i}, {@code c"a"t}, {@code who\ami} and {@code wh$@oami} all run {@code whoami} or {@code cat};
 * but a backslash makes a separator, quote or blank part of the word ({@code a\;cat} runs nothing), so such an
 * escaped character reads as {@code _}. And SQL comments are not folded: {@code --} and {@code /*} mean nothing
 * to a shell, and {@code #} only at the start of a word, so folding them as the canonical form does hid the command
 * after them ({@code 127.0.0.1#;id%0a} runs {@code id}).
 *
 * <p>Quotes are dropped wherever they are, not paired: the value lands inside a command line whose own quoting the
 * request does not show, so an attacker's quote may as well close one as open one. For the same reason a backslash
 * escapes the next character even between single quotes. Runs of other blanks fold to one space, as in the
 * canonical form, so a rule's {@code " "} still means any blank.
 *
 * <p>So a value with none of these characters reads exactly as its canonical form ({@link #wouldChange}), and most
 * values have none: only those that do pay for a second reading. Stateless.
 */
final class ShellView {
    private ShellView() {
    }

    /**
     * Whether {@link #of} could read {@code text} differently from the canonical form: it holds a line break, a
     * quote, a backslash, {@code $@} / {@code $*}, or what the canonical form folds as an SQL comment. When false
     * the two are the same. Any case; one pass, no allocation.
     */
    static boolean wouldChange(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\'' || c == '"' || c == '\\' || c == '#'
                    || (c == '-' || c == '/') && i + 1 < n && text.charAt(i + 1) == (c == '-' ? '-' : '*')
                    || c == '$' && i + 1 < n && emptyParameter(text.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The shell's reading of {@code decoded}, the output of {@link Normalizer#decode} (or a value that needed none
     * of its steps, in lower case).
     */
    static String of(String decoded) {
        int n = decoded.length();
        StringBuilder out = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            char c = decoded.charAt(i);
            if (c == '\'' || c == '"') {
                i++;
            } else if (c == '\\') {
                int next = i + 1;
                if (next < n && decoded.charAt(next) == '\n') {
                    i = next + 1; // a continued line: the word goes on after it
                } else if (next < n) {
                    char escaped = decoded.charAt(next);
                    out.append(isWordChar(escaped) ? escaped : '_'); // part of the word, whatever it is
                    i = next + 1;
                } else {
                    i = next;
                }
            } else if (c == '$' && i + 1 < n && emptyParameter(decoded.charAt(i + 1))) {
                i += 2;
            } else if (Normalizer.isBlank(c)) {
                int end = i;
                boolean lineBreak = false;
                while (end < n && Normalizer.isBlank(decoded.charAt(end))) {
                    lineBreak |= decoded.charAt(end) == '\n';
                    end++;
                }
                out.append(lineBreak ? '\n' : ' ');
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** After {@code $}: the parameters a request's command line runs without, which expand to nothing. */
    private static boolean emptyParameter(char c) {
        return c == '@' || c == '*';
    }

    /** A character that stands for itself in a shell word: not a separator, quote, blank or expansion. */
    private static boolean isWordChar(char c) {
        return !Normalizer.isBlank(c) && ";|&<>()$`'\"\\{}*?[]!#~=".indexOf(c) < 0;
    }
}
