package io.proxywatch.fleet;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.detect.InMemoryWindowStore;
import io.proxywatch.detect.RateRule;
import io.proxywatch.detect.WindowStore;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * Fleet mode as the routes see it (bean {@code fleet}): the window store the detector counts in, {@link #hold} for
 * the alert events on their way to the alert stage, and {@link #flush}, called by the detect-fleet-flush timer
 * route. Without a Redis URL it is off: the in-memory store, and both calls pass straight through.
 */
public final class Fleet implements AutoCloseable {
    private final WindowStore store;
    private final RedisWindowStore shared;
    private final FleetAlerts alerts;
    private final RedisLink link;
    private final String name;
    private final String instance;

    private Fleet(WindowStore store, RedisWindowStore shared, FleetAlerts alerts, RedisLink link, String name,
                  String instance) {
        this.store = store;
        this.shared = shared;
        this.alerts = alerts;
        this.link = link;
        this.name = name;
        this.instance = instance;
    }

    public static Fleet off() {
        return new Fleet(new InMemoryWindowStore(), null, null, null, "", "");
    }

    /**
     * Shares rate windows through the Redis at {@code endpoint}, under the fleet's {@code name}. Nothing connects
     * here: the first flush does, so start-up never waits on Redis.
     *
     * @param rules the rate rule of an id, as in force now
     */
    public static Fleet shared(RedisEndpoint endpoint, String password, String name, String instance, int timeoutMs,
                               long alertWaitMs, Clock clock, Function<String, RateRule> rules) {
        RedisLink link = new RedisLink(endpoint, password, "proxywatch-" + instance, timeoutMs,
                Math.max(1000, timeoutMs), clock);
        FleetKeys keys = new FleetKeys(name);
        RedisWindowStore store = new RedisWindowStore(keys, link, instance, RedisWindowStore.MAX_PENDING);
        FleetAlerts alerts = new FleetAlerts(keys, name, instance, link, clock, alertWaitMs, rules);
        return new Fleet(store, store, alerts, link, name, instance);
    }

    public WindowStore store() {
        return store;
    }

    /** The events to pass on to the alert stage now (rate alerts wait for the fleet's decision while shared). */
    public List<AlertEvent> hold(List<AlertEvent> events) {
        return alerts == null ? events : alerts.hold(events);
    }

    /** Timer thread: shares the windows counted since the last call; returns the fleet alerts this instance raises. */
    public List<AlertEvent> flush() {
        if (shared == null) {
            return List.of();
        }
        shared.flush();
        return alerts.settle();
    }

    /** For progress, health and metrics. */
    public FleetState state() {
        if (shared == null) {
            return FleetState.OFF;
        }
        return new FleetState(link.isUp() ? "shared" : "local", link.endpoint().describe(), name, instance,
                link.fallbacks(), link.errors(), shared.flushes(), shared.lastFlushMicros(),
                shared.lastLatencyMicros(), shared.dropped(), alerts.won(), alerts.leftToPeers(), link.lastError());
    }

    @Override
    public void close() {
        if (link != null) {
            link.close();
        }
    }
}
