package io.proxywatch.detect;

import io.proxywatch.record.LogRecord;
import io.proxywatch.rules.Rules;
import io.proxywatch.rules.RulesFile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exceptions drop the findings of the rules they name, on the paths (or services) and fields they name, and nothing
 * else: another rule matching the same value is still reported, and a value's cached verdict does not carry one
 * record's exception over to the next.
 */
class SignatureDetectorExemptionTest {
    private static final String PROMQL = "query=sum(rate(http_requests_total%5B5m%5D))";
    private static final String PACKAGED = new String(RulesFile.packagedBytes(), StandardCharsets.UTF_8);

    /** The packaged rules with an {@code exceptions:} section added. */
    private static SignatureDetector packagedWith(String exceptions) {
        Rules rules = Rules.parse(PACKAGED + "\nexceptions:\n" + exceptions.stripIndent(), "rules.yaml");
        return new SignatureDetector(rules.signatures(), rules.exemptions());
    }

    private static final SignatureDetector PLAIN = new SignatureDetector(RulesFile.load(null).current().signatures());
    private static final SignatureDetector PROMETHEUS = packagedWith("""
              - rules: [sqli-function-call]
                path: '/api/v1/query(?:_range)?'
                in: [query]
            """);

    private static LogRecord access(String path, String query) {
        LogRecord r = new LogRecord();
        r.setStatus(200);
        r.setMethod("GET");
        r.setPath(path);
        r.setQuery(query);
        r.setUserAgent("Grafana/10.4.1");
        return r;
    }

    @Test
    void aPromQlQueryIsFlaggedWithoutTheExceptionAndNotWithIt() {
        assertThat(PLAIN.check(access("/api/v1/query", PROMQL)))
                .isEqualTo(new Finding("sqli-function-call", "sqli", "high"));
        assertThat(PROMETHEUS.check(access("/api/v1/query", PROMQL))).isNull();
        assertThat(PROMETHEUS.check(access("/api/v1/query_range", PROMQL + "&start=1&end=2&step=15"))).isNull();
    }

    /** The path is matched whole, after the normalisation the path rules see. */
    @Test
    void theSameQueryOnAnotherPathIsStillFlagged() {
        for (String path : List.of("/shop/search", "/api/v1/query/extra", "/x/api/v1/query", "/api/v1/queryx",
                "/api/v1/query/../../admin")) {
            assertThat(PROMETHEUS.check(access(path, PROMQL))).as(path)
                    .isEqualTo(new Finding("sqli-function-call", "sqli", "high"));
        }
        // spellings that route to the same place are the same path
        for (String path : List.of("/API/v1/Query", "/api/v1//query", "/api/v1/./query", "/api/v1/%71uery")) {
            assertThat(PROMETHEUS.check(access(path, PROMQL))).as(path).isNull();
        }
    }

    /**
     * A rule that reads the shell's view of a value (a newline as a command separator) is excepted there too, and
     * its match on that view is still found on the paths the exception does not cover, on every sighting.
     */
    @Test
    void anExceptionCoversARulesMatchOnTheShellsView() {
        SignatureDetector ping = packagedWith("""
                  - rules: [cmd-separator-command]
                    path: '/diag/ping'
                """);
        String newline = "host=127.0.0.1%0aid";
        assertThat(PLAIN.check(access("/diag/ping", newline)).rule()).isEqualTo("cmd-separator-command");
        for (int sighting = 1; sighting <= 2; sighting++) {
            assertThat(ping.check(access("/diag/ping", newline))).as("sighting %d", sighting).isNull();
            assertThat(ping.check(access("/api/ping", newline))).as("sighting %d", sighting)
                    .isEqualTo(new Finding("cmd-separator-command", "cmd_injection", "high"));
        }
    }

    /** A path that climbs out with {@code ..} is routed elsewhere by the server: no path entry covers it. */
    @Test
    void aPathClimbingOutOfTheExceptedOneIsNotExcepted() {
        SignatureDetector search = packagedWith("""
                  - categories: [sqli, path_traversal]
                    path: '/search/.*'
                """);
        String tautology = "q=1%27+or+%271%27=%271";
        assertThat(search.check(access("/search/rooms", tautology))).isNull();
        for (String path : List.of("/search/../admin/exec", "/search/%2e%2e/admin/exec", "/search/x/../..",
                "/search/..%5cadmin")) {
            assertThat(search.check(access(path, tautology))).as(path).isNotNull();
        }
        assertThat(Exemptions.hasDotDot("/search/..x/y")).as("a name that starts with two dots").isFalse();
    }

    /** The verdict of a value that matched an excepted rule still knows the other rules the value matched. */
    @Test
    void aValueMatchingAnExceptedRuleAndAnotherIsReportedUnderTheOther() {
        String both = PROMQL + "&next=%3Cscript%3Ealert(1)%3C/script%3E";
        // without the exception the function call wins: as severe as the script tag, and earlier in the file
        assertThat(PLAIN.check(access("/api/v1/query", both)).rule()).isEqualTo("sqli-function-call");
        for (int sighting = 1; sighting <= 2; sighting++) {
            Finding f = PROMETHEUS.check(access("/api/v1/query", both));
            assertThat(f).as("sighting %d", sighting).isNotNull();
            assertThat(f.category()).isEqualTo("xss");
        }
    }

    @Test
    void anExceptionForOneFieldLeavesTheOthersChecked() {
        LogRecord r = access("/api/v1/query", "query=up");
        r.getFields().put("referer", "https://grafana.example/explore?" + PROMQL);
        assertThat(PROMETHEUS.check(r)).isEqualTo(new Finding("sqli-function-call", "sqli", "high"));
    }

    @Test
    void anExceptionForAServiceCoversItsCategoriesOnEveryPath() {
        SignatureDetector d = packagedWith("""
                  - categories: [sqli]
                    service: grafana
                """);
        LogRecord grafana = access("/api/ds/query", PROMQL);
        grafana.setService("grafana");
        assertThat(d.check(grafana)).isNull();
        LogRecord shop = access("/api/ds/query", PROMQL);
        shop.setService("shop");
        assertThat(d.check(shop)).isNotNull();
        LogRecord script = access("/api/ds/query", "q=%3Cscript%3Ealert(1)%3C/script%3E");
        script.setService("grafana");
        assertThat(d.check(script).category()).isEqualTo("xss");
    }

    @Test
    void aSearchBoxCanBeExceptedFromTheLogicOperatorRule() {
        SignatureDetector d = packagedWith("  - {rules: [sqli-logic-operator], path: '/search', in: [query]}\n");
        assertThat(PLAIN.check(access("/search", "q=1+or+2+bedroom")).rule()).isEqualTo("sqli-logic-operator");
        assertThat(d.check(access("/search", "q=1+or+2+bedroom"))).isNull();
        assertThat(d.check(access("/search", "q=1'+or+'1'='1")).category()).isEqualTo("sqli");
    }

    /**
     * The cache keeps a value's verdict, not a record's: the same values on excepted and other paths, in any order,
     * give what a detector that has never seen them gives, the first time and every time after.
     */
    @Test
    void theCacheGivesEveryRecordWhatAFreshDetectorGives() {
        List<String> paths = List.of("/api/v1/query", "/api/v1/query_range", "/shop/search", "/.env");
        List<String> queries = List.of(PROMQL, "query=up", PROMQL + "&next=%3Cscript%3Ealert(1)%3C/script%3E",
                "id=1%27%20union%20select%201--", "q=sum(x)");
        List<String> referers = List.of("", "https://grafana.example/d/x?" + PROMQL);
        List<LogRecord> records = new ArrayList<>();
        for (String p : paths) {
            for (String q : queries) {
                for (String ref : referers) {
                    LogRecord r = access(p, q);
                    if (!ref.isEmpty()) {
                        r.getFields().put("referer", ref);
                    }
                    records.add(r);
                }
            }
        }
        Map<LogRecord, Finding> fresh = new IdentityHashMap<>();
        for (LogRecord r : records) {
            fresh.put(r, packagedWith("""
                      - rules: [sqli-function-call]
                        path: '/api/v1/query(?:_range)?'
                        in: [query]
                    """).check(r));
        }
        assertThat(fresh.values()).as("some excepted, some flagged").containsNull().hasSizeGreaterThan(1)
                .anySatisfy(f -> assertThat(f).isNotNull());
        SignatureDetector shared = packagedWith("""
                  - rules: [sqli-function-call]
                    path: '/api/v1/query(?:_range)?'
                    in: [query]
                """);
        Random rnd = new Random(7);
        for (int round = 0; round < 3; round++) {
            Collections.shuffle(records, rnd);
            for (LogRecord r : records) {
                assertThat(shared.check(r)).as("round %d: %s?%s", round, r.getPath(), r.getQuery())
                        .isEqualTo(fresh.get(r));
            }
        }
    }

    /** Rule sets over 64 rules keep their bits apart. */
    @Test
    void aRuleBeyondTheSixtyFourthIsExceptedToo() {
        StringBuilder yaml = new StringBuilder("signatures:\n");
        for (int i = 0; i < 70; i++) {
            yaml.append("  - {id: r").append(i).append(", category: sqli, in: [query], pattern: 'w").append(i)
                    .append("\\b'}\n");
        }
        yaml.append("exceptions:\n  - {rules: [r66], path: '/quiet'}\n");
        Rules rules = Rules.parse(yaml.toString(), "rules.yaml");
        SignatureDetector d = new SignatureDetector(rules.signatures(), rules.exemptions());
        assertThat(d.check(access("/quiet", "q=w66"))).isNull();
        assertThat(d.check(access("/loud", "q=w66")).rule()).isEqualTo("r66");
        assertThat(d.check(access("/quiet", "q=w66+w67")).rule()).isEqualTo("r67");
        assertThat(d.check(access("/quiet", "q=w2+w66")).rule()).isEqualTo("r2");
    }

    /** The examples commented in the packaged rules file, uncommented, are valid and do what they say. */
    @Test
    void thePackagedFilesExamplesWork() {
        List<String> lines = PACKAGED.lines().toList();
        int from = lines.indexOf("# exceptions:");
        assertThat(from).as("the commented section").isPositive();
        StringBuilder section = new StringBuilder();
        for (int i = from + 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
            section.append(lines.get(i).replaceFirst("^# ?", "")).append('\n');
        }
        Rules rules = Rules.parse(PACKAGED + "\nexceptions:\n" + section, "rules.yaml");
        assertThat(rules.exemptions()).hasSize(4);
        SignatureDetector d = new SignatureDetector(rules.signatures(), rules.exemptions());
        assertThat(d.check(access("/api/v1/query_range", PROMQL))).isNull();
        assertThat(d.check(access("/api/datasources/proxy/uid/P1809F7CD0C75ACF3/api/v1/query", PROMQL))).isNull();
        assertThat(d.check(access("/loki/api/v1/query_range",
                "query=%7Bjob%3D%22x%22%7D+%7C~+%22(?i)timeout%7Cerror%22"))).isNull();
        assertThat(d.check(access("/loki/api/v1/query", "query=%7Bjob%3D%22x%22%7D%20%7C%3D%20%22error%22")))
                .isNull();
        assertThat(d.check(access("/search", "q=1+or+2+bedroom"))).isNull();
        LogRecord grafana = access("/api/ds/query", PROMQL);
        assertThat(d.check(grafana)).as("not Grafana's service").isNotNull();
        grafana.setService("grafana");
        assertThat(d.check(grafana)).isNull();
        // the attacks those paths still catch
        assertThat(d.check(access("/search", "q=1%27%20union%20select%20password%20from%20users--"))).isNotNull();
        assertThat(d.check(access("/api/v1/query", "query=%3Cscript%3Ealert(1)%3C/script%3E"))).isNotNull();
        assertThat(d.check(access("/api/v1/query", "query=up;cat%20/etc/passwd"))).isNotNull();
    }
}
