package io.proxywatch;

import io.proxywatch.config.AgentStatusSource;
import io.proxywatch.config.LiveState;
import io.proxywatch.rules.RulesFile;
import io.proxywatch.ship.CollectorState;
import io.proxywatch.testkit.FreePort;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A settings reload starts Camel Main again on the same LiveState: shipping's state must not start over, nor the
 * rules in force.
 */
class ReloadKeepsTest {
    @TempDir
    Path dir;
    private final String collector = "http://127.0.0.1:" + FreePort.next() + "/ingest"; // nobody answers there

    private Main start(LiveState live) {
        return start(live, null);
    }

    private Main start(LiveState live, Path rulesFile) {
        Main main = Application.newMain(live);
        if (rulesFile != null) {
            main.addOverrideProperty("proxywatch.rules.file", rulesFile.toString());
        }
        main.addOverrideProperty("proxywatch.input.paths", dir.resolve("logs") + "/*.log");
        main.addOverrideProperty("proxywatch.data-dir", dir.resolve("data").toString());
        main.addOverrideProperty("proxywatch.levels.dir", dir.resolve("out").toString());
        main.addOverrideProperty("proxywatch.dashboard.enabled", "false");
        main.addOverrideProperty("proxywatch.ship.url", collector);
        main.start();
        return main;
    }

    @Test
    void theLastDeliveryAndTheCollectorsStateGoOnAcrossAReload() throws Exception {
        LiveState live = new LiveState();
        Main first = start(live);
        long lastDelivered = first.getCamelContext().getRegistry().lookupByNameAndType("agentStatus",
                AgentStatusSource.class).current().lastDeliveredMs();
        CollectorState state = first.getCamelContext().getRegistry().lookupByNameAndType("collectorState",
                CollectorState.class);
        state.failed("test: down");
        first.stop();
        // a new run's own "last delivery" would be its start: make sure that is later than the kept one
        org.awaitility.Awaitility.await().until(() -> System.currentTimeMillis() > lastDelivered);

        Main second = start(live);
        try {
            assertThat(second.getCamelContext().getRegistry().lookupByNameAndType("agentStatus",
                    AgentStatusSource.class).current().lastDeliveredMs())
                    .as("a reload is not a delivery").isEqualTo(lastDelivered);
            CollectorState after = second.getCamelContext().getRegistry().lookupByNameAndType("collectorState",
                    CollectorState.class);
            assertThat(after.isDown()).as("still known down").isTrue();
        } finally {
            second.stop();
        }
    }

    @Test
    void aRulesEditRejectedBeforeAReloadStaysRejectedAndTheRulesInForceGoOn() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, "signatures:\n  - {id: canary-a, category: sqli, in: [query], pattern: 'canary'}\n");
        LiveState live = new LiveState();
        Main first = start(live, rules);
        RulesFile inForce = first.getCamelContext().getRegistry().lookupByNameAndType("rulesFile", RulesFile.class);
        Files.writeString(rules, "signatures:\n  - {id: canary-b, category: nosuch, in: [query], pattern: 'x'}\n");
        inForce.reload();
        inForce.reload();
        assertThat(inForce.lastRejection()).contains("nosuch");
        first.stop();

        // the settings were edited: the run starts again with the rules file as it is on disk, rejected
        Main second = start(live, rules);
        try {
            RulesFile after = second.getCamelContext().getRegistry().lookupByNameAndType("rulesFile", RulesFile.class);
            assertThat(after.current().signatures()).extracting(r -> r.id()).containsExactly("canary-a");
            assertThat(after.lastRejection()).contains("nosuch");
        } finally {
            second.stop();
        }
    }
}
