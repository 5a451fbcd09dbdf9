package io.proxywatch.detect;

/**
 * Events in the last window, kept as ten slots of a tenth of the window each: the count a slot old may be off by
 * at most one slot's worth at the window's far edge, which is the usual trade for a fixed 60 bytes per key.
 * Time is whatever the caller passes (the request's own timestamp), so a log read long after it was written
 * still counts the bursts it had. A time older than the oldest slot is outside the window and not counted.
 */
final class SlidingCounter {
    static final int SLOTS = 10;

    private final int[] slots = new int[SLOTS];
    private long headSlot = Long.MIN_VALUE; // absolute slot number of the newest slot
    private int total;

    /** Adds one event at {@code timeMs} and returns the count over the window that ends there. */
    int add(long timeMs, long slotMs) {
        long slot = Math.floorDiv(timeMs, slotMs);
        if (slot > headSlot) {
            advance(slot);
        }
        if (slot <= headSlot - SLOTS) {
            return total;
        }
        slots[(int) Math.floorMod(slot, SLOTS)]++;
        return ++total;
    }

    /** The count over the window ending at {@code timeMs}, without adding. */
    int count(long timeMs, long slotMs) {
        long slot = Math.floorDiv(timeMs, slotMs);
        if (slot > headSlot) {
            advance(slot);
        }
        return total;
    }

    private void advance(long slot) {
        if (headSlot == Long.MIN_VALUE || slot - headSlot >= SLOTS) {
            java.util.Arrays.fill(slots, 0);
            total = 0;
        } else {
            for (long s = headSlot + 1; s <= slot; s++) {
                int i = (int) Math.floorMod(s, SLOTS);
                total -= slots[i];
                slots[i] = 0;
            }
        }
        headSlot = slot;
    }
}
