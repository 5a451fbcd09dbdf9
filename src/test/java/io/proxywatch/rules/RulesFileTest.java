package io.proxywatch.rules;

import io.proxywatch.detect.Detection;
import io.proxywatch.detect.RateDetector;
import io.proxywatch.record.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Live edits of the rules file: an exception added by an edit applies to the next chunk; a bad one is refused. */
class RulesFileTest {
    private static final String SIGNATURES = """
            signatures:
              - {id: fn-call, category: sqli, in: [query], pattern: 'sum\\('}
            """;
    private final Clock clock = Clock.systemUTC();

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
    void anExceptionAddedByAnEditAppliesAndABadOneIsRejectedNamingItsPlace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, SIGNATURES);
        RulesFile rules = RulesFile.load(file);
        Detection detection = new Detection(rules::current, new RateDetector(clock), clock);
        LogRecord before = promQuery();
        detection.check(List.of(before));
        assertThat(before.getThreat()).isNotNull();

        Files.writeString(file, SIGNATURES + """
                exceptions:
                  - {rules: [fn-call], path: '/api/v1/query(?:_range)?', in: [query]}
                """);
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
        assertThat(rules.lastRejection()).startsWith(file + ": exceptions[0].rules[0]:").contains("fn-cal");
        LogRecord stillExcepted = promQuery();
        detection.check(List.of(stillExcepted));
        assertThat(stillExcepted.getThreat()).as("the rules in force stay").isNull();
        assertThat(rules.current().exemptions()).hasSize(1);
    }
}
