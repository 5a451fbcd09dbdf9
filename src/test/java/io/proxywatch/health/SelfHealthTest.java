package io.proxywatch.health;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.tail.FileStatus;
import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SelfHealthTest {
    private final MutableClock clock = new MutableClock();
    private boolean backlog;
    private long lastDelivered = clock.millis();
    private long backlogSince;
    private long spoolBytes;
    private final List<FileStatus> files = new ArrayList<>();

    private final SelfHealth health = new SelfHealth(clock, new SelfHealth.Limits(300_000, 80, 600_000),
            () -> new SelfHealth.Gauges() {
                public boolean shippingOn() { return true; }
                public boolean shippingBacklog() { return backlog; }
                public boolean collectorDown() { return backlog; }
                public long lastDeliveredMs() { return lastDelivered; }
                public long backlogSinceMs() { return backlogSince; }
                public int spoolBatches() { return 0; }
                public long spoolBytes() { return spoolBytes; }
                public long spoolMaxBytes() { return 1000; }
                public List<FileStatus> files() { return files; }
            });

    @Test
    void shippingStalledFiresOnlyWhileBatchesWaitAndResolvesOnDelivery() {
        clock.advance(400_000);
        assertThat(health.check()).as("idle, nothing waiting: not stalled").isEmpty();
        backlog = true;
        assertThat(health.check()).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo(SelfHealth.SHIPPING_STALLED);
            assertThat(e.state()).isEqualTo(AlertEvent.FIRING);
            assertThat(e.category()).isEqualTo("health");
        });
        assertThat(health.check()).as("told once").isEmpty();
        lastDelivered = clock.millis();
        assertThat(health.check()).singleElement().extracting(AlertEvent::state).isEqualTo(AlertEvent.RESOLVED);
    }

    /** A quiet night, then one failed batch: it has waited seconds, not the night. */
    @Test
    void aQuietSpellBeforeTheBacklogIsNotTimeStalled() {
        clock.advance(3_600_000);
        backlog = true;
        backlogSince = clock.millis();
        assertThat(health.check()).as("the batch waited 0 s").isEmpty();
        clock.advance(299_000);
        assertThat(health.check()).isEmpty();
        clock.advance(1_000);
        assertThat(health.check()).singleElement().extracting(AlertEvent::rule).isEqualTo(SelfHealth.SHIPPING_STALLED);
    }

    @Test
    void theSpoolAbove80PercentFires() {
        spoolBytes = 799;
        assertThat(health.check()).isEmpty();
        spoolBytes = 800;
        assertThat(health.check()).singleElement().extracting(AlertEvent::rule).isEqualTo(SelfHealth.SPOOL_FILLING);
        spoolBytes = 100;
        assertThat(health.check()).singleElement().extracting(AlertEvent::state).isEqualTo(AlertEvent.RESOLVED);
    }

    @Test
    void aFileThatStopsGrowingFiresPerFileUntilItGrowsAgain() {
        files.add(new FileStatus("/var/log/caddy/access.log", 10, 10, 0, 1, 0, false, "UTF-8", clock.millis()));
        files.add(new FileStatus("/var/log/caddy/old.log", 10, 10, 0, 1, 0, true, "UTF-8", clock.millis()));
        clock.advance(599_999);
        assertThat(health.check()).isEmpty();
        clock.advance(1);
        assertThat(health.check()).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo(SelfHealth.FILE_STALE);
            assertThat(e.key()).isEqualTo("/var/log/caddy/access.log");
            assertThat(e.severity()).isEqualTo("warning");
        });
        files.set(0, new FileStatus("/var/log/caddy/access.log", 20, 20, 0, 2, 0, false, "UTF-8", clock.millis()));
        assertThat(health.check()).singleElement().extracting(AlertEvent::state).isEqualTo(AlertEvent.RESOLVED);
    }
}
