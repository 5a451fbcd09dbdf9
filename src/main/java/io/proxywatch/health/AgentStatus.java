package io.proxywatch.health;

import io.proxywatch.fleet.FleetState;
import io.proxywatch.tail.FileStatus;

import java.util.List;
import java.util.Map;

/**
 * proxywatch's own figures at one moment, the one source for /metrics, /health and the dashboard's agent panel.
 * Counters are totals since start; rates are the reader's job (Prometheus' rate(), the dashboard's deltas).
 *
 * @param lastDeliveredMs when the collector last took a batch, epoch ms (the start time until it first does)
 * @param processCpuLoad  this JVM's share of the machine's CPU, 0..1, or -1 when the platform cannot tell
 * @param detectionUnchecked access records a detector failed on, passed on without its check
 * @param fleet           fleet mode's state ({@link FleetState#OFF} without a Redis URL)
 */
public record AgentStatus(long atMs, List<FileStatus> files, long parseErrors, Map<String, Long> levelRecords,
                          boolean shippingOn, boolean collectorDown, long recordsShipped, long shipRetries,
                          long recordsSpooled, long spoolBytes, long spoolMaxBytes, int spoolBatches,
                          long recordsDeadLettered, long lastDeliveredMs, Map<String, Long> detections,
                          long detectionUnchecked,
                          long alertEvents, Map<String, Long> alertsSent, Map<String, Long> alertsDeadLettered,
                          long heapUsedBytes, long heapMaxBytes, double processCpuLoad, FleetState fleet) {

    public long linesRead() {
        return files.stream().mapToLong(FileStatus::linesRead).sum();
    }

    public long lagBytes() {
        return files.stream().mapToLong(FileStatus::lagBytes).sum();
    }
}
