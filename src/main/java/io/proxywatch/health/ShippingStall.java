package io.proxywatch.health;

/**
 * The one definition of "shipping has stalled", shared by the self-health alert (proxywatch.alert.health.*) and
 * readiness (proxywatch.health.*), which may use different limits: paging someone and taking the instance out of
 * rotation are different decisions.
 */
public final class ShippingStall {
    private ShippingStall() {
    }

    /**
     * How long shipping has been stalled at {@code nowMs}: the time batches have waited since the collector last
     * took one (from its last delivery, or from when the backlog began if later: a proxy quiet for an hour and
     * then one failed batch has waited seconds, not an hour); 0 when shipping is off or nothing waits. An idle
     * pipeline with nothing to send is never stalled.
     */
    public static long stalledMs(SelfHealth.Gauges g, long nowMs) {
        if (!g.shippingOn() || !g.shippingBacklog()) {
            return 0;
        }
        return Math.max(0, nowMs - Math.max(g.lastDeliveredMs(), g.backlogSinceMs()));
    }

    /** True when stalled for at least {@code limitMs}; a limit of 0 turns the check off. */
    public static boolean stalled(SelfHealth.Gauges g, long nowMs, long limitMs) {
        return limitMs > 0 && g.shippingOn() && g.shippingBacklog() && stalledMs(g, nowMs) >= limitMs;
    }
}
