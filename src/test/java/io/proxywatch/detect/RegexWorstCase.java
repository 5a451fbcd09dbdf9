package io.proxywatch.detect;

import io.proxywatch.record.LogRecord;
import io.proxywatch.rules.RulesFile;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a crafted field costs the signature rules: each packaged rule's worst time over fields built by repeating
 * one of the literals its pre-check looks for with a filler (the shapes that make a backtracking regex or the
 * normaliser work hardest: the literal everywhere, quotes, separators, words, comment marks), and a whole record
 * check with four such fields.
 * In the detect package's tests for the pre-check's literals ({@link RequiredLiterals}).
 * {@code java -cp target/test-classes:target/classes:<test classpath> io.proxywatch.detect.RegexWorstCase [chars]}.
 * One JVM, one measurement per input after a warm-up pass: indicative, for finding the rule and input to look at.
 * A rule that overflows the stack shows up as an error (a regression of {@code RegexWindows}).
 */
public final class RegexWorstCase {
    private static final String[] FILLERS = {"a", " ", "'", "1", "a ", "' ", "=", "-", "{a,", "`a", "$a", "%a", "(",
            "1 or 1", " or a", "select a ", "<a ", "..", "\\", "/", "a=1&", ";a ", "&&a", "&", "||",
            // the normaliser's comment folding: "/*!" once searched the rest of the field for its end
            "/*!", "/*", "*/", "#", "--", "%25"};

    private RegexWorstCase() {
    }

    /** {@code [chars] [record]}: with "record", only the whole-record check (seconds, not minutes). */
    public static void main(String[] args) {
        int chars = args.length > 0 ? Integer.parseInt(args[0]) : 65_536;
        List<SignatureRule> rules = RulesFile.load(null).current().signatures();
        if (!(args.length > 1 && args[1].equals("record"))) {
            eachRule(rules, chars);
        }
        SignatureDetector all = new SignatureDetector(rules);
        System.out.printf("all rules, a record whose path, query, user agent and referer are %,d characters each%n",
                chars);
        for (String filler : FILLERS) {
            String field = repeat(filler, chars);
            time(all, field); // warm-up
            System.out.printf("  %-12s %8.1f ms%n", '"' + filler + '"', time(all, field) / 1e6);
        }
    }

    private static void eachRule(List<SignatureRule> rules, int chars) {
        System.out.printf("each rule alone, on a %,d-character field (worst of its literals x %d fillers)%n", chars,
                FILLERS.length);
        for (SignatureRule rule : rules) {
            SignatureDetector one = new SignatureDetector(List.of(rule));
            Set<String> literals = RequiredLiterals.of(rule.pattern().pattern());
            List<String> seeds = literals == null ? List.of("") : new ArrayList<>(literals);
            long worst = 0;
            String worstInput = "";
            for (String lit : seeds.subList(0, Math.min(seeds.size(), 40))) {
                for (String filler : FILLERS) {
                    String field = repeat(lit + filler, chars);
                    long ns = time(one, field);
                    if (ns > worst) {
                        worst = ns;
                        worstInput = lit + filler;
                    }
                }
            }
            System.out.printf("  %-30s %8.1f ms  on repeated \"%s\"%n", rule.id(), worst / 1e6,
                    worstInput.replace("\t", "\\t").replace("\n", "\\n"));
        }
    }

    private static String repeat(String unit, int chars) {
        return unit.repeat(Math.max(1, chars / unit.length()));
    }

    /** Nanoseconds to check a record with {@code field} in every field the rules look at. */
    private static long time(SignatureDetector detector, String field) {
        LogRecord r = new LogRecord();
        r.setStatus(200);
        r.setMethod("GET");
        r.setPath("/" + field);
        r.setQuery("q=" + field);
        r.setUserAgent(field);
        r.setReferer(field); // the field the detector reads (a "referer" in the fields map alone is not checked)
        long t0 = System.nanoTime();
        Finding f = detector.check(r);
        long ns = System.nanoTime() - t0;
        sink = f;
        return ns;
    }

    private static volatile Object sink;
}
