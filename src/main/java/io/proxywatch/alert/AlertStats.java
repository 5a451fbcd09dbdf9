package io.proxywatch.alert;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Messages sent and dead-lettered per channel: the source of proxywatch_alerts_sent_total{channel} and friends. */
public final class AlertStats {
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deadLettered = new ConcurrentHashMap<>();

    /** One message went out on {@code channel}. */
    public void sent(String channel) {
        sent.computeIfAbsent(channel, c -> new LongAdder()).increment();
    }

    public void deadLettered(String channel) {
        deadLettered.computeIfAbsent(channel, c -> new LongAdder()).increment();
    }

    public Map<String, Long> sent() {
        return snapshot(sent);
    }

    public Map<String, Long> deadLettered() {
        return snapshot(deadLettered);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public String toString() {
        return "alerts sent " + sent() + ", dead-lettered " + deadLettered();
    }
}
