package io.proxywatch.detect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's regex run over a long field in overlapping windows instead of over the whole text at once.
 *
 * <p>Everything in a field comes from the request, and java.util.regex recurses once per iteration of a repeated
 * group: a 36 KB query of {@code select a select a ...} overflowed the tailer's stack inside a rule, every time the
 * chunk was read again, so one request stopped the whole pipeline. Some patterns also cost time that grows with the
 * square of the text (each start position scans on to the end). Windows bound both: the recursion by the window's
 * length, the time to linear in the field's.
 *
 * <p>What a window sees: the matcher's region is the window, with transparent bounds (look-arounds and {@code \b}
 * see the characters just outside it) and without anchoring bounds ({@code ^} and {@code $} only match at the real
 * start and end of the field). Consecutive windows share {@link #OVERLAP} characters, so every match up to that
 * long is found whole in some window; a longer one is found when it fits in one. On the labelled corpus the longest
 * match of any default rule is 455 characters and 99% are under 33.
 */
final class RegexWindows {
    /** Longest text matched in one go; the interpreted JVM overflowed a 1 MB stack at 8 KB with a default rule. */
    static final int WINDOW = 1024;
    /** Characters each window shares with the next. */
    static final int OVERLAP = 256;

    private RegexWindows() {
    }

    /** Whether {@code pattern} finds a match in {@code text} (within the guarantee above for texts over a window). */
    static boolean find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        int n = text.length();
        if (n <= WINDOW) {
            return m.find();
        }
        m.useTransparentBounds(true).useAnchoringBounds(false);
        for (int from = 0; ; from += WINDOW - OVERLAP) {
            int to = Math.min(n, from + WINDOW);
            if (m.region(from, to).find()) {
                return true;
            }
            if (to == n) {
                return false;
            }
        }
    }
}
