package io.proxywatch.detect;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class AlternationFactoringTest {
    private static String factor(String re) {
        return AlternationFactoring.of(re, 0);
    }

    @Test
    void branchesSharingAFirstCharacterShareOneTest() {
        assertThat(factor("\\b(?:cat|curl|id|ifconfig|ls) ")).isEqualTo("\\b(?:c(?:at|url)|i(?:d|fconfig)|ls) ");
        assertThat(factor("cat|curl|cp|id")).isEqualTo("c(?:at|url|p)|id");
        // nested: the shared rests are factored again, in their order
        assertThat(factor("(?:chmod|chown|cat|cp)")).isEqualTo("(?:c(?:h(?:mod|own)|at|p))");
        assertThat(factor("(?:nc|ncat|nmap|ls)")).isEqualTo("(?:n(?:c|cat|map)|ls)");
    }

    @Test
    void alternationsItCannotProveSafeAreLeftAsWritten() {
        assertThat(factor("(?:a?bc|abd|acd|aef)")).as("an optional first character").isEqualTo("(?:a?bc|abd|acd|aef)");
        assertThat(factor("(?:\\w+x|abd|acd|aef)")).as("a class first").isEqualTo("(?:\\w+x|abd|acd|aef)");
        assertThat(factor("(?:abc|abd|x)")).as("three branches").isEqualTo("(?:abc|abd|x)");
        assertThat(AlternationFactoring.of("(?:abc|abd|acd|aef)", Pattern.CASE_INSENSITIVE))
                .isEqualTo("(?:abc|abd|acd|aef)");
        assertThat(factor("(?i)(?:abc|abd|acd|aef)")).isEqualTo("(?i)(?:abc|abd|acd|aef)");
    }

    @Test
    void classesEscapesAndLookBehindsAreReadNotRewritten() {
        assertThat(factor("[|(](?:ab|ac|ad|ae)")).isEqualTo("[|(](?:a(?:b|c|d|e))");
        assertThat(factor("\\|(?:\\.a|\\.b|\\.c|x)")).isEqualTo("\\|(?:\\.(?:a|b|c)|x)");
        assertThat(factor("(?<=[;|])(?:ab|ac|ad|ae)(?![\\w=-]|\\.(?!exe\\b))"))
                .isEqualTo("(?<=[;|])(?:a(?:b|c|d|e))(?![\\w=-]|\\.(?!exe\\b))");
        assertThat(factor("(?<name>ab|ac|ad|ae)\\k<name>")).isEqualTo("(?<name>a(?:b|c|d|e))\\k<name>");
        assertThat(factor("\\Q(a|b)\\E(?:ab|ac|ad|ae)")).isEqualTo("\\Q(a|b)\\E(?:a(?:b|c|d|e))");
    }

    /** What the rewrite promises: the same first match, start and end, as the rule as written, on every text. */
    @Test
    void everyPackagedRuleFindsTheSameMatchesFactored() {
        List<SignatureRule> rules = SignatureDetectorTest.defaultRules();
        List<String> texts = CorpusFields.texts();
        int rewritten = 0;
        for (SignatureRule rule : rules) {
            Pattern written = rule.pattern();
            String re = AlternationFactoring.of(written.pattern(), written.flags());
            if (re.equals(written.pattern())) {
                continue;
            }
            rewritten++;
            Pattern factored = Pattern.compile(re, written.flags());
            for (String text : texts) {
                Matcher a = written.matcher(text);
                Matcher b = factored.matcher(text);
                boolean found = a.find();
                assertThat(b.find()).as("%s on %s", rule.id(), text).isEqualTo(found);
                if (found) {
                    assertThat(b.start()).as("%s on %s", rule.id(), text).isEqualTo(a.start());
                    assertThat(b.end()).as("%s on %s", rule.id(), text).isEqualTo(a.end());
                }
            }
        }
        assertThat(rewritten).isGreaterThan(20);
    }
}
