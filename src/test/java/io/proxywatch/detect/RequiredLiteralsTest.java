package io.proxywatch.detect;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class RequiredLiteralsTest {
    @Test
    void literalsGoOnPastAPieceWhoseStartIsKnown() {
        // "-{1,2}[a-z]" is not a finite set of strings, but every match of it starts with "-"
        assertThat(RequiredLiterals.of("\\b(?:id|ls) (?:-{1,2}[a-z]|\\+x|/(?:etc|bin)/)"))
                .containsExactlyInAnyOrder("id -", "id +x", "id /etc/", "id /bin/", "ls -", "ls +x", "ls /etc/",
                        "ls /bin/");
        assertThat(RequiredLiterals.of("(?:ab|cd)x+y")).containsExactlyInAnyOrder("abx", "cdx");
        assertThat(RequiredLiterals.of("(?:ab|cd)x*y")).as("x* may be absent").containsExactlyInAnyOrder("ab", "cd");
    }

    /**
     * The promise the pre-check rests on: every text a rule's part matches holds one of the part's literals. Held
     * for every part of every packaged rule on the corpus's field values and strings made of the rules' literals.
     */
    @Test
    void aClosingBracketFirstInAClassIsAMemberNegatedOrNot() {
        // "[^]a]" is one class (neither ']' nor 'a'): "a]x" is no literal of it, which would skip "qx" below
        assertThat(RequiredLiterals.of("[^]a]xyz")).containsExactly("xyz");
        assertThat(java.util.regex.Pattern.compile("[^]a]xyz").matcher("qxyz").find()).isTrue();
        assertThat(RequiredLiterals.of("[]a]xyz")).containsExactlyInAnyOrder("]xyz", "axyz");
    }

    @Test
    void everyMatchOfEveryPackagedRuleHoldsOneOfItsLiterals() {
        List<SignatureRule> rules = SignatureDetectorTest.defaultRules();
        List<String> texts = CorpusFields.texts();
        int checked = 0;
        for (SignatureRule rule : rules) {
            for (Pattern part : Alternatives.of(rule.pattern())) {
                Set<String> literals = RequiredLiterals.of(part.pattern());
                if (literals == null) {
                    continue;
                }
                for (String text : texts) {
                    Matcher m = part.matcher(text);
                    if (m.find()) {
                        checked++;
                        String lower = text.toLowerCase(Locale.ROOT);
                        assertThat(literals.stream().anyMatch(lower::contains))
                                .as("%s part %s on %s: none of %s", rule.id(), part, text, literals).isTrue();
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(5_000);
    }
}
