package io.proxywatch.health;

import io.proxywatch.tail.FileStatus;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Liveness and readiness for /health, bound as {@code health}. Live: the process answers and Camel has not
 * stopped. Ready: Camel started with every route running, and shipping not stalled for longer than
 * proxywatch.health.ship-stalled-ms ({@link ShippingStall}, the same rule the self-health alert uses). The spool's
 * fill, each file's lag and idle time are reported as detail and never fail readiness on their own: a proxy that
 * is quiet at night is not a broken proxywatch.
 */
public final class Health {

    /** What the checks read from Camel; an interface so they are tested without a running context. */
    public interface Runtime {
        /** The context's status as Camel names it (Starting, Started, Stopping, ...). */
        String status();

        boolean started();

        /** True once the context is stopped or failed: nothing will be processed any more. */
        boolean dead();

        int routes();

        /** Ids of the routes that are not started, e.g. one the route controller is still retrying. */
        List<String> routesNotStarted();
    }

    /**
     * @param shipStalledMs readiness fails after this long without a delivery while batches wait; 0 is off
     * @param fileStaleMs   a file idle this long is flagged stale in the detail (the self-health alert's limit); 0 is off
     */
    public record Limits(long shipStalledMs, long fileStaleMs) {
    }

    private final Clock clock;
    private final Limits limits;
    private final Supplier<SelfHealth.Gauges> gauges;
    private final Runtime runtime;
    private final long startedMs;

    /** @param startedMs when the process started, epoch ms: uptime is the process's, not this run's (a reload) */
    public Health(Clock clock, Limits limits, Supplier<SelfHealth.Gauges> gauges, Runtime runtime, long startedMs) {
        this.clock = clock;
        this.limits = limits;
        this.gauges = gauges;
        this.runtime = runtime;
        this.startedMs = startedMs;
    }

    /** The whole report: /health. */
    public HealthReport.Answer all() {
        return report().answer(HealthReport.Part.ALL);
    }

    /** Liveness only: /health/live. */
    public HealthReport.Answer live() {
        return report().answer(HealthReport.Part.LIVE);
    }

    /** Readiness only: /health/ready. */
    public HealthReport.Answer ready() {
        return report().answer(HealthReport.Part.READY);
    }

    public HealthReport report() {
        long now = clock.millis();
        SelfHealth.Gauges g = gauges.get();
        // during a graceful stop liveness stays up, so a supervisor does not kill the process mid-drain;
        // readiness goes down with the routes
        List<HealthCheck> live = List.of(new HealthCheck("camel", !runtime.dead(), "context " + runtime.status()));
        List<HealthCheck> ready = new ArrayList<>();
        ready.add(camel());
        ready.add(shipping(g, now));
        List<HealthReport.FileDetail> files = files(g.files(), now);
        ready.add(spool(g));
        ready.add(filesCheck(files));
        ready.add(fleet(g.fleet()));
        long percent = g.spoolMaxBytes() > 0 ? g.spoolBytes() * 100 / g.spoolMaxBytes() : 0;
        return new HealthReport((now - startedMs) / 1000, live, ready,
                new HealthReport.SpoolDetail(g.spoolBatches(), g.spoolBytes(), g.spoolMaxBytes(), percent), files);
    }

    /** Degraded fleet mode is reported, never unready: detection goes on with local windows and nothing waits. */
    private static HealthCheck fleet(io.proxywatch.fleet.FleetState f) {
        if (f.mode().equals("off")) {
            return new HealthCheck("fleet", true, "off (rate windows are this instance's own)");
        }
        return new HealthCheck("fleet", true, f.shared()
                ? "shared through " + f.redis() + " as '" + f.instance() + "' in fleet '" + f.fleet() + "'"
                : "DEGRADED: Redis unreachable (" + f.lastError() + "), counting with local windows until it answers; "
                        + f.fallbacks() + " fallbacks so far");
    }

    private HealthCheck camel() {
        List<String> notStarted = runtime.routesNotStarted();
        if (!runtime.started()) {
            return new HealthCheck("camel", false, "context " + runtime.status());
        }
        if (!notStarted.isEmpty()) {
            return new HealthCheck("camel", false, notStarted.size() + " of " + runtime.routes()
                    + " routes not started: " + String.join(", ", notStarted));
        }
        return new HealthCheck("camel", true, "context Started, " + runtime.routes() + " routes started");
    }

    private HealthCheck shipping(SelfHealth.Gauges g, long now) {
        if (!g.shippingOn()) {
            return new HealthCheck("shipping", true, "off (proxywatch.ship.url is empty)");
        }
        long stalled = ShippingStall.stalledMs(g, now);
        String state = (g.collectorDown() ? "collector down" : "collector up") + ", " + g.spoolBatches()
                + " batches spooled, last delivery " + ago(now - g.lastDeliveredMs());
        if (ShippingStall.stalled(g, now, limits.shipStalledMs())) {
            return new HealthCheck("shipping", false, "stalled: nothing delivered for " + stalled / 1000
                    + " s while batches wait (proxywatch.health.ship-stalled-ms=" + limits.shipStalledMs() + "); "
                    + state);
        }
        return new HealthCheck("shipping", true, state);
    }

    private static HealthCheck spool(SelfHealth.Gauges g) {
        long percent = g.spoolMaxBytes() > 0 ? g.spoolBytes() * 100 / g.spoolMaxBytes() : 0;
        return new HealthCheck("spool", true, g.spoolBatches() + " batches, " + g.spoolBytes() + " of "
                + g.spoolMaxBytes() + " bytes (" + percent + "%)");
    }

    private List<HealthReport.FileDetail> files(List<FileStatus> files, long now) {
        List<HealthReport.FileDetail> out = new ArrayList<>(files.size());
        for (FileStatus f : files) {
            long idle = Math.max(0, now - f.lastGrowthMs());
            boolean stale = !f.rotated() && limits.fileStaleMs() > 0 && idle >= limits.fileStaleMs();
            out.add(new HealthReport.FileDetail(f.path(), f.lagBytes(), idle / 1000, f.rotated(), stale));
        }
        return out;
    }

    private static HealthCheck filesCheck(List<HealthReport.FileDetail> files) {
        long lag = 0;
        int stale = 0;
        for (HealthReport.FileDetail f : files) {
            lag += f.lagBytes();
            stale += f.stale() ? 1 : 0;
        }
        return new HealthCheck("files", true, files.size() + " followed, lag " + lag + " B"
                + (stale > 0 ? ", " + stale + " not grown for longer than proxywatch.alert.health.file-stale-ms" : ""));
    }

    private static String ago(long ms) {
        return Math.max(0, ms) / 1000 + " s ago";
    }
}
