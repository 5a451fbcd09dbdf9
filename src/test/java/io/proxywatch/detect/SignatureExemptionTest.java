package io.proxywatch.detect;

import io.proxywatch.detect.SignatureRule.Target;
import io.proxywatch.rules.Rules;
import io.proxywatch.rules.RulesFile;
import io.proxywatch.rules.RulesError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules file's {@code exceptions:} section: what a good entry reads as, and a bad one's place in the message. */
class SignatureExemptionTest {
    private static final String HEAD = """
            rate:
              rules:
                - {id: ip-burst, key: ip, limit: 10, window: 10s}
            signatures:
              - {id: fn-call, category: sqli, in: [query, referer], pattern: 'sum\\('}
              - {id: tag, category: xss, in: [query, path], pattern: '<script'}
              - {id: dotfile, category: sensitive_path, in: [path], pattern: '/\\.'}
            """;

    private static Rules parse(String exceptions) {
        return Rules.parse(HEAD + "exceptions:\n" + exceptions.stripIndent(), "rules.yaml");
    }

    @Test
    void aRuleOnAPathCoversEveryFieldByDefault() {
        List<SignatureExemption> list = parse("  - {rules: [fn-call], path: '/api/v1/query(?:_range)?'}\n").exemptions();
        assertThat(list).singleElement().satisfies(e -> {
            assertThat(e.rules()).containsExactly("fn-call");
            assertThat(e.categories()).isEmpty();
            assertThat(e.path().pattern()).isEqualTo("/api/v1/query(?:_range)?");
            assertThat(e.service()).isNull();
            assertThat(e.fields()).isEqualTo(EnumSet.allOf(Target.class));
        });
    }

    @Test
    void categoriesAServiceAndFieldsMayBeGivenAndASingleValueNeedsNoList() {
        List<SignatureExemption> list = parse("""
                  - categories: [sqli, xss]
                    service: grafana
                    in: query
                  - rules: fn-call
                    categories: xss
                    path: '/search'
                    service: shop
                    in: [query, referer]
                """).exemptions();
        assertThat(list).hasSize(2);
        assertThat(list.get(0).categories()).containsExactly("sqli", "xss");
        assertThat(list.get(0).rules()).isEmpty();
        assertThat(list.get(0).path()).isNull();
        assertThat(list.get(0).service()).isEqualTo("grafana");
        assertThat(list.get(0).fields()).containsExactly(Target.QUERY);
        assertThat(list.get(1).rules()).containsExactly("fn-call");
        assertThat(list.get(1).categories()).containsExactly("xss");
        assertThat(list.get(1).fields()).containsExactlyInAnyOrder(Target.QUERY, Target.REFERER);
    }

    /** The banner's and the reload log's count: exceptions said only when there are some. */
    @Test
    void theSummaryCountsExceptionsOnlyWhenThereAreSome() {
        assertThat(Rules.parse(HEAD, "rules.yaml").summary()).doesNotContain("exception");
        Rules one = Rules.parse(HEAD + "exceptions:\n  - {rules: [fn-call], path: '/x'}\n", "rules.yaml");
        assertThat(one.summary()).contains(" 1 exception, ").startsWith(one.signatures().size() + " signatures, ");
        Rules two = Rules.parse(HEAD + "exceptions:\n  - {rules: [fn-call], path: '/x'}\n"
                + "  - {rules: [fn-call], path: '/y'}\n", "rules.yaml");
        assertThat(two.summary()).contains(" 2 exceptions, ").endsWith(two.thresholds().size() + " thresholds");
    }

    @Test
    void noSectionAndAnEmptySectionAreNoExceptions() {
        assertThat(Rules.parse(HEAD, "rules.yaml").exemptions()).isEmpty();
        assertThat(Rules.parse(HEAD + "exceptions:\n", "rules.yaml").exemptions()).isEmpty();
        assertThat(Rules.parse(HEAD + "exceptions: []\n", "rules.yaml").exemptions()).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "- {}                                                            | exceptions[0]",
            "-                                                               | exceptions[0]",
            "- just-a-string                                                 | exceptions[0]",
            "- {path: '/x'}                                                  | exceptions[0].rules",
            "- {rules: [fn-call]}                                            | exceptions[0].path",
            "- {rules: [], path: '/x'}                                       | exceptions[0].rules",
            "- {rules: [nope], path: '/x'}                                   | exceptions[0].rules[0]",
            "- {rules: [fn-call, nope], path: '/x'}                          | exceptions[0].rules[1]",
            "- {rules: {fn-call: 1}, path: '/x'}                             | exceptions[0].rules",
            "- {categories: [], path: '/x'}                                  | exceptions[0].categories",
            "- {categories: [sqlinjection], path: '/x'}                      | exceptions[0].categories[0]",
            "- {categories: [scanner], path: '/x'}                           | exceptions[0].categories[0]",
            "- {rules: [fn-call], path: '/api/(v1'}                          | exceptions[0].path",
            "- {rules: [fn-call], path: '/API/v1'}                           | exceptions[0].path",
            "- {rules: [fn-call], path: ''}                                  | exceptions[0].path",
            "- {rules: [fn-call], path: [a, b]}                              | exceptions[0].path",
            "- {rules: [fn-call], service: ''}                               | exceptions[0].service",
            "- {rules: [fn-call], path: '/x', in: [body]}                    | exceptions[0].in[0]",
            "- {rules: [fn-call], path: '/x', in: []}                        | exceptions[0].in",
            "- {rules: [dotfile], path: '/x', in: [query]}                   | exceptions[0].in",
            "- {rules: [fn-call], path: '/x', where: query}                  | exceptions[0].where",
            "- {rules: [fn-call], path: '/x'}\\n- {rules: [tag], paths: '/y'} | exceptions[1].paths"})
    void mistakesNameTheEntryAndTheKey(String yaml, String where) {
        assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n").replaceAll("(?m)^", "  ")))
                .isInstanceOf(RulesError.class)
                .hasMessageStartingWith("rules.yaml: " + where + ":");
    }

    @Test
    void aRateRuleOrTheRateCategoryPointsToTheAllowList() {
        assertThatThrownBy(() -> parse("  - {rules: [ip-burst], path: '/x'}\n"))
                .isInstanceOf(RulesError.class)
                .hasMessageStartingWith("rules.yaml: exceptions[0].rules[0]:")
                .hasMessageContaining("allow:");
        assertThatThrownBy(() -> parse("  - {categories: [rate], path: '/x'}\n"))
                .isInstanceOf(RulesError.class)
                .hasMessageStartingWith("rules.yaml: exceptions[0].categories[0]:")
                .hasMessageContaining("allow:");
    }

    @Test
    void aBadRegexSaysWhatIsWrong() {
        assertThatThrownBy(() -> parse("  - {rules: [fn-call], path: '/api/(v1'}\n"))
                .hasMessageContaining("Unclosed group");
    }

    @Test
    void theSectionMustBeAList() {
        assertThatThrownBy(() -> Rules.parse(HEAD + "exceptions: {rules: [fn-call], path: '/x'}\n", "rules.yaml"))
                .isInstanceOf(RulesError.class)
                .hasMessageStartingWith("rules.yaml: exceptions:");
    }

    @Test
    void thePackagedRulesEnableNoException() {
        assertThat(RulesFile.load(null).current().exemptions()).isEmpty();
    }
}
