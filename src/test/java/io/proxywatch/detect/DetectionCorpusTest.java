package io.proxywatch.detect;

import io.proxywatch.parse.RecordParser;
import io.proxywatch.record.LogRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default signatures measured on the labelled corpus (see {@code src/test/resources/corpus/README.md}): recall
 * per attack family, false positives on real traffic. Prints the table; asserts the floors the detector promises.
 * A line counts as caught when any finding comes back, whatever its category (the confusion is printed too).
 */
class DetectionCorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/corpus");
    private static final Pattern LABEL = Pattern.compile("\"label\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern WHERE = Pattern.compile("\"where\"\\s*:\\s*\"([^\"]+)\"");

    private record Line(String source, int number, String label, String where, LogRecord record) {
    }

    /** Per label: lines, lines flagged, and flagged lines per finding category. */
    private static final class Tally {
        int lines;
        int flagged;
        final Map<String, Integer> categories = new TreeMap<>();
    }

    private static final List<Line> LINES = new ArrayList<>();
    private static final Map<String, Tally> TALLY = new TreeMap<>();
    private static SignatureDetector detector;

    @BeforeAll
    static void measure() throws IOException {
        detector = new SignatureDetector(SignatureDetectorTest.defaultRules());
        RecordParser parser = new RecordParser("auto", null);
        read(parser, "crs-attacks", "");
        read(parser, "real-access", "real:");
        for (Line l : LINES) {
            Finding f = detector.check(l.record());
            Tally t = TALLY.computeIfAbsent(l.label(), k -> new Tally());
            t.lines++;
            if (f != null) {
                t.flagged++;
                t.categories.merge(f.category(), 1, Integer::sum);
            }
        }
        print();
    }

    private static void read(RecordParser parser, String name, String prefix) throws IOException {
        List<String> log = Files.readAllLines(CORPUS.resolve(name + ".log"), StandardCharsets.UTF_8);
        List<String> labels = Files.readAllLines(CORPUS.resolve(name + ".labels.jsonl"), StandardCharsets.UTF_8);
        for (String json : labels) {
            if (json.isBlank()) {
                continue;
            }
            int number = Integer.parseInt(json.replaceAll(".*\"line\"\\s*:\\s*(\\d+).*", "$1"));
            Matcher label = LABEL.matcher(json);
            Matcher where = WHERE.matcher(json);
            assertThat(label.find()).as(json).isTrue();
            LogRecord r = parser.parse(log.get(number - 1), "corpus", 0);
            LINES.add(new Line(name, number, prefix + label.group(1), where.find() ? where.group(1) : "", r));
        }
    }

    private static void print() {
        StringBuilder out = new StringBuilder("\nsignature detection on the labelled corpus\n");
        out.append(String.format("%-24s %6s %8s %8s   %s%n", "label", "lines", "flagged", "share", "finding categories"));
        TALLY.forEach((label, t) -> out.append(String.format("%-24s %6d %8d %7.1f%%   %s%n",
                label, t.lines, t.flagged, 100.0 * t.flagged / t.lines, t.categories)));
        System.out.println(out);
    }

    private static double share(String label) {
        Tally t = TALLY.get(label);
        assertThat(t).as("label " + label + " in the corpus").isNotNull();
        return (double) t.flagged / t.lines;
    }

    @Test
    void attackFamiliesAreCaught() {
        assertThat(share("sqli")).as("sqli recall").isGreaterThanOrEqualTo(0.95);
        assertThat(share("xss")).as("xss recall").isGreaterThanOrEqualTo(0.95);
        assertThat(share("path_traversal")).as("path_traversal recall").isGreaterThanOrEqualTo(0.95);
        assertThat(share("cmd_injection")).as("cmd_injection recall").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void realTrafficIsLeftAlone() {
        assertThat(share("real:benign")).as("false positives on real traffic").isLessThanOrEqualTo(0.001);
    }

    @Test
    void realProbesAreCaught() {
        assertThat(share("real:sensitive_path")).as("real WordPress probes").isGreaterThanOrEqualTo(0.90);
    }

    /**
     * The literal pre-check may only skip regexes that could not match: on every corpus line the detector must
     * agree with running every rule's regex over every normalised field (and the shell's reading of it, for the
     * rules that read that too).
     */
    @Test
    void thePreCheckNeverHidesAMatch() {
        List<SignatureRule> rules = detector.rules();
        List<String> order = List.of("critical", "high", "warning", "info");
        for (Line l : LINES) {
            SignatureRule best = null;
            for (SignatureRule rule : rules) {
                if (matches(rule, l.record()) && (best == null
                        || order.indexOf(rule.severity()) < order.indexOf(best.severity()))) {
                    best = rule;
                }
            }
            Finding expected = best == null ? null : new Finding(best.id(), best.category(), best.severity());
            assertThat(detector.check(l.record())).as(l.source() + ":" + l.number()).isEqualTo(expected);
        }
    }

    private static boolean matches(SignatureRule rule, LogRecord r) {
        for (SignatureRule.Target t : rule.targets()) {
            String raw = switch (t) {
                case PATH -> r.getPath();
                case QUERY -> r.getQuery();
                case USER_AGENT -> r.getUserAgent();
                case REFERER -> r.getReferer();
            };
            Normalizer.Mode mode = switch (t) {
                case PATH -> Normalizer.Mode.PATH;
                case QUERY -> Normalizer.Mode.QUERY;
                default -> Normalizer.Mode.HEADER;
            };
            if (raw == null || raw.isEmpty()) {
                continue;
            }
            if (rule.pattern().matcher(Normalizer.normalize(raw, mode)).find()) {
                return true;
            }
            // the shell's reading, for the rules that read it, built the long way: from every decoding step
            if (rule.readsShellView()
                    && rule.pattern().matcher(ShellView.of(Normalizer.decode(raw, mode))).find()) {
                return true;
            }
            // SQL comments kept as text, for the rules that read them so, built the long way too
            if (rule.readsCommentsAsText() && rule.pattern()
                    .matcher(Normalizer.foldWhitespace(Normalizer.decode(raw, mode).toLowerCase(Locale.ROOT))).find()) {
                return true;
            }
        }
        return false;
    }
}
