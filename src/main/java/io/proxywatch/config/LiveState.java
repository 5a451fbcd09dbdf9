package io.proxywatch.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The in-memory state that outlives a reload (a restart of the Camel context with edited settings or routes in
 * the same JVM): sliding windows, threshold states, open incidents. Offsets and the spool are on disk and survive
 * on their own. An object is kept only while the settings it was made from are unchanged: a window made for 300 s
 * cannot serve a new 600 s setting.
 */
public final class LiveState {
    private record Kept(Object madeFrom, Object value) {
    }

    private final Map<String, Kept> kept = new HashMap<>();

    /** The {@code name} object of the previous run if it was made from equal settings, else a new one. */
    @SuppressWarnings("unchecked")
    public synchronized <T> T keep(String name, Object madeFrom, Supplier<T> make) {
        Kept k = kept.get(name);
        if (k != null && Objects.equals(k.madeFrom, madeFrom)) {
            return (T) k.value;
        }
        T value = make.get();
        kept.put(name, new Kept(madeFrom, value));
        return value;
    }
}
