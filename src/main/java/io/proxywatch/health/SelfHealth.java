package io.proxywatch.health;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.tail.FileStatus;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * proxywatch watching itself: shipping stalled, the spool filling up, a followed file that stopped growing. Each
 * condition raises a firing alert event when it starts and a resolved one when it ends, like a threshold rule,
 * under the category {@code health}. A limit of 0 turns its check off.
 */
public final class SelfHealth {
    public static final String SHIPPING_STALLED = "shipping-stalled";
    public static final String SPOOL_FILLING = "spool-filling";
    public static final String FILE_STALE = "file-stale";

    /** What the checks read, as of now. */
    public interface Gauges {
        boolean shippingOn();

        /** True while batches wait: the collector is known down or the spool holds batches. */
        boolean shippingBacklog();

        /** True while the collector is known down (its last attempt failed). */
        boolean collectorDown();

        long lastDeliveredMs();

        /**
         * When the batches waiting now began to wait (the collector's first failure since it last took one), epoch
         * ms; 0 when not known. A quiet night before it is not time spent stalled.
         */
        long backlogSinceMs();

        int spoolBatches();

        long spoolBytes();

        long spoolMaxBytes();

        List<FileStatus> files();

        /** Fleet mode's state; off unless proxywatch.fleet.redis-url is set. */
        default io.proxywatch.fleet.FleetState fleet() {
            return io.proxywatch.fleet.FleetState.OFF;
        }
    }

    /** The limits, from proxywatch.alert.health.*. */
    public record Limits(long shipStalledMs, int spoolPercent, long fileStaleMs) {
    }

    private final Clock clock;
    private final Limits limits;
    private final Supplier<Gauges> gauges;
    private final Map<String, Long> firingSince = new HashMap<>(); // rule + '\0' + key -> since

    public SelfHealth(Clock clock, Limits limits, Supplier<Gauges> gauges) {
        this.clock = clock;
        this.limits = limits;
        this.gauges = gauges;
    }

    public synchronized List<AlertEvent> check() {
        long now = clock.millis();
        Gauges g = gauges.get();
        Map<String, String> holding = new HashMap<>(); // id -> summary, for every condition true now
        if (ShippingStall.stalled(g, now, limits.shipStalledMs())) {
            holding.put(SHIPPING_STALLED + '\u0000' + "collector", "nothing delivered to the collector for "
                    + ShippingStall.stalledMs(g, now) / 1000 + "s while batches wait");
        }
        if (limits.spoolPercent() > 0 && g.spoolMaxBytes() > 0
                && g.spoolBytes() * 100 >= (long) limits.spoolPercent() * g.spoolMaxBytes()) {
            holding.put(SPOOL_FILLING + '\u0000' + "spool", "spool at " + g.spoolBytes() * 100 / g.spoolMaxBytes()
                    + "% of " + g.spoolMaxBytes() + " bytes");
        }
        if (limits.fileStaleMs() > 0) {
            for (FileStatus f : g.files()) {
                if (!f.rotated() && now - f.lastGrowthMs() >= limits.fileStaleMs()) {
                    holding.put(FILE_STALE + '\u0000' + f.path(), f.path() + " has not grown for "
                            + (now - f.lastGrowthMs()) / 1000 + "s");
                }
            }
        }
        List<AlertEvent> out = new ArrayList<>();
        for (Map.Entry<String, String> e : holding.entrySet()) {
            if (!firingSince.containsKey(e.getKey())) {
                firingSince.put(e.getKey(), now);
                out.add(event(e.getKey(), AlertEvent.FIRING, now, now, e.getValue()));
            }
        }
        Set<String> ended = new HashSet<>(firingSince.keySet());
        ended.removeAll(holding.keySet());
        for (String id : ended) {
            long since = firingSince.remove(id);
            out.add(event(id, AlertEvent.RESOLVED, since, now, "back to normal"));
        }
        return out;
    }

    private static AlertEvent event(String id, String state, long since, long now, String summary) {
        int cut = id.indexOf('\u0000');
        String rule = id.substring(0, cut);
        String severity = rule.equals(FILE_STALE) ? "warning" : "high";
        return new AlertEvent(rule, "health", severity, state, id.substring(cut + 1), 0, Instant.ofEpochMilli(since),
                Instant.ofEpochMilli(now), summary, List.of());
    }
}
