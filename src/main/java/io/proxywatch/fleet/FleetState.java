package io.proxywatch.fleet;

/**
 * Fleet mode as of now, for progress, health and metrics: {@code mode} is {@code off} (no redis-url),
 * {@code shared} (windows counted with the fleet) or {@code local} (Redis unreachable: this instance's own counts,
 * until it answers again).
 *
 * @param fallbacks         times the link went down and detection fell back to local windows
 * @param redisErrors       failed Redis calls, including retries while down
 * @param flushes           successful flushes
 * @param lastFlushMicros   the last flush's Redis round trip, in microseconds
 * @param lastLatencyMicros from the oldest request of the last flush being counted to the fleet's count being known
 * @param droppedRequests   counted requests never shared (Redis down or too slow); they still counted locally
 * @param alertsWon         fleet alerts this instance raised
 * @param alertsLeftToPeers fleet alerts another instance raised first
 */
public record FleetState(String mode, String redis, String fleet, String instance, long fallbacks, long redisErrors,
                         long flushes, long lastFlushMicros, long lastLatencyMicros, long droppedRequests,
                         long alertsWon, long alertsLeftToPeers, String lastError) {
    public static final FleetState OFF = new FleetState("off", "", "", "", 0, 0, 0, 0, 0, 0, 0, 0, "");

    public boolean shared() {
        return mode.equals("shared");
    }

    @Override
    public String toString() {
        if (mode.equals("off")) {
            return "fleet off";
        }
        return "fleet " + mode + (mode.equals("local") ? " (Redis unreachable: " + lastError + ")" : "") + ", "
                + flushes + " flushes (last " + lastFlushMicros / 1000.0 + " ms), " + fallbacks + " fallbacks, "
                + droppedRequests + " unshared, alerts " + alertsWon + " raised / " + alertsLeftToPeers + " left to peers";
    }
}
