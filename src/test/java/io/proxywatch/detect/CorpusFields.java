package io.proxywatch.detect;

import io.proxywatch.parse.RecordParser;
import io.proxywatch.record.LogRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Texts to hold a rewritten rule against its original: every field value of the labelled corpus as the rules see it
 * (normalised, and as the shell reads it when that differs), and strings made of the rules' own literals and the
 * characters around them, which reach deep into the patterns where ordinary text does not.
 */
final class CorpusFields {
    private CorpusFields() {
    }

    private static List<String> texts;

    /** Built once per test JVM: three property tests walk the same texts. */
    static synchronized List<String> texts() {
        if (texts == null) {
            texts = List.copyOf(build(SignatureDetectorTest.defaultRules()));
        }
        return texts;
    }

    private static List<String> build(List<SignatureRule> rules) {
        Set<String> out = new LinkedHashSet<>();
        RecordParser parser = new RecordParser("auto", null);
        for (String file : List.of("crs-attacks.log", "real-access.log")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("src/test/resources/corpus", file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : lines) {
                LogRecord r = parser.parse(line, "corpus", 0);
                add(out, r.getPath(), Normalizer.Mode.PATH);
                add(out, r.getQuery(), Normalizer.Mode.QUERY);
                add(out, r.getUserAgent(), Normalizer.Mode.HEADER);
                add(out, r.getReferer(), Normalizer.Mode.HEADER);
            }
        }
        List<String> literals = new ArrayList<>();
        for (SignatureRule rule : rules) {
            Set<String> lits = RequiredLiterals.of(rule.pattern().pattern());
            if (lits != null) {
                literals.addAll(lits);
            }
        }
        String glue = " '\"();=&|/.-_$`<>:,#%@!~{}[]*+?\\\t\n0123456789abcdefghijklmnopqrstuvwxyz";
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int pieces = 1 + random.nextInt(6);
            for (int p = 0; p < pieces; p++) {
                if (random.nextBoolean()) {
                    sb.append(literals.get(random.nextInt(literals.size())));
                }
                int glued = random.nextInt(4);
                for (int g = 0; g < glued; g++) {
                    sb.append(glue.charAt(random.nextInt(glue.length())));
                }
            }
            out.add(sb.toString());
        }
        return new ArrayList<>(out);
    }

    private static void add(Set<String> out, String value, Normalizer.Mode mode) {
        if (value != null && !value.isEmpty()) {
            out.add(Normalizer.normalize(value, mode));
            String decoded = Normalizer.decode(value, mode);
            if (ShellView.wouldChange(decoded)) {
                out.add(ShellView.of(decoded)); // the command-injection rules read this too
            }
        }
    }
}
