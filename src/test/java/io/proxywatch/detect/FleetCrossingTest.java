package io.proxywatch.detect;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key that a shared store reports over its limit (the fleet's count, though this process's own share stayed
 * below it) opens the burst like a local crossing: one firing event a window, resolved once quiet.
 */
class FleetCrossingTest {
    private static final RateRule.Section BURST = new RateRule.Section(100_000,
            List.of(new RateRule("ip-burst", "ip", 100, Duration.ofSeconds(10), "high")));

    /** The in-memory windows, plus crossings handed in by the test as a fleet's flush would. */
    private static final class CrossingStore implements WindowStore {
        final InMemoryWindowStore local = new InMemoryWindowStore();
        final List<Crossing> pending = new ArrayList<>();

        @Override
        public Window window(RateRule rule, int maxKeys) {
            return local.window(rule, maxKeys);
        }

        @Override
        public void endChunk() {
        }

        @Override
        public List<Crossing> crossings() {
            List<Crossing> out = List.copyOf(pending);
            pending.clear();
            return out;
        }
    }

    @Test
    void aFleetCrossingRaisesTheBurstOnceAWindowAndResolvesItWhenQuiet() {
        MutableClock clock = new MutableClock();
        CrossingStore store = new CrossingStore();
        RateDetector detector = new RateDetector(clock, store);
        ChunkEvents events = new ChunkEvents();
        LogRecordFixture.hits(detector, "203.0.113.9", 40, BURST, events); // this process's share: under the limit
        assertThat(events.isEmpty()).isTrue();

        store.pending.add(new WindowStore.Crossing("ip-burst", "203.0.113.9", 120, 1_000, "203.0.113.9 GET /"));
        List<AlertEvent> firing = detector.sweep(BURST);
        assertThat(firing).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AlertEvent.FIRING);
            assertThat(e.summary()).isEqualTo("203.0.113.9: 120 requests in 10s (limit 100)");
            assertThat(e.evidence()).containsExactly("203.0.113.9 GET /");
        });

        // the fleet still over the limit a moment later: the same burst, not a second alert
        clock.advance(1_000);
        store.pending.add(new WindowStore.Crossing("ip-burst", "203.0.113.9", 130, 2_000, "203.0.113.9 GET /"));
        assertThat(detector.sweep(BURST)).isEmpty();

        clock.advance(10_000);
        assertThat(detector.sweep(BURST)).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AlertEvent.RESOLVED);
            assertThat(e.summary()).isEqualTo("203.0.113.9: quiet for 10s across the fleet");
        });
    }

    /** A crossing that reports a burst tells the requests over the limit that came here since its last report. */
    @Test
    void aFleetCrossingsReportCountsThisProcesssRequestsSinceTheLastReport() {
        MutableClock clock = new MutableClock();
        CrossingStore store = new CrossingStore();
        RateDetector detector = new RateDetector(clock, store);
        ChunkEvents first = new ChunkEvents();
        LogRecordFixture.hits(detector, "203.0.113.9", 150, BURST, first); // over the limit here: reported
        assertThat(first.events()).singleElement().extracting(AlertEvent::count).isEqualTo(1L);
        LogRecordFixture.hits(detector, "203.0.113.9", 30, BURST, new ChunkEvents()); // 49 + 30 not told yet
        clock.advance(10_000);
        store.pending.add(new WindowStore.Crossing("ip-burst", "203.0.113.9", 400, 1_200, "203.0.113.9 GET /"));
        assertThat(detector.sweep(BURST)).filteredOn(e -> e.state().equals(AlertEvent.FIRING)).singleElement()
                .extracting(AlertEvent::count).isEqualTo(79L);
    }

    /** Access records for the detector. */
    private static final class LogRecordFixture {
        static void hits(RateDetector detector, String ip, int n, RateRule.Section section, ChunkEvents events) {
            for (int i = 0; i < n; i++) {
                io.proxywatch.record.LogRecord r = new io.proxywatch.record.LogRecord();
                r.setClientIp(ip);
                r.setPath("/");
                r.setStatus(200);
                r.setRaw(ip + " GET /");
                detector.observe(r, 1_000 + i, section, events);
            }
        }
    }
}
