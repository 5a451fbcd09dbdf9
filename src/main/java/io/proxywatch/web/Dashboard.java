package io.proxywatch.web;

import io.proxywatch.alert.AlertGrouper;
import io.proxywatch.health.AgentStatus;
import io.proxywatch.stats.ThresholdWatch;
import io.proxywatch.stats.TrafficStats;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The dashboard's data, bound as {@code dashboard}: what {@code GET /api/snapshot} and {@code /api/history} answer;
 * the sampling timer in dashboard.yaml records a point a second and pushes {@link #update} to open pages.
 */
public final class Dashboard {
    private final TrafficStats stats;
    private final TrafficHistory history;
    private final AlertFeed alerts;
    private final Supplier<AgentStatus> agent;
    private final Supplier<Map<String, Long>> detectionTotals;
    private final AgentRates rates = new AgentRates();
    private TrafficHistory.Added lastAdded;
    private final Clock clock;

    Dashboard(TrafficStats stats, TrafficHistory history, AlertFeed alerts, Supplier<AgentStatus> agent,
              Supplier<Map<String, Long>> detectionTotals, Clock clock) {
        this.stats = stats;
        this.history = history;
        this.alerts = alerts;
        this.agent = agent;
        this.detectionTotals = detectionTotals;
        this.clock = clock;
    }

    /** The dashboard over the running beans. */
    public static Dashboard of(TrafficStats stats, TrafficHistory history, Supplier<Map<String, Long>> detectionTotals,
                               AlertGrouper grouper,
                               ThresholdWatch thresholds, Supplier<AgentStatus> agent, Clock clock) {
        return new Dashboard(stats, history, new AlertFeed(grouper, thresholds, clock),
                agent, detectionTotals, clock);
    }

    /** Records the second just finished; false when no new second has finished since the last call. */
    public boolean sample() {
        TrafficHistory.Added added = history.sample();
        if (added == null) {
            return false;
        }
        rates.update(agent.get());
        synchronized (this) {
            lastAdded = added;
        }
        return true;
    }

    /** The update pushed to open pages after a sample: the new second, the minute if one ended, the snapshot. */
    public String update() {
        TrafficHistory.Added added;
        synchronized (this) {
            added = lastAdded;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("second", added == null ? null : DashboardJson.point(added.second()));
        m.put("minute", added == null || added.minute() == null ? null : DashboardJson.point(added.minute()));
        m.put("snapshot", snapshot());
        return DashboardJson.write(m);
    }

    /** GET /api/snapshot. */
    public String snapshotJson() {
        return DashboardJson.write(snapshot());
    }

    /** GET /api/history, and the first event of /api/events. */
    public String historyJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", DashboardJson.points(history.seconds()));
        m.put("minutes", DashboardJson.points(history.minutes()));
        return DashboardJson.write(m);
    }

    private Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", DashboardJson.iso(clock.instant()));
        // the top lists and the status mix over the longest window the statistics keep
        m.put("traffic", DashboardJson.traffic(stats.snapshot(stats.limits().maxWindow(), null)));
        m.put("detections_total", detectionTotals.get());
        m.put("alerts", DashboardJson.alerts(alerts.current()));
        m.put("agent", DashboardJson.agent(agent.get(), rates));
        return m;
    }
}
