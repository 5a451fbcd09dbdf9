package io.proxywatch.demo;

import io.proxywatch.demo.DemoScript.Kind;
import io.proxywatch.demo.DemoScript.Plan;
import io.proxywatch.demo.DemoScript.Scripted;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DemoScriptTest {
    private final DemoScript script = new DemoScript();

    @Test
    void everyKindHappensWithinTheFirst15SecondsOfEachCycle() {
        for (int cycle = 0; cycle < 3; cycle++) {
            Map<Kind, Integer> firstSecond = new EnumMap<>(Kind.class);
            for (int s = 0; s < DemoScript.CYCLE_SECONDS; s++) {
                for (Scripted x : script.plan(cycle * DemoScript.CYCLE_SECONDS + s).scripted()) {
                    firstSecond.putIfAbsent(x.kind(), s);
                }
            }
            assertThat(firstSecond.keySet()).as("kinds in cycle " + cycle).isEqualTo(EnumSet.allOf(Kind.class));
            assertThat(firstSecond.values()).as("first second of each kind").allMatch(s -> s < 15);
        }
    }

    @Test
    void theBurstPassesTheIpRateRuleOf100In10Seconds() {
        int most = 0;
        for (int from = 0; from < DemoScript.CYCLE_SECONDS; from++) {
            Map<String, Integer> perIp = new java.util.HashMap<>();
            for (int s = from; s < from + 10; s++) {
                for (Scripted x : script.plan(s).scripted()) {
                    if (x.kind() == Kind.BURST) {
                        perIp.merge(x.ip(), x.count(), Integer::sum);
                    }
                }
            }
            most = Math.max(most, perIp.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        }
        assertThat(most).isGreaterThan(100);
    }

    @Test
    void theScannerPassesThe404RuleOf20In60Seconds() {
        long scans = 0;
        for (int s = 0; s < 60; s++) {
            scans += script.plan(s).scripted().stream().filter(x -> x.kind() == Kind.SCAN).mapToInt(Scripted::count).sum();
        }
        // two of the word list's paths answer 403, the rest 404
        assertThat(scans - 2).isGreaterThan(20);
    }

    @Test
    void the5xxSpellOutlastsTheRulesOneMinuteForWithRoomToSpare() {
        int first = -1;
        int last = -1;
        for (int s = 0; s < DemoScript.CYCLE_SECONDS; s++) {
            if (script.plan(s).share5xx() > 0.05) {
                first = first < 0 ? s : first;
                last = s;
            }
        }
        assertThat(first).isBetween(0, 30);
        assertThat(last - first + 1).isGreaterThanOrEqualTo(85);
        assertThat(DemoScript.CYCLE_SECONDS - last).as("quiet tail for the rule to resolve").isGreaterThanOrEqualTo(60);
    }

    @Test
    void theLogRotatesEveryMinuteButNotAtTheStart() {
        assertThat(script.plan(0).rotate()).isFalse();
        for (long s = 1; s < 400; s++) {
            assertThat(script.plan(s).rotate()).as("second " + s).isEqualTo(s % 60 == 0);
        }
    }

    @Test
    void eachCycleUsesOtherAttackerAddressesSoIncidentsAreNewOnes() {
        Set<String> first = ips(0);
        Set<String> second = ips(1);
        assertThat(first).isNotEmpty().doesNotContainAnyElementsOf(second);
        assertThat(first).allMatch(ip -> ip.startsWith("203.0.113.") || ip.startsWith("198.51.100."));
    }

    @Test
    void aSecondAlwaysHasTheSamePlan() {
        Plan a = script.plan(DemoScript.BURST_FROM);
        Plan b = new DemoScript().plan(DemoScript.BURST_FROM);
        assertThat(a).isEqualTo(b);
        assertThat(a.note()).contains("burst");
        assertThat(script.plan(DemoScript.BURST_FROM + 1).note()).as("a note says what starts, once").isNull();
    }

    private Set<String> ips(int cycle) {
        Set<String> out = new java.util.HashSet<>();
        for (int s = 0; s < DemoScript.CYCLE_SECONDS; s++) {
            script.plan(cycle * DemoScript.CYCLE_SECONDS + s).scripted().forEach(x -> out.add(x.ip()));
        }
        return out;
    }
}
