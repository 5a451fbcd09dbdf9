package io.proxywatch.demo;

import io.proxywatch.demo.DemoScript.Kind;
import io.proxywatch.demo.DemoScript.Plan;
import io.proxywatch.demo.DemoScript.Scripted;
import io.proxywatch.detect.Finding;
import io.proxywatch.detect.SignatureDetector;
import io.proxywatch.parse.RecordParser;
import io.proxywatch.record.LogRecord;
import io.proxywatch.rules.RulesFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's lines as proxywatch itself reads them: the project's parser and the packaged detection rules. */
class DemoTrafficTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final SignatureDetector SIGNATURES = new SignatureDetector(RulesFile.load(null).current().signatures());

    private final RecordParser parser = new RecordParser("auto", null);

    @Test
    void theSameSeedWritesTheSameLines() {
        DemoScript script = new DemoScript();
        DemoTraffic a = new DemoTraffic(42);
        DemoTraffic b = new DemoTraffic(42);
        DemoTraffic c = new DemoTraffic(43);
        for (int s = 0; s < 30; s++) {
            List<String> la = a.lines(script.plan(s), T0.plusSeconds(s));
            assertThat(la).isEqualTo(b.lines(script.plan(s), T0.plusSeconds(s)));
            if (s == 0) {
                assertThat(la).isNotEqualTo(c.lines(script.plan(s), T0.plusSeconds(s)));
            }
        }
    }

    @Test
    void everyLineOfACycleParsesInTimeOrderWithinItsSecond() {
        DemoScript script = new DemoScript();
        DemoTraffic traffic = new DemoTraffic(7);
        int access = 0;
        int upstreamErrors = 0;
        for (int s = 0; s < DemoScript.CYCLE_SECONDS; s++) {
            Instant start = T0.plusSeconds(s);
            Instant previous = start;
            for (String line : traffic.lines(script.plan(s), start)) {
                LogRecord r = parser.parse(line, "/tmp/demo/logs/access.log", 0);
                assertThat(r.isParseError()).as(line).isFalse();
                assertThat(r.getTimestamp()).as(line).isBetween(previous, start.plusMillis(999));
                previous = r.getTimestamp();
                if (r.isAccess()) {
                    access++;
                    assertThat(r.getFormat()).isEqualTo("json");
                    assertThat(r.getService()).isEqualTo("gateway");
                    assertThat(r.getClientIp()).isNotBlank();
                    assertThat(r.getLatencyMs()).isNotNull();
                    assertThat(r.getLevel()).isEqualTo(r.getStatus() >= 500 ? "ERROR" : r.getStatus() >= 400 ? "WARN" : "INFO");
                } else {
                    upstreamErrors++;
                    assertThat(r.getFormat()).isEqualTo("slog");
                    assertThat(r.getLevel()).isEqualTo("ERROR");
                }
            }
        }
        assertThat(access).isGreaterThan(DemoScript.CYCLE_SECONDS * DemoScript.NORMAL_PER_SECOND);
        assertThat(upstreamErrors).as("the proxy's own error lines during the 5xx spell").isPositive();
    }

    @Test
    void theBurstIsPostLoginFromItsOneAddress() {
        Plan plan = new Plan(0, 0, List.of(new Scripted(Kind.BURST, "203.0.113.200", 25)), false, null);
        List<LogRecord> records = parse(new DemoTraffic(1).lines(plan, T0));
        assertThat(records).hasSize(25).allSatisfy(r -> {
            assertThat(r.getClientIp()).isEqualTo("203.0.113.200");
            assertThat(r.getMethod()).isEqualTo("POST");
            assertThat(r.getPath()).isEqualTo("/login");
            assertThat(r.getStatus()).isIn(200, 401);
        });
    }

    @Test
    void theSpellFailsAboutItsShareOfOrdinaryRequests() {
        Plan plan = new Plan(2000, 0.25, List.of(), false, null);
        List<LogRecord> records = parse(new DemoTraffic(3).lines(plan, T0));
        long failed = records.stream().filter(r -> r.isAccess() && r.getStatus() >= 502 && r.getStatus() <= 504).count();
        assertThat(failed).isBetween(400L, 600L);
        Plan calm = new Plan(2000, 0, List.of(), false, null);
        long calm5xx = parse(new DemoTraffic(3).lines(calm, T0)).stream().filter(r -> r.getStatus() >= 500).count();
        assertThat(calm5xx).as("5xx outside the spell stay far below the 5 % rule").isLessThan(40);
    }

    @Test
    void ordinaryTrafficRaisesNoSignature() {
        Plan plan = new Plan(5000, 0.25, List.of(), false, null);
        for (LogRecord r : parse(new DemoTraffic(11).lines(plan, T0))) {
            if (r.isAccess()) {
                assertThat(r.getClientIp()).startsWith("10.");
                assertThat(SIGNATURES.check(r)).as(r.getRaw()).isNull();
            }
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "SQLI, sqli",
            "XSS, xss",
            "TRAVERSAL, path_traversal",
            "CMD_INJECTION, cmd_injection",
            "SCAN, scanner|sensitive_path",
    })
    void everyScriptedProbeIsFoundAsItsCategory(Kind kind, String categories) {
        Set<String> expected = Set.of(categories.split("\\|"));
        Plan plan = new Plan(0, 0, List.of(new Scripted(kind, "203.0.113.11", 25)), false, null);
        List<LogRecord> records = parse(new DemoTraffic(5).lines(plan, T0));
        assertThat(records).hasSize(25);
        for (LogRecord r : records) {
            assertThat(r.getClientIp()).isEqualTo("203.0.113.11");
            Finding f = SIGNATURES.check(r);
            assertThat(f).as(r.getRaw()).isNotNull();
            assertThat(f.category()).as(r.getRaw()).isIn(expected);
        }
    }

    private List<LogRecord> parse(List<String> lines) {
        List<LogRecord> out = new ArrayList<>();
        for (String line : lines) {
            LogRecord r = parser.parse(line, "access.log", 0);
            assertThat(r.isParseError()).as(line).isFalse();
            out.add(r);
        }
        return out;
    }
}
