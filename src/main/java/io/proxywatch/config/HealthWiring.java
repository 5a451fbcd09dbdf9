package io.proxywatch.config;

import io.proxywatch.fleet.Fleet;
import io.proxywatch.fleet.FleetState;
import io.proxywatch.health.Health;
import io.proxywatch.health.PrometheusMetrics;
import io.proxywatch.health.SelfHealth;
import io.proxywatch.stats.RequestTotals;
import io.proxywatch.tail.FileStatus;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * proxywatch watching itself, from proxywatch.alert.health.* and proxywatch.health.*: the self-health alerts, /health
 * and /metrics, all reading the same gauges; part of {@link ProxywatchConfiguration}.
 */
final class HealthWiring {
    private HealthWiring() {
    }

    /** Binds selfHealth, health, requestTotals and prometheusMetrics. */
    static void wire(CamelContext context, Settings s, LiveState live, ShipWiring.Wired shipping, Progress progress,
                     AgentStatusSource agentStatus, Fleet fleet) {
        SelfHealth.Gauges gauges = gauges(shipping, progress, fleet);
        long fileStaleMs = s.longAtLeast("proxywatch.alert.health.file-stale-ms", 0);
        context.getRegistry().bind("selfHealth", new SelfHealth(Clock.systemUTC(), new SelfHealth.Limits(
                s.longAtLeast("proxywatch.alert.health.ship-stalled-ms", 0),
                s.intAtLeast("proxywatch.alert.health.spool-percent", 0), fileStaleMs), () -> gauges));
        context.getRegistry().bind("health", new Health(Clock.systemUTC(), new Health.Limits(
                s.longAtLeast("proxywatch.health.ship-stalled-ms", 0), fileStaleMs), () -> gauges, runtime(context),
                ManagementFactory.getRuntimeMXBean().getStartTime()));
        // counters of the proxy's requests go on across a reload, like the windows do
        RequestTotals requests = live.keep("requestTotals", null, RequestTotals::new);
        context.getRegistry().bind("requestTotals", requests);
        context.getRegistry().bind("prometheusMetrics", new PrometheusMetrics(agentStatus::current, requests));
    }

    private static SelfHealth.Gauges gauges(ShipWiring.Wired shipping, Progress progress, Fleet fleet) {
        return new SelfHealth.Gauges() {
            public boolean shippingOn() { return shipping.enabled(); }
            public boolean shippingBacklog() { return shipping.state().isDown() || shipping.spool().batches() > 0; }
            public boolean collectorDown() { return shipping.state().isDown(); }
            public long lastDeliveredMs() { return shipping.stats().lastDeliveredMs.get(); }
            public long backlogSinceMs() { return shipping.state().downSinceMs(); }
            public int spoolBatches() { return shipping.spool().batches(); }
            public long spoolBytes() { return shipping.spool().bytes(); }
            public long spoolMaxBytes() { return shipping.spool().maxBytes(); }
            public List<FileStatus> files() { return progress.files(); }
            public FleetState fleet() { return fleet.state(); }
        };
    }

    private static Health.Runtime runtime(CamelContext context) {
        return new Health.Runtime() {
            public String status() { return context.getStatus().name(); }
            public boolean started() { return context.getStatus().isStarted(); }
            public boolean dead() {
                ServiceStatus st = context.getStatus();
                return st == ServiceStatus.Stopped || st == ServiceStatus.Suspended;
            }
            public int routes() { return context.getRoutes().size(); }
            public List<String> routesNotStarted() {
                List<String> out = new ArrayList<>();
                for (Route r : context.getRoutes()) {
                    // a route left stopped on purpose (the web routes with the dashboard off) is not down
                    if (!Boolean.FALSE.equals(r.isAutoStartup())
                            && context.getRouteController().getRouteStatus(r.getRouteId()) != ServiceStatus.Started) {
                        out.add(r.getRouteId());
                    }
                }
                return out;
            }
        };
    }
}
