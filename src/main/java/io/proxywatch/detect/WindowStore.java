package io.proxywatch.detect;

import java.util.List;

/**
 * Where the rate rules' per-key sliding windows are counted. The default, {@link InMemoryWindowStore}, keeps them
 * in this process only; a fleet store (io.proxywatch.fleet) also shares them with the other proxywatch instances
 * behind the same load balancer, so a burst spread over many proxies is still counted whole.
 *
 * <p>{@link Window#add} and {@link #endChunk} run on the pipeline thread for every counted request, with the
 * {@link RateDetector}'s lock held: an implementation must never block or do I/O there.
 */
public interface WindowStore {
    /** Slots per window: a rule's window slides in eighths of its length. */
    int SLOTS = CounterTable.SLOTS;

    /** The counts of one rule; a rules edit that changes the rule's window or key asks for a new one. */
    Window window(RateRule rule, int maxKeys);

    /** The chunk's requests have all been counted: a store that shares them hands them on here. */
    void endChunk();

    /**
     * Keys that the shared counts, learnt since the last call, took past their rule's limit although no request
     * of this process did (its own share stayed below it); none for a store that shares nothing.
     */
    List<Crossing> crossings();

    /** One rule's window counts. */
    interface Window {
        /**
         * Counts one request of {@code key} (a hash of {@code ip}, and of {@code path} for ip_path rules) at
         * {@code timeMs}, the request's own time; returns the count the rule's limit is compared with.
         */
        int add(long key, String ip, String path, long timeMs);

        /**
         * Touches what {@link #add} of {@code key} will read, ahead of it, and returns any value read from it (for
         * the caller to fold into a sum the JIT cannot drop); nothing by default.
         */
        default int warm(long key) {
            return 0;
        }

        /**
         * Keeps at most {@code maxKeys} keys from now on, with the counts held (a rules edit of {@code max-keys});
         * false when it cannot, and the caller asks the store for a new window instead.
         */
        default boolean keepKeys(int maxKeys) {
            return false;
        }

        /** Keys held, for progress and memory checks. */
        int size();
    }

    /** A key over its rule's limit by the fleet's count; {@code key} is its text, as in alert events; {@code line} may be null. */
    record Crossing(String rule, String key, int count, long timeMs, String line) {
    }
}
