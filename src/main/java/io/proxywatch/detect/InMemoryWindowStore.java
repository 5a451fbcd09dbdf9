package io.proxywatch.detect;

import java.util.List;

/** Windows kept in this process only, one {@link CounterTable} per rule: proxywatch's behaviour without a fleet. */
public final class InMemoryWindowStore implements WindowStore {
    @Override
    public Window window(RateRule rule, int maxKeys) {
        return new Local(new CounterTable(maxKeys), rule.slotMs());
    }

    @Override
    public void endChunk() {
    }

    @Override
    public List<Crossing> crossings() {
        return List.of();
    }

    private record Local(CounterTable table, long slotMs) implements Window {
        @Override
        public int add(long key, String ip, String path, long timeMs) {
            return table.add(key, Math.floorDiv(timeMs, slotMs));
        }

        @Override
        public int warm(long key) {
            return table.warm(key);
        }

        @Override
        public int size() {
            return table.size();
        }
    }
}
