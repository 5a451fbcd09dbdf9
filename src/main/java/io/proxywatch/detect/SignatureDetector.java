package io.proxywatch.detect;

import io.proxywatch.detect.SignatureRule.Target;
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
 * <p>Thread-safe; a rules reload builds a new detector (with empty caches).
 */
public final class SignatureDetector {
    private static final List<String> SEVERITY_ORDER = List.of("critical", "high", "warning", "info");
    private static final Target[] TARGETS = Target.values();

    private final List<SignatureRule> rules;
    private final int[] rank;                // per rule
    private final Pattern[] parts;           // every rule's top-level alternatives, rule by rule (Alternatives)
    private final int[] ruleOf;              // per part: its rule
    private final int words;                 // longs per set of parts
    private final LiteralScanner scanner;
    private final FieldRules[] byTarget = new FieldRules[TARGETS.length];

    public SignatureDetector(List<SignatureRule> rules) {
        this.rules = List.copyOf(rules);
        int n = this.rules.size();
        rank = new int[n];
        List<Pattern> partList = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        // the literals of each part as written, which RequiredLiteralsTest proves every match holds; the part is
        // matched factored, which AlternationFactoringTest proves matches the same
        List<Set<String>> partLiterals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SignatureRule rule = this.rules.get(i);
            int r = SEVERITY_ORDER.indexOf(rule.severity());
            rank[i] = r < 0 ? SEVERITY_ORDER.size() : r;
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
        for (Target t : TARGETS) {
            long[] mask = new long[words];
            for (int g = 0; g < m; g++) {
                if (this.rules.get(ruleOf[g]).targets().contains(t)) {
                    mask[g >>> 6] |= 1L << g;
                }
            }
            if (!isEmpty(mask)) {
                long[] fieldAlways = new long[words];
                for (int w = 0; w < words; w++) {
                    fieldAlways[w] = always[w] & mask[w];
                }
                byTarget[t.ordinal()] = new FieldRules(mode(t), mask, fieldAlways);
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
     * file), or null when nothing matched or the record is not an access record.
     */
    public Finding check(LogRecord r) {
        if (r == null || !r.isAccess()) {
            return null;
        }
        int best = -1;
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
            best = fr.bestMatch(raw, t == Target.PATH ? (int) r.pathHash() : raw.hashCode(), best);
        }
        if (best < 0) {
            return null;
        }
        SignatureRule hit = rules.get(best);
        return new Finding(hit.id(), hit.category(), hit.severity());
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

    /** The rules that look at one field, with the cache of its recent verdicts. */
    private final class FieldRules {
        private final Normalizer.Mode mode;
        private final long[] mask;      // the parts whose rule looks at this field
        private final long[] always;    // those of them without a provable literal
        private final VerdictCache verdicts;

        FieldRules(Normalizer.Mode mode, long[] mask, long[] always) {
            this.mode = mode;
            this.mask = mask;
            this.always = always;
            this.verdicts = new VerdictCache(mode == Normalizer.Mode.PATH
                    ? VerdictCache.PATH_SLOTS : VerdictCache.SLOTS);
        }

        /** The better of {@code best} (a rule index or -1) and the best rule matching {@code raw} (of hash {@code hash}). */
        int bestMatch(String raw, int hash, int best) {
            int verdict = verdicts.get(raw, hash);
            if (verdict == VerdictCache.MISS) {
                if (best >= 0) {
                    // rules that cannot beat an earlier field's finding are skipped, so this is not the value's
                    // own verdict: not kept
                    return match(raw, best);
                }
                verdict = match(raw, -1);
                verdicts.put(raw, hash, verdict);
            }
            return verdict >= 0 && beats(verdict, best) ? verdict : best;
        }

        /** As {@link #bestMatch}, without the cache. Rules that could not beat {@code best} are not run. */
        private int match(String raw, int best) {
            // plain ASCII normalises to its lower case, and the scanner folds case itself: most values are ruled
            // out without building the lower-case copy
            boolean plain = !Normalizer.needsWork(raw, mode);
            String text = plain ? raw : Normalizer.normalize(raw, mode);
            long[] found = scanner.scan(text);
            String matched = null; // the text the regexes see: built once, and only if some part is a candidate
            for (int w = 0; w < words; w++) {
                long candidates = (found[w] & mask[w]) | always[w];
                if (candidates != 0) {
                    if (matched == null) {
                        matched = plain ? raw.toLowerCase(Locale.ROOT) : text;
                    }
                    best = run(w, candidates, matched, best);
                }
            }
            return best;
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
    }
}
