package io.proxywatch.config;

import io.proxywatch.alert.AlertLog;
import io.proxywatch.alert.AlertStats;
import io.proxywatch.detect.Detection;
import io.proxywatch.fleet.Fleet;
import io.proxywatch.health.AgentStatus;
import io.proxywatch.level.LevelFiles;
import io.proxywatch.parse.ChunkParser;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@link AgentStatus} off the running beans; bound as {@code agentStatus}. Cheap: call it every second. */
public final class AgentStatusSource {
    private final Progress progress;
    private final ChunkParser parser;
    private final LevelFiles levelFiles;
    private final ShipWiring.Wired shipping;
    private final Detection detection;
    private final AlertLog alertLog;
    private final AlertStats alertStats;
    private final Fleet fleet;

    AgentStatusSource(Progress progress, ChunkParser parser, LevelFiles levelFiles, ShipWiring.Wired shipping,
                      Detection detection, AlertLog alertLog, AlertStats alertStats, Fleet fleet) {
        this.progress = progress;
        this.parser = parser;
        this.levelFiles = levelFiles;
        this.shipping = shipping;
        this.detection = detection;
        this.alertLog = alertLog;
        this.alertStats = alertStats;
        this.fleet = fleet;
    }

    public AgentStatus current() {
        Map<String, Long> levels = new LinkedHashMap<>();
        for (String level : LevelFiles.FILES) {
            levels.put(level, levelFiles.written(level));
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        var ship = shipping.stats();
        return new AgentStatus(System.currentTimeMillis(), progress.files(), parser.parseErrors(), levels,
                shipping.enabled(), shipping.state().isDown(), ship.recordsShipped.get(), ship.retries.get(),
                ship.recordsSpooled.get(), shipping.spool().bytes(), shipping.spool().maxBytes(),
                shipping.spool().batches(), ship.recordsDeadLettered.get(), ship.lastDeliveredMs.get(),
                detection.findingsByCategory(), detection.uncheckedRecords(), alertLog.written(), alertStats.sent(),
                alertStats.deadLettered(),
                heap.getUsed(), heap.getMax(), processCpuLoad(), fleet.state());
    }

    private static double processCpuLoad() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuLoad() : -1;
    }
}
