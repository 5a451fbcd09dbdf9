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

    private static final class Local implements Window {
        private final CounterTable table;
        private final long slotMs;
        // the slot the last request fell in and where it starts: a chunk's requests nearly all fall in one slot,
        // and a 64-bit division per request and rule is worth skipping
        private long slot;
        private long slotStart = Long.MAX_VALUE;

        Local(CounterTable table, long slotMs) {
            this.table = table;
            this.slotMs = slotMs;
        }

        @Override
        public int add(long key, String ip, String path, long timeMs) {
            long into = timeMs - slotStart;
            if (into < 0 || into >= slotMs) {
                slot = Math.floorDiv(timeMs, slotMs);
                slotStart = slot * slotMs;
            }
            return table.add(key, slot);
        }

        @Override
        public int warm(long key) {
            return table.warm(key);
        }

        @Override
        public boolean keepKeys(int maxKeys) {
            table.setMaxKeys(maxKeys);
            return true;
        }

        @Override
        public int size() {
            return table.size();
        }
    }
}
