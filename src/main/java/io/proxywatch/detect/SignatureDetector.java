package io.proxywatch.detect;

import io.proxywatch.detect.SignatureRule.Target;
import io.proxywatch.detect.VerdictCache.Verdict;
import io.proxywatch.record.LogRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks access records against the signature rules and reports the most severe match.
 *
 * <p>This runs on every access line, and almost every line is benign, so the work is arranged around saying "no"
 * quickly. Each field is normalised once. Then, instead of running every rule's regex over it, one pass of an
 * Aho-Corasick automaton ({@link LiteralScanner}, one for all fields) looks for the literals the rules cannot match
 * without ({@code union} for a union-select rule, {@code nikto}, {@code sqlmap}, ... for the scanner list); only
 * rules whose literal turned up run their regex. Each rule is checked as its top-level alternatives
 * ({@link Alternatives}), each with literals of its own, so an alternative that needs only a quote does not send
 * every quoted value through the rest of its rule. The literals are worked out from each part by
 * {@link RequiredLiterals}, conservatively: a part it cannot prove a literal for always runs, so the pre-check never
 * hides a match, it only skips regexes that could not have matched. And since a field's verdict depends only on its
 * value, the verdicts of recent values are kept ({@link VerdictCache}): user agents, referers and paths repeat.
 *
 * <p>The rules file's exceptions drop some rules' findings on some paths or services ({@link SignatureExemption}).
 * That depends on the record, not only on the value, so a value's verdict remembers, besides its best rule, the
 * matches of any rule an exception names that could beat it, and which of those a record drops is worked out only
 * when one of them matched. Without exceptions the work is what it was: the best rule, and nothing else, per value.
 *
 * <p>The command-injection rules read a second text too: the shell's reading of the value ({@link ShellView}: line
 * breaks kept as separators, quotes inside words removed), made from the value alone, so a verdict still depends on
 * nothing else. It is built only for a value holding one of the few characters it reads otherwise, and is scanned
 * and matched the same way, for those rules only. Likewise every rule but the SQL ones also reads a value with SQL
 * comments in it as it is, comments kept as text ({@link SignatureRule#readsCommentsAsText}).
 *
 * <p>Thread-safe; a rules reload builds a new detector (with empty caches).
 */
public final class SignatureDetector {
    private static final Target[] TARGETS = Target.values();

    private final List<SignatureRule> rules;
    private final int[] rank;                // per rule
    private final Pattern[] parts;           // every rule's top-level alternatives, rule by rule (Alternatives)
    private final int[] ruleOf;              // per part: its rule
    private final int words;                 // longs per set of parts
    private final int ruleWords;             // longs per set of rules
    private final LiteralScanner scanner;
    private final Exemptions exemptions;
    private final long[] namedParts;         // the parts whose rule an exception names
    private final FieldRules[] byTarget = new FieldRules[TARGETS.length];

    public SignatureDetector(List<SignatureRule> rules) {
        this(rules, List.of());
    }

    /** With the rules file's exceptions (an id or category these rules do not have drops nothing). */
    public SignatureDetector(List<SignatureRule> rules, List<SignatureExemption> exemptions) {
        this(rules, exemptions, Runtime.getRuntime().maxMemory());
    }

    /** With its caches of recent verdicts sized for a heap of {@code maxHeapBytes} (benchmarks compare sizes). */
    public SignatureDetector(List<SignatureRule> rules, List<SignatureExemption> exemptions, long maxHeapBytes) {
        this.rules = List.copyOf(rules);
        this.exemptions = new Exemptions(exemptions, this.rules);
        int n = this.rules.size();
        ruleWords = Math.max(1, (n + 63) >>> 6);
        rank = new int[n];
        List<Pattern> partList = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        // the literals of each part as written, which RequiredLiteralsTest proves every match holds; the part is
        // matched factored, which AlternationFactoringTest proves matches the same
        List<Set<String>> partLiterals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SignatureRule rule = this.rules.get(i);
            rank[i] = Finding.rank(rule.severity());
            for (Pattern part : Alternatives.of(rule.pattern())) {
                partLiterals.add(RequiredLiterals.of(part.pattern()));
                partList.add(factored(part));
                owners.add(i);
            }
        }
        parts = partList.toArray(new Pattern[0]);
        ruleOf = owners.stream().mapToInt(Integer::intValue).toArray();
        int m = parts.length;
        words = Math.max(1, (m + 63) >>> 6);
        long[] always = new long[words];   // parts without a provable literal
        Map<String, long[]> literals = new HashMap<>();
        for (int g = 0; g < m; g++) {
            Set<String> lits = partLiterals.get(g);
            if (lits == null) {
                always[g >>> 6] |= 1L << g;
                continue;
            }
            for (String lit : lits) {
                literals.computeIfAbsent(lit, x -> new long[words])[g >>> 6] |= 1L << g;
            }
        }
        scanner = new LiteralScanner(literals, words);
        namedParts = new long[words];
        for (int g = 0; g < m; g++) {
            if (this.exemptions.names(ruleOf[g])) {
                namedParts[g >>> 6] |= 1L << g;
            }
        }
        for (Target t : TARGETS) {
            long[] mask = new long[words];
            long[] shellMask = new long[words];
            long[] textMask = new long[words];
            for (int g = 0; g < m; g++) {
                SignatureRule rule = this.rules.get(ruleOf[g]);
                if (rule.targets().contains(t)) {
                    mask[g >>> 6] |= 1L << g;
                    if (rule.readsShellView()) {
                        shellMask[g >>> 6] |= 1L << g;
                    }
                    if (rule.readsCommentsAsText()) {
                        textMask[g >>> 6] |= 1L << g;
                    }
                }
            }
            if (!isEmpty(mask)) {
                byTarget[t.ordinal()] = new FieldRules(mode(t), maxHeapBytes, new Views(mask, always, namedParts),
                        isEmpty(shellMask) ? null : new Views(shellMask, always, namedParts),
                        isEmpty(textMask) ? null : new Views(textMask, always, namedParts));
            }
        }
    }

    /** {@code p} with its word lists factored ({@link AlternationFactoring}): the same matches, found sooner. */
    private static Pattern factored(Pattern p) {
        try {
            String re = AlternationFactoring.of(p.pattern(), p.flags());
            return re.equals(p.pattern()) ? p : Pattern.compile(re, p.flags());
        } catch (RuntimeException e) {
            return p; // a construct the rewrite does not read: the pattern as written
        }
    }

    public List<SignatureRule> rules() {
        return rules;
    }

    /**
     * The finding of the most severe matching rule (critical, high, warning, info; on a tie the rule earlier in the
     * file) that no exception drops, or null when there is none or the record is not an access record.
     */
    public Finding check(LogRecord r) {
        if (r == null || !r.isRequest()) {
            return null;
        }
        int best = -1;
        long[][] dropped = null; // by field, the rules an exception drops on this record: worked out once, if needed
        for (Target t : TARGETS) {
            FieldRules fr = byTarget[t.ordinal()];
            if (fr == null) {
                continue;
            }
            String raw = value(r, t);
            if (raw == null || raw.isEmpty()) {
                continue;
            }
            // the path's hash is the record's own, shared with the rate windows and statistics. The others are the
            // String's own: the parser hands out one String per repeated value, whose hash is then computed once,
            // and it tells apart the real log's 558 user agents, where 16 sampled characters saw 450
            Verdict v = fr.verdict(raw, t == Target.PATH ? (int) r.pathHash() : raw.hashCode(), best);
            if (v.best() >= 0 && beats(v.best(), best)) {
                best = v.best();
            }
            if (v.named() != null) {
                if (dropped == null) {
                    dropped = exemptions.droppedIn(r);
                }
                best = bestKept(v.named(), dropped[t.ordinal()], best);
            }
        }
        if (best < 0) {
            return null;
        }
        SignatureRule hit = rules.get(best);
        return new Finding(hit.id(), hit.category(), hit.severity());
    }

    /** The better of {@code best} and the rules of {@code matched} that are not in {@code dropped} (null: none). */
    private int bestKept(long[] matched, long[] dropped, int best) {
        for (int w = 0; w < matched.length; w++) {
            long bits = dropped == null ? matched[w] : matched[w] & ~dropped[w];
            while (bits != 0) {
                int rule = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (beats(rule, best)) {
                    best = rule;
                }
            }
        }
        return best;
    }

    private static String value(LogRecord r, Target t) {
        return switch (t) {
            case PATH -> r.getPath();
            case QUERY -> r.getQuery();
            case USER_AGENT -> r.getUserAgent();
            case REFERER -> r.getReferer();
        };
    }

    private static Normalizer.Mode mode(Target t) {
        return switch (t) {
            case PATH -> Normalizer.Mode.PATH;
            // a referer is a URL whose query writes spaces as '+', like the request's own
            case QUERY, REFERER -> Normalizer.Mode.QUERY;
            default -> Normalizer.Mode.HEADER;
        };
    }

    private static boolean isEmpty(long[] bits) {
        for (long w : bits) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether rule {@code g} wins over rule {@code best} (-1: none): more severe, or as severe and earlier. */
    private boolean beats(int g, int best) {
        return best < 0 || rank[g] < rank[best] || (rank[g] == rank[best] && g < best);
    }

    /** A set of parts, as bits: {@code mask}, and {@code always}, those of them without a provable literal. */
    private record Parts(long[] mask, long[] always) {
        /** The parts of {@code mask} in {@code keep}, of which those in {@code anyAlways} have no provable literal. */
        static Parts of(long[] mask, long[] keep, long[] anyAlways) {
            long[] m = new long[mask.length];
            long[] always = new long[mask.length];
            boolean any = false;
            for (int w = 0; w < mask.length; w++) {
                m[w] = mask[w] & keep[w];
                always[w] = anyAlways[w] & m[w];
                any |= m[w] != 0;
            }
            return any ? new Parts(m, always) : null;
        }
    }

    /**
     * The parts that read one text of a field: {@code kept}, those whose rule no exception names, and {@code named},
     * those whose rule one does (either null when there are none).
     */
    private record Views(Parts kept, Parts named) {
        Views(long[] mask, long[] always, long[] namedParts) {
            this(Parts.of(mask, not(namedParts), always), Parts.of(mask, namedParts, always));
        }

        private static long[] not(long[] bits) {
            long[] out = new long[bits.length];
            for (int w = 0; w < bits.length; w++) {
                out[w] = ~bits[w];
            }
            return out;
        }
    }

    /** The rules that look at one field, with the cache of its recent verdicts. */
    private final class FieldRules {
        private final Normalizer.Mode mode;
        private final Views text;      // the parts whose rule looks at this field
        private final Views shell;     // those of them that also read the shell's view (ShellView), or null
        private final Views commented; // those that also read SQL comments as text, or null
        private final VerdictCache verdicts;

        FieldRules(Normalizer.Mode mode, long maxHeapBytes, Views text, Views shell, Views commented) {
            this.mode = mode;
            this.text = text;
            this.shell = shell;
            this.commented = commented;
            this.verdicts = VerdictCache.forField(mode == Normalizer.Mode.PATH, maxHeapBytes);
        }

        /**
         * What {@code raw} (of hash {@code hash}) matched, from the cache or checked now. With {@code bound} (a rule
         * index, -1: none) already found in an earlier field, rules that cannot beat it are not run, and what is
         * found then is not the value's own verdict: not kept.
         */
        Verdict verdict(String raw, int hash, int bound) {
            Verdict v = verdicts.get(raw, hash);
            if (v == null) {
                v = match(raw, bound);
                if (bound < 0) {
                    verdicts.put(hash, v);
                }
            }
            return v;
        }

        /** As {@link #verdict}, without the cache. The verdict depends on {@code raw} alone: both texts are made from it. */
        private Verdict match(String raw, int bound) {
            // plain ASCII normalises to its lower case, and the scanner folds case itself: most values are ruled
            // out without building the lower-case copy
            boolean plain = !Normalizer.needsWork(raw, mode);
            String decoded = plain ? raw : Normalizer.decode(raw, mode);
            String folded = plain ? raw : Normalizer.foldCommentsAndWhitespace(decoded);
            Scanned normal = new Scanned(folded, plain, text);
            // the shell's view, only for a value with a character it reads otherwise (most have none)
            Scanned shellText = shell == null || !ShellView.wouldChange(decoded) ? null
                    : new Scanned(ShellView.of(plain ? raw.toLowerCase(Locale.ROOT) : decoded), false, shell);
            // comments kept as text, only where folding them changed something (a plain value has none)
            Scanned commentText = commented == null || plain || !Normalizer.hasSqlCommentSign(decoded) ? null
                    : commentsAsText(decoded, folded);
            // in any order: a rule is skipped only where it could not beat what another reading found
            int best = Scanned.runKept(commentText, Scanned.runKept(shellText, normal.runKept(bound)));
            // best is now the better of bound and this field's best rule no exception names
            int own = best == bound ? -1 : best;
            long[] namedMatches = Scanned.runNamed(commentText, best,
                    Scanned.runNamed(shellText, best, normal.runNamed(best, null)));
            return new Verdict(raw, own, namedMatches);
        }

        /** The reading with SQL comments kept as text, or null when folding them changed nothing (read already). */
        private Scanned commentsAsText(String decoded, String folded) {
            String kept = Normalizer.foldWhitespace(decoded);
            return kept.equals(folded) ? null : new Scanned(kept, false, commented);
        }

        /**
         * One reading of a value with the parts that read it, scanned for literals once, and lowered for the regexes
         * only if some part runs.
         */
        private final class Scanned {
            private final String text;
            private final boolean upperCase; // the text may hold upper case: the scanner folds it, the regexes not
            private final Views views;
            private long[] found;
            private String lowered;

            Scanned(String text, boolean upperCase, Views views) {
                this.text = text;
                this.upperCase = upperCase;
                this.views = views;
            }

            private long[] found() {
                if (found == null) {
                    found = scanner.scan(text);
                }
                return found;
            }

            private String lowered() {
                if (lowered == null) {
                    lowered = upperCase ? text.toLowerCase(Locale.ROOT) : text;
                }
                return lowered;
            }

            /** The better of {@code best} and the best rule no exception names matching this text. */
            int runKept(int best) {
                Parts p = views.kept();
                for (int w = 0; p != null && w < words; w++) {
                    long candidates = candidates(p, w);
                    if (candidates != 0) {
                        best = run(w, candidates, lowered(), best);
                    }
                }
                return best;
            }

            /** {@code matches} with the rules some exception names that match this text and could beat best. */
            long[] runNamed(int best, long[] matches) {
                Parts p = views.named();
                for (int w = 0; p != null && w < words; w++) {
                    long candidates = candidates(p, w);
                    if (candidates != 0) {
                        matches = FieldRules.this.runNamed(w, candidates, lowered(), best, matches);
                    }
                }
                return matches;
            }

            /** {@link #runKept(int)} of a reading that may be absent (null). */
            static int runKept(Scanned reading, int best) {
                return reading == null ? best : reading.runKept(best);
            }

            /** {@link #runNamed(int, long[])} of a reading that may be absent (null). */
            static long[] runNamed(Scanned reading, int best, long[] matches) {
                return reading == null ? matches : reading.runNamed(best, matches);
            }

            /** The parts of {@code p} in word {@code w} worth running: their literals are in the text, or they have none. */
            private long candidates(Parts p, int w) {
                return (found()[w] & p.mask()[w]) | p.always()[w];
            }
        }

        /**
         * Runs the candidate parts of word {@code w}, in file order, whose rule could beat {@code best}; returns the
         * best rule. Once a part matches, the rest of its rule's parts cannot beat it and are skipped.
         */
        private int run(int w, long candidates, String text, int best) {
            long bits = candidates;
            while (bits != 0) {
                int g = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                int rule = ruleOf[g];
                if (beats(rule, best) && RegexWindows.find(parts[g], text)) {
                    best = rule;
                }
            }
            return best;
        }

        /**
         * Runs the candidate parts of word {@code w} whose rule an exception names and could beat {@code best};
         * returns {@code matches} (allocated at the first) with the rules that matched added. A rule that matched is
         * not run again for its other parts.
         */
        private long[] runNamed(int w, long candidates, String text, int best, long[] matches) {
            long bits = candidates;
            while (bits != 0) {
                int g = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                int rule = ruleOf[g];
                boolean known = matches != null && (matches[rule >>> 6] & 1L << rule) != 0;
                if (!known && beats(rule, best) && RegexWindows.find(parts[g], text)) {
                    if (matches == null) {
                        matches = new long[ruleWords];
                    }
                    matches[rule >>> 6] |= 1L << rule;
                }
            }
            return matches;
        }
    }
}
