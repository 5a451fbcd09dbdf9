package io.proxywatch.detect;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class AlternativesTest {
    private static List<String> parts(String re) {
        return Alternatives.of(Pattern.compile(re)).stream().map(Pattern::pattern).toList();
    }

    @Test
    void topLevelBranchesBecomeParts() {
        assertThat(parts("union select|sleep\\(|(?:a|b)c")).containsExactly("union select", "sleep\\(", "(?:a|b)c");
        assertThat(parts("[|]x|\\|y|\\Q|\\Ez")).containsExactly("[|]x", "\\|y", "\\Q|\\Ez");
        assertThat(parts("(?:a|b)")).containsExactly("(?:a|b)");
    }

    @Test
    void aLeadingFlagGoesWithEveryPartAndOtherFlagsKeepThePatternWhole() {
        assertThat(parts("(?i)abc|def")).containsExactly("(?i)abc", "(?i)def");
        assertThat(parts("abc|(?i)def")).containsExactly("abc|(?i)def");
        assertThat(parts("(?i:abc)|def")).containsExactly("(?i:abc)", "def");
        Pattern flagged = Pattern.compile("abc|def", Pattern.CASE_INSENSITIVE);
        assertThat(Alternatives.of(flagged)).hasSize(2)
                .allSatisfy(p -> assertThat(p.flags()).isEqualTo(flagged.flags()));
    }

    @Test
    void backReferencesKeepThePatternWhole() {
        assertThat(parts("(a)x|(b)\\2")).containsExactly("(a)x|(b)\\2");
        assertThat(parts("(?<q>['\"]).*\\k<q>|x")).containsExactly("(?<q>['\"]).*\\k<q>|x");
    }

    /** What splitting promises: the rule finds a match exactly when one of its parts does, on every text. */
    @Test
    void everyPackagedRuleMatchesWhereOneOfItsPartsDoes() {
        List<SignatureRule> rules = SignatureDetectorTest.defaultRules();
        List<String> texts = CorpusFields.texts();
        int split = 0;
        for (SignatureRule rule : rules) {
            List<Pattern> parts = Alternatives.of(rule.pattern());
            if (parts.size() == 1) {
                continue;
            }
            split++;
            for (String text : texts) {
                boolean whole = rule.pattern().matcher(text).find();
                boolean any = parts.stream().anyMatch(p -> p.matcher(text).find());
                assertThat(any).as("%s on %s", rule.id(), text).isEqualTo(whole);
            }
        }
        assertThat(split).isGreaterThan(20);
    }
}
