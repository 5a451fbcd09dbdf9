package io.proxywatch.config;

import io.proxywatch.web.Dashboard;
import io.proxywatch.web.DashboardAssets;
import io.proxywatch.web.EventStream;
import io.proxywatch.web.SilenceRequests;
import io.proxywatch.web.TrafficHistory;
import io.proxywatch.web.WebAccess;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import java.time.Clock;

/** The dashboard's beans (dashboard.yaml); part of {@link ProxywatchConfiguration}, after webAccess and agentStatus. */
final class DashboardWiring {
    /** Pages open at once; each holds one connection for its live updates. */
    private static final int MAX_PAGES = 32;

    private DashboardWiring() {
    }

    static void wire(CamelContext context, LiveState live, DetectWiring.Wired detect, AlertWiring.Wired alerts) {
        var registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        AgentStatusSource agent = registry.lookupByNameAndType("agentStatus", AgentStatusSource.class);
        WebAccess access = registry.lookupByNameAndType("webAccess", WebAccess.class);
        var thresholds = registry.lookupByNameAndType("thresholdWatch", io.proxywatch.stats.ThresholdWatch.class);

        // the charts' history outlives a reload with the statistics it samples (kept while their window is)
        TrafficHistory history = live.keep("trafficHistory", detect.stats(),
                () -> new TrafficHistory(detect.stats(), detect.detection()::findingsByCategory));
        Dashboard dashboard = Dashboard.of(detect.stats(), history, detect.detection()::findingsByCategory,
                alerts.grouper(), thresholds, agent::current, clock);
        EventStream events = new EventStream(access, dashboard::historyJson, MAX_PAGES);
        registry.bind("dashboard", dashboard);
        registry.bind("dashboardEvents", events);
        registry.bind("dashboardAssets", new DashboardAssets());
        registry.bind("dashboardSilences", new SilenceRequests(alerts.grouper(), clock));

        // /api/events lives on the HTTP server's Vert.x router (see EventStream); it exists once Camel has started
        try {
            context.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext c, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext c, boolean alreadyStarted) {
                    // none when proxywatch.dashboard.enabled=false: no HTTP server at all
                    c.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                            .filter(VertxPlatformHttpRouter::isMainServer)
                            .findFirst()
                            .ifPresent(events::attach);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("registering the dashboard's event stream: " + e.getMessage(), e);
        }
    }
}
