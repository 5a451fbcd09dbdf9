package io.proxywatch.fleet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The requests counted since the last flush, waiting for the flusher. The pipeline thread appends to flat arrays
 * (no map and no object per request: this is what fleet mode costs per line) and hands them over once per chunk;
 * the flusher takes every chunk handed over so far. Bounded: past {@code maxPending} requests the oldest chunks
 * are dropped and counted, so a slow or hung Redis costs shared counts, never memory or the pipeline's time.
 * The raw lines are not kept (a quarter of a million of them would be ~80 MB while Redis is slow), so a key the
 * fleet takes over its limit is raised without evidence lines of this instance.
 */
final class PendingCounts {
    /** One chunk's counted requests, in parallel arrays. */
    record Batch(FleetWindow[] windows, long[] keys, long[] times, String[] ips, String[] paths, int size,
                 long handedNanos) {
    }

    private final int maxPending;
    private FleetWindow[] windows = new FleetWindow[1024];
    private long[] keys = new long[1024];
    private long[] times = new long[1024];
    private String[] ips = new String[1024];
    private String[] paths = new String[1024];
    private int n;

    private final ArrayDeque<Batch> handed = new ArrayDeque<>();
    private long handedRequests;
    private long dropped;

    PendingCounts(int maxPending) {
        this.maxPending = maxPending;
    }

    /** Pipeline thread, with the detector's lock held. */
    void add(FleetWindow w, long key, long timeMs, String ip, String path) {
        if (n == keys.length) {
            if (n >= maxPending) {
                endChunk();
            } else {
                grow();
            }
        }
        windows[n] = w;
        keys[n] = key;
        times[n] = timeMs;
        ips[n] = ip;
        paths[n] = path;
        n++;
    }

    /** Pipeline thread: hands the chunk's requests to the flusher; new arrays take the next chunk's. */
    void endChunk() {
        if (n == 0) {
            return;
        }
        Batch b = new Batch(windows, keys, times, ips, paths, n, System.nanoTime());
        int size = Math.max(1024, Math.min(n, maxPending));
        windows = new FleetWindow[size];
        keys = new long[size];
        times = new long[size];
        ips = new String[size];
        paths = new String[size];
        n = 0;
        synchronized (handed) {
            handed.add(b);
            handedRequests += b.size();
            while (handedRequests > maxPending && handed.size() > 1) {
                Batch oldest = handed.poll();
                handedRequests -= oldest.size();
                dropped += oldest.size();
            }
        }
    }

    /** Flusher thread: every chunk handed over so far, oldest first. */
    List<Batch> drain() {
        synchronized (handed) {
            List<Batch> out = new ArrayList<>(handed);
            handed.clear();
            handedRequests = 0;
            return out;
        }
    }

    /** Counted requests thrown away unshared: the oldest, when Redis was too slow, and those of failed flushes. */
    long dropped() {
        synchronized (handed) {
            return dropped;
        }
    }

    void countDropped(long requests) {
        synchronized (handed) {
            dropped += requests;
        }
    }

    private void grow() {
        int size = Math.min(maxPending, keys.length * 2);
        windows = Arrays.copyOf(windows, size);
        keys = Arrays.copyOf(keys, size);
        times = Arrays.copyOf(times, size);
        ips = Arrays.copyOf(ips, size);
        paths = Arrays.copyOf(paths, size);
    }
}
