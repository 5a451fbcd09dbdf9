package io.proxywatch.rules;

import io.proxywatch.detect.Detection;
import io.proxywatch.detect.RateDetector;
import io.proxywatch.record.LogRecord;
import io.proxywatch.testkit.LogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Live edits of the rules file: an exception added by an edit applies to the next chunk; a bad one is refused. */
class RulesFileTest {
    private static final String SIGNATURES = """
            signatures:
              - {id: fn-call, category: sqli, in: [query], pattern: 'sum\\('}
            """;
    private final Clock clock = Clock.systemUTC();
    @TempDir
    Path dir;
    private Path file;

    /** The rules file written with {@code content} and loaded, as start-up does. */
    private RulesFile loaded(String content) throws Exception {
        file = dir.resolve("rules.yaml");
        Files.writeString(file, content);
        return RulesFile.load(file);
    }

    private static LogRecord promQuery() {
        LogRecord r = new LogRecord();
        r.setStatus(200);
        r.setMethod("GET");
        r.setPath("/api/v1/query");
        r.setQuery("query=sum(rate(http_requests_total[5m]))");
        r.setClientIp("203.0.113.9");
        r.setRaw("GET /api/v1/query?query=sum(rate(http_requests_total[5m]))");
        return r;
    }

    @Test
    void anExceptionAddedByAnEditAppliesAndABadOneIsRejectedNamingItsPlace() throws Exception {
        RulesFile rules = loaded(SIGNATURES);
        Detection detection = new Detection(rules::current, new RateDetector(clock), clock);
        LogRecord before = promQuery();
        detection.check(List.of(before));
        assertThat(before.getThreat()).isNotNull();

        Files.writeString(file, SIGNATURES + """
                exceptions:
                  - {rules: [fn-call], path: '/api/v1/query(?:_range)?', in: [query]}
                """);
        assertThat(rules.reload()).as("first read of the edit: not settled yet").isFalse();
        assertThat(rules.current().exemptions()).isEmpty();
        assertThat(rules.reload()).isTrue();
        assertThat(rules.current().exemptions()).hasSize(1);
        LogRecord after = promQuery();
        detection.check(List.of(after));
        assertThat(after.getThreat()).isNull();

        Files.writeString(file, SIGNATURES + """
                exceptions:
                  - {rules: [fn-cal], path: '/api/v1/query(?:_range)?', in: [query]}
                """);
        assertThat(rules.reload()).isFalse();
        assertThat(rules.reload()).isFalse();
        assertThat(rules.lastRejection()).startsWith(file + ": exceptions[0].rules[0]:").contains("fn-cal");
        LogRecord stillExcepted = promQuery();
        detection.check(List.of(stillExcepted));
        assertThat(stillExcepted.getThreat()).as("the rules in force stay").isNull();
        assertThat(rules.current().exemptions()).hasSize(1);
    }

    /** {@code content} written to {@code file}, then polled twice, as the timer does; the second poll's answer. */
    private boolean saved(RulesFile rules, String content) throws Exception {
        Files.writeString(file, content);
        rules.reload();
        return rules.reload();
    }

    private static final String TWO_THRESHOLDS = """
            thresholds:
              - {id: errors, when: error_rate_5xx > 0.05, for: 1m, severity: critical}
              - {id: slow, when: p99_latency_ms > 500, for: 5m, severity: warning}
            """;

    @Test
    void aFileStillBeingWrittenIsNotAppliedHalf() throws Exception {
        RulesFile rules = loaded(TWO_THRESHOLDS);

        // an editor or a copy has written the first threshold and the start of the second: valid YAML, one rule
        String edited = TWO_THRESHOLDS.replace("500", "800");
        Files.writeString(file, edited.substring(0, edited.indexOf("  - {id: slow")));
        assertThat(rules.reload()).isFalse();
        Files.writeString(file, edited); // ... and the rest comes before the next poll
        assertThat(rules.reload()).isFalse();
        assertThat(rules.current().thresholds()).as("never the half file").hasSize(2);
        assertThat(rules.reload()).isTrue();
        assertThat(rules.current().thresholds()).hasSize(2);
        assertThat(rules.current().thresholds().get(1).toString()).contains("800");
    }

    @Test
    void anEmptyFileIsRejectedAtStartAndOnAnEdit() throws Exception {
        assertThatThrownBy(() -> loaded("# being rewritten\n")).isInstanceOf(RulesError.class)
                .hasMessageContaining(dir.resolve("rules.yaml").toString()).hasMessageContaining("is empty");

        RulesFile rules = loaded(SIGNATURES + TWO_THRESHOLDS);
        assertThat(saved(rules, "")).isFalse();
        assertThat(rules.lastRejection()).contains("is empty");
        assertThat(rules.current().signatures()).hasSize(1);
        assertThat(rules.current().thresholds()).hasSize(2);

        assertThat(saved(rules, "{}\n")).as("no rules, said so").isTrue();
        assertThat(rules.current().signatures()).isEmpty();
    }

    @Test
    void aRejectedEditSavedAgainAfterARevertIsReportedAgain() throws Exception {
        RulesFile rules = loaded(SIGNATURES);
        String bad = SIGNATURES.replace("sqli", "sql");
        try (LogLines log = new LogLines()) {
            assertThat(saved(rules, bad)).isFalse();
            assertThat(rules.lastRejection()).contains("sql");

            saved(rules, SIGNATURES); // reverted: what is in force is the file again
            assertThat(rules.lastRejection()).isNull();

            assertThat(saved(rules, bad)).isFalse();
            assertThat(rules.lastRejection()).contains("sql");
            assertThat(log.lines()).filteredOn(l -> l.contains("rules edit rejected")).hasSize(2);
        }
    }

    @Test
    void aFileThatCannotBeReadIsSaidSo() throws Exception {
        RulesFile rules = loaded(SIGNATURES);
        Files.delete(file);
        assertThat(rules.reload()).isFalse();
        assertThat(rules.lastRejection()).startsWith(file + ": cannot be read");
        assertThat(rules.current().signatures()).hasSize(1);
        saved(rules, SIGNATURES);
        assertThat(rules.lastRejection()).isNull();
    }

    @Test
    void anIdUsedInTwoSectionsIsRefusedNamingItsPlace() {
        String rate = """
                rate:
                  rules:
                    - {id: fn-call, key: ip, limit: 100, window: 10s}
                """;
        assertThatThrownBy(() -> Rules.parse(SIGNATURES + rate, "rules.yaml")).isInstanceOf(RulesError.class)
                .hasMessage("rules.yaml: rate.rules[0].id: 'fn-call' is also in signatures");
        String threshold = """
                thresholds:
                  - {id: fn-call, when: qps > 10, for: 1m}
                """;
        assertThatThrownBy(() -> Rules.parse(SIGNATURES + threshold, "rules.yaml")).isInstanceOf(RulesError.class)
                .hasMessage("rules.yaml: thresholds[0].id: 'fn-call' is also in signatures");
        assertThat(RulesFile.load(null).current().signatures()).as("the packaged rules have no such clash").isNotEmpty();
    }

    /** The packaged rate rules, with the defaults: 100 per IP in 10 s, per IP and path, 404s per IP; high. */
    @Test
    void thePackagedRateRulesAreTheDocumentedOnesAllHigh() {
        assertThat(RulesFile.load(null).current().rate().rules()).containsExactly(
                new io.proxywatch.detect.RateRule("ip-burst", "ip", 100, java.time.Duration.ofSeconds(10), "high"),
                new io.proxywatch.detect.RateRule("ip-path-burst", "ip_path", 50, java.time.Duration.ofSeconds(10),
                        "high"),
                new io.proxywatch.detect.RateRule("ip-404-scan", "ip_404", 20, java.time.Duration.ofSeconds(60),
                        "high"));
    }

    /** The banner and the reload line name the allow-list: those clients are not checked at all. */
    @Test
    void theSummaryNamesTheClientsLeftUnchecked() {
        assertThat(RulesFile.load(null).current().summary())
                .endsWith("thresholds; not counted by the rate rules nor checked by signatures: 127.0.0.1/32, ::1/128");
        assertThat(Rules.parse("allow: [10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5, 10.0.0.6, 10.0.0.7]\n",
                "rules.yaml").summary()).endsWith(": 10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5 and 2 more");
        assertThat(Rules.parse("allow: []\n", "rules.yaml").summary()).endsWith(" thresholds");
    }

    /** IPv6 clients are counted by their /64 unless the file says otherwise; a prefix outside 16–128 is refused. */
    @Test
    void theIpv6PrefixIsSixtyFourUnlessGiven() {
        assertThat(RulesFile.load(null).current().rate().ipv6Prefix()).isEqualTo(64);
        assertThat(Rules.parse("rate:\n  ipv6-prefix: 56\n  rules: []\n", "rules.yaml").rate().ipv6Prefix())
                .isEqualTo(56);
        assertThatThrownBy(() -> Rules.parse("rate:\n  ipv6-prefix: 8\n", "rules.yaml"))
                .isInstanceOf(RulesError.class).hasMessage("rules.yaml: rate.ipv6-prefix: must be 16 to 128, found 8");
    }
}
