package io.proxywatch.alert;

import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

class AlertGrouperTest {
    private final MutableClock clock = new MutableClock();
    private final AlertGrouper.Timings timings = new AlertGrouper.Timings(Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofHours(1), Duration.ofMinutes(5));
    private final AlertGrouper grouper = new AlertGrouper(clock, timings, 1000, List.of());

    private AlertEvent event(String rule, String category, String key, String state, long count) {
        Instant now = clock.instant();
        return new AlertEvent(rule, category, "high", state, key, count, now, now, rule + " on " + key, List.of("line"));
    }

    private AlertEvent firing(String rule, String key) {
        return event(rule, "sqli", key, AlertEvent.FIRING, 1);
    }

    @Test
    void aNewIncidentWaitsGroupWaitAndCarriesTheEventsOfThatWait() {
        grouper.add(firing("sqli-union", "203.0.113.9"));
        clock.advance(5_000);
        grouper.add(event("sqli-union", "sqli", "203.0.113.9", AlertEvent.FIRING, 4));
        assertThat(grouper.due()).isEmpty();
        clock.advance(4_999);
        assertThat(grouper.due()).isEmpty();
        clock.advance(1);
        List<Notification> sent = grouper.due();
        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.events()).isEqualTo(5);
            assertThat(n.total()).isEqualTo(5);
            assertThat(n.state()).isEqualTo(AlertEvent.FIRING);
            assertThat(n.repeat()).isFalse();
        });
        assertThat(grouper.due()).isEmpty();
    }

    @Test
    void theSameIncidentIsNotResentInsideGroupIntervalThenSendsWhatIsNew() {
        grouper.add(firing("xss", "198.51.100.1"));
        clock.advance(10_000);
        assertThat(grouper.due()).hasSize(1);
        for (int i = 0; i < 30; i++) {
            clock.advance(1_000);
            grouper.add(firing("xss", "198.51.100.1"));
            assertThat(grouper.due()).as("second %d", i).isEmpty();
        }
        clock.advance(30_000);
        assertThat(grouper.due()).singleElement().satisfies(n -> {
            assertThat(n.events()).isEqualTo(30);
            assertThat(n.total()).isEqualTo(31);
        });
    }

    @Test
    void aStillFiringIncidentIsRepeatedAfterRepeatInterval() {
        grouper.add(event("error-rate-5xx", "threshold", "all", AlertEvent.FIRING, 0));
        clock.advance(10_000);
        assertThat(grouper.due()).hasSize(1);
        clock.advance(Duration.ofMinutes(59).toMillis());
        assertThat(grouper.due()).isEmpty();
        clock.advance(Duration.ofMinutes(1).toMillis());
        assertThat(grouper.due()).singleElement().satisfies(n -> {
            assertThat(n.repeat()).isTrue();
            assertThat(n.events()).isZero();
        });
    }

    @Test
    void aResolvedEventIsSentAfterGroupIntervalAndClosesTheIncident() {
        grouper.add(event("ip-burst", "rate", "203.0.113.5", AlertEvent.FIRING, 20));
        clock.advance(10_000);
        assertThat(grouper.due()).hasSize(1);
        clock.advance(20_000);
        grouper.add(event("ip-burst", "rate", "203.0.113.5", AlertEvent.RESOLVED, 20));
        assertThat(grouper.due()).isEmpty();
        clock.advance(40_000);
        assertThat(grouper.due()).singleElement().extracting(Notification::state).isEqualTo(AlertEvent.RESOLVED);
        assertThat(grouper.open()).isEmpty();
        // the next burst from that address is a new incident, with its own group wait
        grouper.add(event("ip-burst", "rate", "203.0.113.5", AlertEvent.FIRING, 1));
        assertThat(grouper.due()).isEmpty();
        clock.advance(10_000);
        assertThat(grouper.due()).singleElement().extracting(Notification::total).isEqualTo(1L);
    }

    @Test
    void rateAndThresholdIncidentsWaitForTheirResolvedEventWhileSignatureOnesTimeOut() {
        grouper.add(event("ip-burst", "rate", "203.0.113.5", AlertEvent.FIRING, 1));
        grouper.add(firing("sqli-union", "203.0.113.9"));
        clock.advance(10_000);
        assertThat(grouper.due()).hasSize(2);
        clock.advance(Duration.ofMinutes(5).toMillis());
        assertThat(grouper.due()).singleElement().satisfies(n -> {
            assertThat(n.rule()).isEqualTo("sqli-union");
            assertThat(n.state()).isEqualTo(AlertEvent.RESOLVED);
        });
        assertThat(grouper.open()).extracting(Notification::rule).containsExactly("ip-burst");
    }

    @Test
    void aResolvedEventForAnIncidentNeverToldIsIgnored() {
        grouper.add(event("flatline", "threshold", "all", AlertEvent.RESOLVED, 0));
        clock.advance(Duration.ofHours(2).toMillis());
        assertThat(grouper.due()).isEmpty();
    }

    @Test
    void flappingBeforeTheResolvedMessageKeepsTheIncidentOpen() {
        grouper.add(event("qps-high", "threshold", "all", AlertEvent.FIRING, 0));
        clock.advance(10_000);
        assertThat(grouper.due()).hasSize(1);
        grouper.add(event("qps-high", "threshold", "all", AlertEvent.RESOLVED, 0));
        grouper.add(event("qps-high", "threshold", "all", AlertEvent.FIRING, 0));
        clock.advance(60_000);
        assertThat(grouper.due()).singleElement().extracting(Notification::state).isEqualTo(AlertEvent.FIRING);
    }

    @Test
    void silencesMatchRuleAndKeyGlobsUntilTheyExpire() {
        AlertGrouper g = new AlertGrouper(clock, timings, 1000,
                Silence.parseAll("sqli-* 10.0.0.* " + clock.instant().plusSeconds(3600)));
        g.add(firing("sqli-union", "10.0.0.7"));
        g.add(firing("sqli-union", "10.0.1.7"));
        g.add(firing("xss", "10.0.0.7"));
        clock.advance(10_000);
        assertThat(g.due()).extracting(Notification::key, Notification::rule)
                .containsExactlyInAnyOrder(tuple("10.0.1.7", "sqli-union"), tuple("10.0.0.7", "xss"));
        assertThat(g.suppressed()).isEqualTo(1);
        clock.advance(3_600_000);
        g.add(firing("sqli-union", "10.0.0.7"));
        clock.advance(60_000);
        assertThat(g.due()).extracting(Notification::key).contains("10.0.0.7");
    }

    @Test
    void theDashboardCanKeepAThousandSilencesInForce() {
        AlertGrouper g = new AlertGrouper(clock, timings, 1000, List.of());
        for (int i = 0; i < AlertGrouper.MAX_SILENCES; i++) {
            g.silence(new Silence("ip-burst", "10.0.0." + i, clock.instant().plusSeconds(60)));
        }
        assertThatThrownBy(() -> g.silence(new Silence("ip-burst", "10.9.9.9", clock.instant().plusSeconds(60))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1000 silences");
        clock.advance(60_000);
        g.silence(new Silence("ip-burst", "10.9.9.9", clock.instant().plusSeconds(60))); // the others ended
        assertThat(g.silences()).hasSize(1);
    }

    @Test
    void anAddressSprayBeyondMaxGroupsSharesOneIncident() {
        AlertGrouper g = new AlertGrouper(clock, timings, 100, List.of());
        for (int i = 0; i < 10_000; i++) {
            g.add(firing("sqli-union", "10.0." + (i >> 8) + "." + (i & 255)));
        }
        clock.advance(10_000);
        List<Notification> sent = g.due();
        assertThat(sent).hasSize(101);
        assertThat(sent).filteredOn(n -> n.key().equals(AlertGrouper.OVERFLOW_KEY)).singleElement()
                .extracting(Notification::events).isEqualTo(9_900L);
        assertThat(sent.stream().mapToLong(Notification::events).sum()).isEqualTo(10_000);
    }

    @Test
    void theAutomaticCapFollowsTheHeapBetweenAHundredAndTenThousand() {
        long mib = 1L << 20;
        assertThat(AlertGrouper.maxGroupsForHeap(64 * mib)).isEqualTo(1365);
        assertThat(AlertGrouper.maxGroupsForHeap(256 * mib)).isEqualTo(5461);
        assertThat(AlertGrouper.maxGroupsForHeap(469 * mib)).isEqualTo(10_000);
        assertThat(AlertGrouper.maxGroupsForHeap(8L << 30)).isEqualTo(10_000);
        assertThat(AlertGrouper.maxGroupsForHeap(2 * mib)).isEqualTo(100);
    }

    @Test
    void silencesAreParsedStrictly() {
        assertThatThrownBy(() -> Silence.parseAll("ip-burst 10.0.0.1")).hasMessageContaining("RULE KEY UNTIL");
        assertThatThrownBy(() -> Silence.parseAll("ip-burst * tomorrow")).hasMessageContaining("ISO-8601");
    }
}
