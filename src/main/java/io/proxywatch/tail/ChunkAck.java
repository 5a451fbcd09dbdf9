package io.proxywatch.tail;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells the tailer when a chunk is safe, once every stage that took a share of it says so. The exchange that
 * carried the chunk holds one share; a stage that keeps records beyond the exchange (the shipper's batches)
 * retains a share per batch and releases it once the batch got a 2xx, was spooled or dead-lettered. Any
 * share failing makes the tailer read the chunk again. Travels in the exchange property {@link #PROPERTY}.
 */
public final class ChunkAck {
    public static final String PROPERTY = "ProxywatchChunkAck";

    private final Runnable onSafe;
    private final Runnable onFailed;
    private final AtomicInteger shares = new AtomicInteger(1);
    private final AtomicBoolean settled = new AtomicBoolean();

    public ChunkAck(Runnable onSafe, Runnable onFailed) {
        this.onSafe = onSafe;
        this.onFailed = onFailed;
    }

    /** A stage keeps (part of) the chunk past the exchange: the chunk is not safe until it releases. */
    public void retain() {
        shares.incrementAndGet();
    }

    public void release() {
        if (shares.decrementAndGet() == 0 && settled.compareAndSet(false, true)) {
            onSafe.run();
        }
    }

    public void fail() {
        if (settled.compareAndSet(false, true)) {
            onFailed.run();
        }
    }

    /** For tests and status: shares still outstanding. */
    public int outstanding() {
        return shares.get();
    }
}
