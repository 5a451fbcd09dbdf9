package io.proxywatch.detect;

import io.proxywatch.detect.SignatureRule.Target;
import io.proxywatch.record.LogRecord;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code exceptions:} entries compiled against one detector's rules, as sets of rule indices. A detector asks two
 * things: which rules any entry names (only their matches must be remembered beyond the best one, because only they
 * can be dropped), and, once such a rule has matched, which rules a given record drops in each field. Nothing here
 * runs for a line on which no named rule matched.
 */
final class Exemptions {
    /**
     * Longest normalised path an entry's regex is tried on. The path is the request's, and a regex matched whole
     * against a megabyte of it could recurse past the stack ({@link RegexWindows}); a path longer than any a query API
     * uses is simply not excepted.
     */
    static final int MAX_PATH_CHARS = RegexWindows.WINDOW;

    private static final Target[] TARGETS = Target.values();

    private final int words;       // longs per set of rules
    private final long[] named;    // the rules any entry names
    private final Entry[] entries;

    /** One entry: the rules it names, where it applies, in which fields (bits by {@link Target#ordinal()}). */
    private record Entry(long[] rules, Pattern path, String service, int fields) {
    }

    Exemptions(List<SignatureExemption> list, List<SignatureRule> rules) {
        words = Math.max(1, (rules.size() + 63) >>> 6);
        named = new long[words];
        entries = new Entry[list.size()];
        for (int e = 0; e < entries.length; e++) {
            SignatureExemption x = list.get(e);
            long[] bits = new long[words];
            for (int i = 0; i < rules.size(); i++) {
                if (x.names(rules.get(i))) {
                    bits[i >>> 6] |= 1L << i;
                    named[i >>> 6] |= 1L << i;
                }
            }
            int fields = 0;
            for (Target t : x.fields()) {
                fields |= 1 << t.ordinal();
            }
            entries[e] = new Entry(bits, x.path(), x.service(), fields);
        }
    }

    /** Whether any entry names rule {@code i}: whether a match of it may be dropped. */
    boolean names(int i) {
        return (named[i >>> 6] & 1L << i) != 0;
    }

    /**
     * Whether the path climbs with a {@code ..} segment: the server routes {@code /search/../admin/exec} to
     * {@code /admin/exec}, which an entry for {@code /search/.*} does not mean to cover, so no path entry applies.
     */
    static boolean hasDotDot(String path) {
        for (int i = path.indexOf("/.."); i >= 0; i = path.indexOf("/..", i + 1)) {
            int after = i + 3;
            if (after == path.length() || path.charAt(after) == '/') {
                return true;
            }
        }
        return false;
    }

    /**
     * The rules whose findings are dropped in each field of {@code r}, indexed by {@link Target#ordinal()}: a set of
     * rules, or null when no entry applies to that field of this record.
     */
    long[][] droppedIn(LogRecord r) {
        long[][] dropped = new long[TARGETS.length][];
        String path = null; // normalised once, and only if an entry has a path to match
        for (Entry e : entries) {
            if (e.service() != null && !e.service().equals(r.getService())) {
                continue;
            }
            if (e.path() != null) {
                if (path == null) {
                    path = Normalizer.normalize(r.getPath() == null ? "" : r.getPath(), Normalizer.Mode.PATH);
                }
                if (path.length() > MAX_PATH_CHARS || hasDotDot(path) || !e.path().matcher(path).matches()) {
                    continue;
                }
            }
            for (Target t : TARGETS) {
                if ((e.fields() & 1 << t.ordinal()) != 0) {
                    long[] set = dropped[t.ordinal()];
                    if (set == null) {
                        set = dropped[t.ordinal()] = new long[words];
                    }
                    for (int w = 0; w < words; w++) {
                        set[w] |= e.rules()[w];
                    }
                }
            }
        }
        return dropped;
    }
}
