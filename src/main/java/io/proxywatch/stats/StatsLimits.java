package io.proxywatch.stats;

import java.time.Duration;

/**
 * How much {@link TrafficStats} keeps. Each limit exists so that hostile or unusual traffic (an IP spray, a
 * proxy fronting hundreds of services, 8 KB paths) costs a bounded amount of memory, not one that grows with it.
 *
 * @param maxWindow         the longest window a snapshot or threshold rule may ask for; the ring keeps this many
 *                          complete seconds (longer requests are clamped to it)
 * @param maxServices       services tracked one by one at once; later ones are folded into {@value TrafficStats#OTHER}
 * @param keysPerSecond     distinct keys (client IPs, paths, 404 paths; each kind separately) counted exactly in
 *                          the second being recorded; keys beyond it in that second are not counted
 * @param keysKeptPerSecond keys per kind kept for a second once it is over (its heaviest ones): what makes a
 *                          5-minute ring affordable, and why top lists over many distinct keys are approximate
 * @param maxKeyLength      keys longer than this many characters are cut to it
 */
public record StatsLimits(Duration maxWindow, int maxServices, int keysPerSecond, int keysKeptPerSecond,
                          int maxKeyLength) {
    public StatsLimits {
        if (maxWindow == null || maxWindow.toSeconds() < 1) {
            throw new IllegalArgumentException("maxWindow must be at least 1s, found " + maxWindow);
        }
        if (maxServices < 0 || maxServices > Short.MAX_VALUE - 2) {
            throw new IllegalArgumentException("maxServices must be 0.." + (Short.MAX_VALUE - 2));
        }
        if (keysPerSecond < 1 || keysKeptPerSecond < 1 || keysKeptPerSecond > keysPerSecond) {
            throw new IllegalArgumentException("need 1 <= keysKeptPerSecond <= keysPerSecond");
        }
        if (maxKeyLength < 1) {
            throw new IllegalArgumentException("maxKeyLength must be positive");
        }
    }

    /** Five minutes (the longest default threshold), 50 services, 2,000 keys a second kept down to 200, 256 chars. */
    public static StatsLimits defaults() {
        return new StatsLimits(Duration.ofMinutes(5), 50, 2_000, 200, 256);
    }

    public StatsLimits withMaxWindow(Duration window) {
        return new StatsLimits(window, maxServices, keysPerSecond, keysKeptPerSecond, maxKeyLength);
    }
}
